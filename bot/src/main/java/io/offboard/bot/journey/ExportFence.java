package io.offboard.bot.journey;

import io.offboard.bot.config.ExportBotSettings;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.template.Templates;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.export.ExportStatus;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.ConcurrentChangeException;
import io.offboard.lifecycle.store.ExportStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At the deletion time a running export of the tenant is canceled, and the purge deletes only once no worker of it
 * can still write: a slow export never delays the deletion by more than its worker takes to notice (or, for a
 * worker that died, its heartbeat's staleness), and never puts data back behind the purge. No new export can be
 * claimed meanwhile: the eviction is already purging, which every claim checks in the same write.
 */
@Singleton
public class ExportFence {

    private static final Logger LOG = LoggerFactory.getLogger(ExportFence.class);
    /** How long a sweep waits here for a worker to stop before leaving the purge to the next sweep. */
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String WHY = "the deletion time came";

    private final ExportStore exports;
    private final GitHubGateway github;
    private final Templates templates;
    private final AuditLog audit;
    private final ExportBotSettings settings;
    private final Clock clock;

    public ExportFence(ExportStore exports, GitHubGateway github, Templates templates, AuditLog audit,
                       ExportBotSettings settings, Clock clock) {
        this.exports = exports;
        this.github = github;
        this.templates = templates;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * True when no export of {@code e}'s tenant runs; otherwise asks a running one to stop (once) and waits up to
     * {@link #WAIT} for its worker. False: the purge waits for the next sweep.
     */
    public boolean clear(Eviction e) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Optional<ExportJob> running = exports.running(e.tenant()).flatMap(exports::find);
            if (running.isEmpty() || !running.get().status().running()) {
                return true;
            }
            ExportJob job = running.get();
            try {
                if (job.status() != ExportStatus.CANCELING) {
                    exports.update(job, job.cancelRequested(WHY));
                    audit.append(e.id(), "offboard", "export.canceled", job.exportId() + ": " + WHY
                            + "; the purge waits until its worker has stopped");
                    LOG.info("export {} of {} canceled: {}", job.exportId(), e.tenant(), WHY);
                } else if (job.abandoned(clock.instant(), settings.exportStaleAfter())) {
                    // its worker died: nothing of it can write any more
                    ExportJob stopped = exports.update(job, job.canceled(clock.instant()));
                    tellCanceled(stopped);
                    continue;
                }
            } catch (ConcurrentChangeException movedOn) {
                continue; // its worker wrote meanwhile: look again
            }
            if (System.nanoTime() > until || !pause()) {
                LOG.info("purge of {} waits for export {} to stop", e.id(), job.exportId());
                return false;
            }
        }
    }

    /** Edits the export's comment to say it was stopped and why (best effort: the state is already recorded). */
    public void tellCanceled(ExportJob job) {
        if (job.replyCommentId().isEmpty() || job.eviction().isEmpty()) {
            return;
        }
        try {
            github.editComment(job.eviction().get().repository(), job.eviction().get().issueNumber(),
                    job.replyCommentId().get(), templates.render("export-canceled", Map.of(
                            "actor", job.requestedBy(),
                            "tenant", job.tenant(),
                            "at", Templates.minute(job.completedAt().orElse(clock.instant())))));
        } catch (IOException | RuntimeException e) {
            LOG.warn("export {} was canceled but its comment could not say so: {}", job.exportId(), e.toString());
        }
    }

    /** Waits a little before looking again; false when interrupted (the process is stopping: leave it to a sweep). */
    private static boolean pause() {
        try {
            Thread.sleep(200);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
