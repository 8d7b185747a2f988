package io.offboard.exporter.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * Compares the registry with what the running platform holds: a table or bucket the registry neither
 * covers, excludes nor protects is a gap in the export tooling (seed 003: a platform bug, not an owner's
 * problem). Resources the registry names but the platform lacks are reported too, as stale entries.
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
