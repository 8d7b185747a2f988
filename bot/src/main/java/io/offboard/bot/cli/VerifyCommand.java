package io.offboard.bot.cli;

import io.offboard.exporter.archive.ArchiveVerifier;
import io.offboard.exporter.archive.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** {@code offboard verify ARCHIVE}: checks an export archive offline, with no access to the platform. */
@CommandLine.Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check an export archive offline, with no access to the platform.",
                "Checks its SHA-256 and size (given, or from ARCHIVE.sha256), every payload checksum, the",
                "Payload-Oxum and the counts in data/manifest.json against the files. Exits 1 and names every",
                "problem found."})
public class VerifyCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", paramLabel = "ARCHIVE", description = "the .tar.gz or .tar.zst file")
    Path archive;

    @CommandLine.Option(names = "--sha256", description = "expected SHA-256 (default: from ARCHIVE.sha256)")
    String sha256;

    @CommandLine.Option(names = "--size", description = "expected size in bytes")
    Long size;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(archive)) {
            throw new CommandLine.ParameterException(spec.commandLine(), archive + " is not a file");
        }
        VerificationReport report = ArchiveVerifier.verify(archive, sha256, size);
        report.render().forEach(System.out::println);
        return report.ok() ? 0 : 1;
    }
}
