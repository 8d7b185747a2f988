package io.offboard.bot.command;

import io.offboard.bot.export.ExportRunner;
import io.offboard.bot.export.ExportStarter;
import io.offboard.bot.template.Templates;
import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.export.ExportFormat;
import io.offboard.lifecycle.access.Audience;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.lifecycle.text.UserText;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    private final ExportStarter starter;
    private final PersonReplies replies;
    private final Templates templates;

    public ExportCommand(ExportStore exports, ExportRunner runner, ExportStarter starter, PersonReplies replies,
                         Templates templates) {
        this.exports = exports;
        this.runner = runner;
        this.starter = starter;
        this.replies = replies;
        this.templates = templates;
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
                    default -> problems.add(UserText.quote(word) + " is neither a format (jsonl, parquet) nor a compression (gzip, zstd)");
                }
            }
            return new Options(format, compression, problems);
        }
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        Eviction eviction = invocation.eviction();
        Options options = Options.parse(invocation.command().arguments());
        if (!options.problems().isEmpty()) {
            replies.comment(invocation, templates.render("export-refused", Map.of(
                    "actor", invocation.actor(),
                    "reason", String.join("; ", options.problems()) + ". Write for example `/export parquet zstd`.")));
            return Outcome.REFUSED;
        }
        if (!eviction.state().exportable()) {
            replies.comment(invocation, templates.render("export-refused", Map.of(
                    "actor", invocation.actor(),
                    "reason", "this eviction is " + eviction.state().name().toLowerCase()
                            + ", so there is no tenant data to export any more.")));
            return Outcome.REFUSED;
        }
        if (!replies.spend(invocation.id(), invocation.who(), "export")) {
            return Outcome.REFUSED; // over the person's write budget: dropped, counted and logged
        }
        ExportStarter.Start start = starter.start(eviction, options.format(), options.compression(),
                invocation.actor(), Optional.of(invocation.commentId()), "export-started",
                Map.of("actor", invocation.actor()));
        if (start instanceof ExportStarter.Start.AlreadyRunning running && invocation.retry()
                && exports.find(running.exportId()).flatMap(ExportJob::commandCommentId)
                .filter(c -> c == invocation.commentId()).isPresent()) {
            return Outcome.STARTED; // this command's own export, started before a crash: it runs, nothing to add
        }
        if (start instanceof ExportStarter.Start.AlreadyRunning running) {
            refuseRunning(invocation, running.exportId());
            return Outcome.REFUSED;
        }
        if (start instanceof ExportStarter.Start.PastExportWindow) {
            replies.comment(invocation, templates.render("export-refused", Map.of(
                    "actor", invocation.actor(),
                    "reason", "the deletion of the tenant's data has begun, so there is nothing to export any more.")));
            return Outcome.REFUSED;
        }
        return Outcome.STARTED;
    }

    private void refuseRunning(Invocation invocation, String runningId) throws Exception {
        String where = exports.find(runningId).flatMap(ExportJob::replyCommentId)
                .map(id -> runner.commentUrl(invocation.eviction().id(), id)).orElse("above");
        replies.comment(invocation, templates.render("export-running", Map.of(
                "actor", invocation.actor(),
                "tenant", invocation.eviction().tenant(),
                "where", where)));
    }
}
