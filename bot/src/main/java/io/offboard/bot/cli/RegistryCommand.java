package io.offboard.bot.cli;

import io.offboard.exporter.copies.TableCopies;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.registry.RegistryCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
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
            description = {"Compare the data registry with the running platform. Lists every table and bucket it",
                    "neither covers, excludes nor protects (an export gap is a platform bug); every copy of a registry",
                    "table the purge cannot delete item by item (point-in-time recovery, backups) that would outlive",
                    "a deletion now by more than the registry's backup_allowance; every replication of a registered",
                    "bucket to a bucket the registry does not purge; and what could not be read.",
                    "Exit 0: all read and nothing found; 1: something found; 3: nothing found, but some of it",
                    "could not be read (the endpoint cannot answer, or access was denied)."})
    static class Check implements Callable<Integer> {

        /** Nothing found, but not everything could be read: not a pass. */
        static final int UNREAD = 3;

        @CommandLine.Mixin
        AwsOptions aws = new AwsOptions();

        @Override
        public Integer call() {
            Registry registry = Registry.bundled();
            RegistryCheck.Report report;
            RegistryCheck.CopiesReport copies;
            RegistryCheck.ReplicationReport replication;
            try (DynamoDbClient dynamo = aws.dynamo(); S3Client s3 = aws.s3()) {
                report = RegistryCheck.run(registry, dynamo, s3, aws.botTables().ownResources(aws.exportsBucket));
                copies = RegistryCheck.copies(registry, dynamo, Instant.now());
                replication = RegistryCheck.replication(registry, s3);
            }
            report.findings().forEach(f -> System.out.println((f.missing() ? "stale:      " : "uncovered:  ") + f.describe()));
            copies.held().forEach(c -> System.out.println((c.beyondAllowance() ? "outlives:   " : "allowed:    ")
                    + c.describe()));
            replication.findings().forEach(f -> System.out.println("replica:    " + f.describe()));
            List<String> unread = new ArrayList<>();
            unread(copies.pitrUnread(), TableCopies::pitrUnreadable, "point-in-time recovery", unread);
            unread(copies.backupsUnread(), TableCopies::backupsUnreadable, "backups", unread);
            replication.unread().entrySet().stream()
                    .collect(Collectors.groupingBy(Map.Entry::getValue, TreeMap::new,
                            Collectors.mapping(Map.Entry::getKey, Collectors.toList())))
                    .forEach((why, buckets) -> unread.add("replication of bucket" + (buckets.size() == 1 ? " " : "s ")
                            + String.join(", ", buckets) + ": " + why));
            unread.forEach(line -> System.out.println("unread:     " + line));

            int uncovered = report.uncovered().size();
            int outliving = copies.beyondAllowance().size();
            int replicas = replication.findings().size();
            System.out.printf("registry %s: %d tables and %d buckets on the platform, %d uncovered, %d stale entries; "
                            + "%d copies of its tables outlive a deletion beyond the allowance; %d replicas it does not "
                            + "purge; %s%n",
                    report.registryVersion(), report.tables(), report.buckets(), uncovered,
                    report.findings().size() - uncovered, outliving, replicas,
                    unread.isEmpty() ? "everything could be read"
                            : "NOT READ: point-in-time recovery of " + copies.pitrUnread().size() + " of "
                            + copies.tables().size() + " tables, backups of " + copies.backupsUnread().size() + " of "
                            + copies.tables().size() + " tables, replication of " + replication.unread().size() + " of "
                            + replication.buckets() + " buckets");
            if (uncovered > 0 || outliving > 0 || replicas > 0) {
                return 1;
            }
            return unread.isEmpty() ? 0 : UNREAD;
        }

        /** One line per reason: the tables that could not be read for it. */
        private static void unread(List<TableCopies> tables, Function<TableCopies, String> why, String what,
                                   List<String> lines) {
            tables.stream().collect(Collectors.groupingBy(why, TreeMap::new,
                            Collectors.mapping(TableCopies::table, Collectors.toList())))
                    .forEach((reason, names) -> lines.add(what + " of table" + (names.size() == 1 ? " " : "s ")
                            + String.join(", ", names) + ": " + reason));
        }
    }
}
