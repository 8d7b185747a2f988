package io.offboard.bot.cli;

import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.export.ExportEngine;
import io.offboard.exporter.export.ExportFormat;
import io.offboard.exporter.export.ExportOutcome;
import io.offboard.exporter.export.ExportProgress;
import io.offboard.exporter.export.ExportRequest;
import io.offboard.exporter.export.ExportSettings;
import io.offboard.exporter.manifest.ExportManifest;
import io.offboard.exporter.registry.Registry;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code offboard export}: the same export the bot runs for {@code /export}, to a local file, with a
 * {@code .sha256} file beside it. Interrupted? Run the same command again with the same {@code --as-of} (printed at
 * the start when none was given): it resumes from the work directory.
 */
@CommandLine.Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a tenant's data to a BagIt archive (.tar.gz or .tar.zst) with its SHA-256 and size.",
                "Rerunning the same command after an interruption resumes it (same --out, same --as-of; without",
                "--as-of, give the one it printed when it started)."})
public class ExportToFileCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--tenant", required = true, description = "the tenant's orgcode")
    String tenant;

    @CommandLine.Option(names = "--format", defaultValue = "jsonl", description = "jsonl or parquet (default: ${DEFAULT-VALUE})")
    String format;

    @CommandLine.Option(names = "--compression", defaultValue = "gzip", description = "gzip or zstd (default: ${DEFAULT-VALUE})")
    String compression;

    @CommandLine.Option(names = "--out", required = true, description = "archive file to write")
    Path out;

    @CommandLine.Option(names = "--as-of", description = "the data's as-of time, ISO-8601 UTC (default: now)")
    Instant asOf;

    @CommandLine.Option(names = "--snapshot", description = "the tenant is frozen and --as-of is its snapshot (cutover) time")
    boolean snapshot;

    @CommandLine.Option(names = "--work-dir", description = "spool and checkpoint (default: <out>.work; removed when done)")
    Path workDir;

    @CommandLine.Option(names = "--part-mb", defaultValue = "256", description = "split a table's rows past this size (default: ${DEFAULT-VALUE} MB)")
    long partMb;

    @CommandLine.Mixin
    AwsOptions aws = new AwsOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExportRequest request;
        try {
            if (snapshot && asOf == null) {
                throw new IllegalArgumentException("--snapshot needs --as-of, the tenant's snapshot (cutover) time");
            }
            request = new ExportRequest(tenant, ExportFormat.parse(format), Compression.parse(compression),
                    asOf != null ? asOf : Clock.systemUTC().instant(), snapshot);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (asOf == null) {
            // the as-of is part of what is resumed: a rerun with another one starts over
            System.err.println("exporting " + tenant + " as of " + request.asOf() + "; if interrupted, run the same "
                    + "command with --as-of " + request.asOf() + " to resume");
        }
        Path work = workDir != null ? workDir : out.resolveSibling(out.getFileName() + ".work");
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        ExportSettings settings = ExportSettings.defaults().withPartBytes(partMb * 1024 * 1024);
        ExportOutcome outcome;
        try (DynamoDbClient dynamo = aws.dynamo(); S3Client s3 = aws.s3();
             OutputStream sink = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20)) {
            ExportEngine engine = new ExportEngine(Registry.bundled(), dynamo, s3, settings);
            outcome = engine.export(request, work, sink, new TerminalProgress());
        }
        Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(out.resolveSibling(out.getFileName() + ".sha256"),
                outcome.archive().sha256() + "  " + out.getFileName() + "\n");
        ExportEngine.discardWorkDir(work);
        System.err.println();
        ExportManifest manifest = outcome.manifest();
        System.out.printf("archive  %s%nformat   %s, %s%nsize     %d bytes%nsha256   %s%n", out,
                manifest.format(), request.compression().name().toLowerCase(), outcome.archive().bytes(),
                outcome.archive().sha256());
        for (ExportManifest.ServiceSummary service : manifest.services()) {
            System.out.printf("  %-8s %6d items %6d objects%n", service.service(), service.tableItems(),
                    service.objectCount());
        }
        System.out.printf("check    sha256sum -c %s.sha256   or   offboard verify %s%n", out.getFileName(), out);
        return 0;
    }


    /** One line on stderr, rewritten in place. */
    private static final class TerminalProgress implements ExportProgress {
        private int last = -1;

        @Override
        public void update(int percent, String currentService) {
            if (percent != last) {
                last = percent;
                System.err.printf("\rexporting: %3d%% (%s)          ", percent, currentService);
            }
        }
    }
}
