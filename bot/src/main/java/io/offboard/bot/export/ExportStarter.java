package io.offboard.bot.export;

import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.journey.ExportFence;
import io.offboard.bot.journey.ExportRetry;
import io.offboard.lifecycle.export.ExportStatus;
import io.offboard.bot.template.Templates;
import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.export.ExportEstimator;
import io.offboard.exporter.export.ExportFormat;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.export.FailureCause;
import io.offboard.lifecycle.store.ExportStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Starts an export of an eviction's tenant, for {@code /export} and for the bot's own retries while the countdown
 * is paused: the estimate, the claim (in the same write that checks the eviction still holds exportable data), the
 * reply comment with the estimate, and the run in the background.
 */
@Singleton
public class ExportStarter implements ExportRetry {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExportStarter.class);

    /** Who asks for the exports the bot runs itself (audit entries, the job's requester). */
    public static final String BY_OFFBOARD = "offboard";

    private final ExportStore exports;
    private final ExportRunner runner;
    private final ExportEstimator estimator;
    private final GitHubGateway github;
    private final Templates templates;
    private final Clock clock;
    private final ExportFence fence;

    public ExportStarter(ExportStore exports, ExportRunner runner, ExportEstimator estimator, GitHubGateway github,
                         Templates templates, Clock clock, ExportFence fence) {
        this.fence = fence;
        this.exports = exports;
        this.runner = runner;
        this.estimator = estimator;
        this.github = github;
        this.templates = templates;
        this.clock = clock;
    }

    /** What came of a start. */
    public sealed interface Start {
        /** Claimed, announced and running in the background. */
        record Started(ExportJob job) implements Start {
        }

        /** Another export of the tenant runs; {@code exportId} is that one. */
        record AlreadyRunning(String exportId) implements Start {
        }

        /** The eviction is past its export window: the purge has begun or it ended. */
        record PastExportWindow() implements Start {
        }
    }

    /** The bot's own export while the countdown is paused (JSONL, gzip: the defaults an owner gets too). */
    @Override
    public String start(Eviction eviction, String why) throws IOException {
        return start(eviction, ExportFormat.JSONL, Compression.GZIP, BY_OFFBOARD, Optional.empty(),
                "export-retry-started", Map.of("why", why)).toString();
    }

    /**
     * @param requestedBy     who asked: a person's login, or {@code offboard} for the bot's own retry
     * @param commandComment  the comment that asked (its reaction is set when the export ends), if a person asked
     * @param reply           the template of the reply comment, rendered with the estimate and {@code scope}
     */
    public Start start(Eviction eviction, ExportFormat format, Compression compression, String requestedBy,
                       Optional<Long> commandComment, String reply, Map<String, Object> scope) throws IOException {
        Optional<String> running = exports.running(eviction.tenant());
        if (running.isPresent()) {
            return new Start.AlreadyRunning(running.get());
        }
        Instant now = clock.instant();
        // live tenant: the data as of now; after cutover the frozen snapshot, so every export of it is identical
        Optional<Instant> snapshot = eviction.timeline().cutoverAt();
        ExportJob job = ExportJob.requested(UUID.randomUUID().toString(), eviction.tenant(),
                Optional.of(eviction.id()), format.id(), compression.name().toLowerCase(), requestedBy, now,
                snapshot.orElse(now), snapshot.isPresent());
        // estimated before the tenant is claimed: a slow or failing estimate must not hold the claim. A source the
        // estimate cannot read is no reason not to export: the export reads it again and, if it fails there too,
        // fails as a platform-side failure that names the source and pauses the countdown
        ExportEstimator.Estimate estimate = null;
        try {
            estimate = estimator.estimate(eviction.tenant(), runner.throughput());
        } catch (RuntimeException e) {
            LOG.warn("no estimate for the export of {}: {}", eviction.tenant(), e.toString());
        }
        try {
            job = exports.start(job);
        } catch (ExportStore.ExportRunningException raced) {
            return new Start.AlreadyRunning(raced.runningExportId());
        } catch (ExportStore.NotExportableException tooLate) {
            return new Start.PastExportWindow();
        }
        Map<String, Object> values = new HashMap<>(scope);
        values.put("tenant", eviction.tenant());
        values.put("format", job.format());
        values.put("compression", job.compression());
        values.put("estimated", estimate != null);
        if (estimate != null) {
            values.put("items", estimate.items());
            values.put("objects", estimate.objects());
            values.put("bytes", estimate.bytes());
            values.put("size", Sizes.bytes(estimate.bytes()));
            values.put("duration", Sizes.duration(estimate.duration()));
        }
        long replyId;
        try {
            replyId = github.postComment(eviction.id().repository(), eviction.id().issueNumber(),
                    templates.render(reply, values));
        } catch (IOException | RuntimeException e) {
            // not started after all: release the tenant, or every later export would be refused as running
            exports.update(job, job.failed("could not be started: " + e.getMessage(), FailureCause.REQUEST,
                    clock.instant()));
            throw e;
        }
        // the record may have moved meanwhile (the deletion time came and the purge asked it to stop)
        job = exports.modify(job, current -> {
            ExportJob withReply = commandComment.isPresent() ? current.withComments(commandComment.get(), replyId)
                    : current.withReply(replyId);
            return Optional.of(current.status() == ExportStatus.CANCELING ? withReply.canceled(clock.instant())
                    : withReply);
        });
        if (job.status() == ExportStatus.CANCELED) {
            fence.tellCanceled(job); // stopped before it started: no worker, nothing written
            return new Start.PastExportWindow();
        }
        runner.submit(job);
        return new Start.Started(job);
    }
}
