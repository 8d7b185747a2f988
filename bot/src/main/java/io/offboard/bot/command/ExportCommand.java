package io.offboard.bot.command;

import io.offboard.bot.export.ExportRunner;
import io.offboard.bot.export.Sizes;
import io.offboard.bot.github.GitHubGateway;
import io.offboard.bot.template.Templates;
import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.export.ExportEstimator;
import io.offboard.exporter.export.ExportFormat;
import io.offboard.lifecycle.access.Audience;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.export.FailureCause;
import java.io.IOException;
import io.offboard.lifecycle.store.ExportStore;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * {@code /export [jsonl|parquet] [gzip|zstd]}: starts an export of the tenant, replies at once with an
 * estimate, then that reply shows progress and finally the archive, its SHA-256, size and download link.
 */
@SlashCommand(name = "export", usage = "/export [jsonl|parquet] [gzip|zstd]",
        help = "export the tenant's data: an archive with its SHA-256 and size, to download when it is ready",
        audience = Audience.OWNERS_AND_OPERATORS)
@Singleton
public class ExportCommand implements Command {

    private final ExportStore exports;
    private final ExportRunner runner;
    private final ExportEstimator estimator;
    private final GitHubGateway github;
    private final PersonReplies replies;
    private final Templates templates;
    private final Clock clock;

    public ExportCommand(ExportStore exports, ExportRunner runner, ExportEstimator estimator, GitHubGateway github,
                         PersonReplies replies, Templates templates, Clock clock) {
        this.exports = exports;
        this.runner = runner;
        this.estimator = estimator;
        this.github = github;
        this.replies = replies;
        this.templates = templates;
        this.clock = clock;
    }

    /** The export's options as parsed from the command's words, or what is wrong with them. */
    record Options(ExportFormat format, Compression compression, List<String> problems) {
        static Options parse(List<String> arguments) {
            ExportFormat format = ExportFormat.JSONL;
            Compression compression = Compression.GZIP;
            List<String> problems = new ArrayList<>();
            for (String word : arguments) {
                switch (word.toLowerCase()) {
                    case "jsonl" -> format = ExportFormat.JSONL;
                    case "parquet" -> format = ExportFormat.PARQUET;
                    case "gzip", "gz" -> compression = Compression.GZIP;
                    case "zstd", "zst" -> compression = Compression.ZSTD;
                    default -> problems.add("`" + word + "` is neither a format (jsonl, parquet) nor a compression (gzip, zstd)");
                }
            }
            return new Options(format, compression, problems);
        }
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        Eviction eviction = invocation.eviction();
        String repo = invocation.repository();
        int issue = invocation.issueNumber();
        Options options = Options.parse(invocation.command().arguments());
        if (!options.problems().isEmpty()) {
            replies.comment(invocation.id(), invocation.who(), templates.render("export-refused", Map.of(
                    "actor", invocation.actor(),
                    "reason", String.join("; ", options.problems()) + ". Write for example `/export parquet zstd`.")));
            return Outcome.REFUSED;
        }
        if (!eviction.state().exportable()) {
            replies.comment(invocation.id(), invocation.who(), templates.render("export-refused", Map.of(
                    "actor", invocation.actor(),
                    "reason", "this eviction is " + eviction.state().name().toLowerCase()
                            + ", so there is no tenant data to export any more.")));
            return Outcome.REFUSED;
        }
        Optional<String> running = exports.running(eviction.tenant());
        if (running.isPresent()) {
            refuseRunning(invocation, running.get());
            return Outcome.REFUSED;
        }
        Instant now = clock.instant();
        // live tenant: the data as of now; after cutover the frozen snapshot, so every export of it is identical
        Optional<Instant> snapshot = eviction.timeline().cutoverAt();
        Instant asOf = snapshot.orElse(now);
        ExportJob job = ExportJob.requested(UUID.randomUUID().toString(), eviction.tenant(),
                Optional.of(eviction.id()), options.format().id(), options.compression().name().toLowerCase(),
                invocation.actor(), now, asOf, snapshot.isPresent());
        if (!replies.spend(invocation.id(), invocation.who(), "export")) {
            return Outcome.REFUSED; // over the person's write budget: dropped, counted and logged
        }
        // estimated before the tenant is claimed: a slow or failing estimate must not hold the claim. A source the
        // estimate cannot read is no reason not to export: the export reads it again and, if it fails there too,
        // fails as a platform-side failure that names the source and pauses the countdown
        ExportEstimator.Estimate estimate = null;
        try {
            estimate = estimator.estimate(eviction.tenant(), runner.throughput());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ExportCommand.class).warn("no estimate for the export of {}: {}",
                    eviction.tenant(), e.toString());
        }
        try {
            job = exports.start(job);
        } catch (ExportStore.ExportRunningException raced) {
            refuseRunning(invocation, raced.runningExportId());
            return Outcome.REFUSED;
        }
        Map<String, Object> scope = new HashMap<>();
        scope.put("actor", invocation.actor());
        scope.put("tenant", eviction.tenant());
        scope.put("format", job.format());
        scope.put("compression", job.compression());
        scope.put("estimated", estimate != null);
        if (estimate != null) {
            scope.put("items", estimate.items());
            scope.put("objects", estimate.objects());
            scope.put("bytes", estimate.bytes());
            scope.put("size", Sizes.bytes(estimate.bytes()));
            scope.put("duration", Sizes.duration(estimate.duration()));
        }
        try {
            long reply = github.postComment(repo, issue, templates.render("export-started", scope));
            job = exports.update(job, job.withComments(invocation.commentId(), reply));
        } catch (IOException | RuntimeException e) {
            // not started after all: release the tenant, or every later /export would be refused as running
            exports.update(job, job.failed("could not be started: " + e.getMessage(), FailureCause.REQUEST,
                    clock.instant()));
            throw e;
        }
        runner.submit(job);
        return Outcome.STARTED;
    }

    private void refuseRunning(Invocation invocation, String runningId) throws Exception {
        String where = exports.find(runningId).flatMap(ExportJob::replyCommentId)
                .map(id -> runner.commentUrl(invocation.eviction().id(), id)).orElse("above");
        replies.comment(invocation.id(), invocation.who(), templates.render("export-running", Map.of(
                "actor", invocation.actor(),
                "tenant", invocation.eviction().tenant(),
                "where", where)));
    }
}
