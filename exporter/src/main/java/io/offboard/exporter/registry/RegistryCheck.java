package io.offboard.exporter.registry;

import io.offboard.exporter.copies.HeldCopy;
import io.offboard.exporter.copies.TableCopies;
import java.time.Instant;
import java.util.Collections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Compares the registry with what the running platform holds: a table or bucket the registry neither
 * covers, excludes nor protects is a gap in the export tooling (seed 003: a platform bug, not an owner's
 * problem). Resources the registry names but the platform lacks are reported too, as stale entries.
 *
 * <p>Seed 003 also wants no copy to survive day 30 in any tier the platform controls. Two more checks look for copies
 * the purge would miss: {@link #copies} (a table's point-in-time recovery and backups, which the purge cannot delete
 * item by item) and {@link #replication} (a registered bucket replicated to a bucket the registry does not purge).
 * Both read each resource's configuration; what an endpoint cannot answer is reported as unread, never as clean.
 */
public final class RegistryCheck {

    public enum Kind { TABLE, BUCKET }

    /** @param missing true for a registry entry the platform lacks; false for a platform resource the registry lacks */
    public record Finding(Kind kind, String name, boolean missing) {
        public String describe() {
            String what = kind == Kind.TABLE ? "table" : "bucket";
            return missing
                    ? what + " " + name + " is in registry.yml but not on the platform; remove it or check the name"
                    : what + " " + name + " is not in registry.yml; add it to a service (with how a tenant's data is "
                    + "found) or to exclusions with the reason";
        }
    }

    public record Report(String registryVersion, int tables, int buckets, List<Finding> findings) {
        public List<Finding> uncovered() {
            return findings.stream().filter(f -> !f.missing()).toList();
        }
    }

    private RegistryCheck() {
    }

    /**
     * The copies of every registry table that a deletion at {@code deletion} would leave behind, each against the
     * table's allowance ({@link Registry#backupAllowance(Registry.Table)}).
     *
     * @param tables  what was read of each table (or why it could not be)
     * @param held    every copy outliving the deletion, within the allowance or not
     */
    public record CopiesReport(Instant deletion, List<TableCopies> tables, List<HeldCopy> held) {
        public CopiesReport {
            tables = List.copyOf(tables);
            held = List.copyOf(held);
        }

        public List<HeldCopy> beyondAllowance() {
            return held.stream().filter(HeldCopy::beyondAllowance).toList();
        }

        /** Tables whose point-in-time recovery could not be read. */
        public List<TableCopies> pitrUnread() {
            return tables.stream().filter(t -> !t.pitrReadable()).toList();
        }

        /** Tables whose backups could not be read. */
        public List<TableCopies> backupsUnread() {
            return tables.stream().filter(t -> !t.backupsReadable()).toList();
        }
    }

    /** Reads every registry table's point-in-time recovery and backups and keeps what outlives {@code deletion}. */
    public static CopiesReport copies(Registry registry, DynamoDbClient dynamo, Instant deletion) {
        List<TableCopies> tables = new ArrayList<>();
        List<HeldCopy> held = new ArrayList<>();
        for (Registry.Table table : registry.tables()) {
            TableCopies copies = TableCopies.read(dynamo, table.name());
            tables.add(copies);
            held.addAll(HeldCopy.outliving(copies, deletion, registry.backupAllowance(table)));
        }
        return new CopiesReport(deletion, tables, held);
    }

    /**
     * A registered bucket replicating to a bucket the registry does not purge with the same prefix: the replicas of
     * a tenant's objects would survive its purge.
     *
     * @param destination the destination bucket's name (from its ARN)
     * @param problem     what is wrong, for people
     */
    public record ReplicaFinding(String bucket, String destination, String problem) {
        public String describe() {
            return "bucket " + bucket + " replicates to " + destination + ", " + problem;
        }
    }

    /**
     * @param findings replicas the registry does not purge
     * @param unread   bucket → why its replication could not be read, in registry order
     */
    public record ReplicationReport(int buckets, List<ReplicaFinding> findings, Map<String, String> unread) {
        public ReplicationReport {
            findings = List.copyOf(findings);
            unread = Collections.unmodifiableMap(new LinkedHashMap<>(unread));
        }
    }

    /**
     * Reads the replication configuration of every registered bucket ({@code GetBucketReplication}); every enabled
     * rule's destination must be a registered bucket with the same prefix (replicas keep their keys), so the purge
     * deletes the replicas too.
     */
    public static ReplicationReport replication(Registry registry, S3Client s3) {
        Map<String, Registry.Bucket> registered = new LinkedHashMap<>();
        registry.services().forEach(service -> service.buckets().forEach(b -> registered.putIfAbsent(b.name(), b)));
        registry.backups().forEach(b -> registered.putIfAbsent(b.name(), b));
        List<ReplicaFinding> findings = new ArrayList<>();
        Map<String, String> unread = new LinkedHashMap<>();
        for (Registry.Bucket bucket : registered.values()) {
            Optional<ReplicationConfiguration> config;
            try {
                config = Optional.of(s3.getBucketReplication(b -> b.bucket(bucket.name())).replicationConfiguration());
            } catch (S3Exception e) {
                String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
                if ("ReplicationConfigurationNotFoundError".equals(code)) {
                    continue; // not replicated
                }
                unread.put(bucket.name(), "NotImplemented".equals(code) || e.statusCode() == 501
                        ? "the endpoint does not implement GetBucketReplication (" + code + ")"
                        : "GetBucketReplication answered " + code + ": " + e.getMessage());
                continue;
            } catch (SdkException e) {
                unread.put(bucket.name(), "GetBucketReplication failed: " + e.getMessage());
                continue;
            }
            for (ReplicationRule rule : config.map(ReplicationConfiguration::rules).orElse(List.of())) {
                if (rule.status() != ReplicationRuleStatus.ENABLED || rule.destination() == null) {
                    continue;
                }
                String arn = rule.destination().bucket();
                String destination = arn.startsWith("arn:") ? arn.substring(arn.lastIndexOf(':') + 1) : arn;
                Registry.Bucket listed = registered.get(destination);
                if (listed == null) {
                    findings.add(new ReplicaFinding(bucket.name(), destination, "which registry.yml does not list: "
                            + "add it to backups with prefix \"" + bucket.prefix() + "\" so the purge deletes the replicas"));
                } else if (!listed.prefix().equals(bucket.prefix())) {
                    findings.add(new ReplicaFinding(bucket.name(), destination, "which registry.yml lists with prefix \""
                            + listed.prefix() + "\", but the replicas keep their keys (prefix \"" + bucket.prefix() + "\")"));
                }
            }
        }
        return new ReplicationReport(registered.size(), findings, unread);
    }

    /**
     * @param ownResource the bot's own tables and buckets (state, exports), which hold no tenant data
     */
    public static Report run(Registry registry, DynamoDbClient dynamo, S3Client s3, Predicate<String> ownResource) {
        Set<String> tables = new TreeSet<>();
        dynamo.listTablesPaginator().tableNames().forEach(tables::add);
        Set<String> buckets = new TreeSet<>();
        s3.listBuckets().buckets().stream().map(Bucket::name).forEach(buckets::add);

        Set<String> knownTables = new TreeSet<>();
        Set<String> knownBuckets = new TreeSet<>();
        registry.services().forEach(service -> {
            service.tables().forEach(t -> knownTables.add(t.name()));
            service.buckets().forEach(b -> knownBuckets.add(b.name()));
        });
        registry.backups().forEach(b -> knownBuckets.add(b.name()));
        if (registry.tenantDirectory() != null) {
            knownTables.add(registry.tenantDirectory().table());
        }
        if (registry.accessTable() != null) {
            knownTables.add(registry.accessTable().table());
        }
        registry.exclusions().forEach(e -> {
            if (e.table() != null) {
                knownTables.add(e.table());
            }
            if (e.bucket() != null) {
                knownBuckets.add(e.bucket());
            }
        });

        List<Finding> findings = new ArrayList<>();
        Predicate<String> accounted = name -> registry.protectedResources().covers(name) || ownResource.test(name);
        tables.stream().filter(t -> !knownTables.contains(t) && !accounted.test(t))
                .forEach(t -> findings.add(new Finding(Kind.TABLE, t, false)));
        buckets.stream().filter(b -> !knownBuckets.contains(b) && !accounted.test(b))
                .forEach(b -> findings.add(new Finding(Kind.BUCKET, b, false)));
        knownTables.stream().filter(t -> !tables.contains(t))
                .forEach(t -> findings.add(new Finding(Kind.TABLE, t, true)));
        knownBuckets.stream().filter(b -> !buckets.contains(b))
                .forEach(b -> findings.add(new Finding(Kind.BUCKET, b, true)));
        return new Report(registry.version(), tables.size(), buckets.size(), findings);
    }
}
