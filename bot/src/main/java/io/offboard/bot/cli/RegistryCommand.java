package io.offboard.bot.cli;

import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.registry.RegistryCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code offboard registry ...}: the data registry against the running platform. */
@CommandLine.Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Work with the data registry (registry.yml).",
        subcommands = RegistryCommand.Check.class)
public class RegistryCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @CommandLine.Command(name = "check", mixinStandardHelpOptions = true,
            description = {"List every table and bucket of the platform that the registry neither covers, excludes nor",
                    "protects; exit 1 if there is one (an export gap is a platform bug)."})
    static class Check implements Callable<Integer> {

        @CommandLine.Mixin
        AwsOptions aws = new AwsOptions();

        @Override
        public Integer call() {
            Registry registry = Registry.bundled();
            RegistryCheck.Report report;
            try (DynamoDbClient dynamo = aws.dynamo(); S3Client s3 = aws.s3()) {
                report = RegistryCheck.run(registry, dynamo, s3, aws.botTables().ownResources(aws.exportsBucket));
            }
            report.findings().forEach(f -> System.out.println((f.missing() ? "stale:     " : "uncovered: ") + f.describe()));
            int uncovered = report.uncovered().size();
            System.out.printf("registry %s: %d tables and %d buckets on the platform, %d uncovered, %d stale entries%n",
                    report.registryVersion(), report.tables(), report.buckets(), uncovered,
                    report.findings().size() - uncovered);
            return uncovered == 0 ? 0 : 1;
        }
    }
}
