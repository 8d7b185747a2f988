package io.offboard.exporter.purge;

import io.offboard.exporter.registry.Registry;
import java.util.Objects;

/** One place a purge deletes from: a registry table, or the tenant's prefix in a bucket. */
public sealed interface PurgeSource permits PurgeSource.TableItems, PurgeSource.BucketPrefix {

    String KIND_DYNAMODB = "dynamodb";
    String KIND_S3 = "s3";

    /** Stable name of the source, used as its key in the stored progress: {@code dynamodb:<table>}, {@code s3:<bucket>/<prefix>}. */
    String id();

    /** The registry service it belongs to ({@code backups} and {@code exports} for those tiers). */
    String service();

    Tier tier();

    /** {@value #KIND_DYNAMODB} or {@value #KIND_S3}. */
    String kind();

    /** The table or bucket name. */
    String resource();

    /** The tenant's key prefix, {@code null} for a table. */
    String prefix();

    /** A registry table; the tenant's items are found as the registry says (partition key, GSI or scan). */
    record TableItems(String service, Registry.Table table) implements PurgeSource {
        public TableItems {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(table, "table");
        }

        @Override
        public String id() {
            return KIND_DYNAMODB + ":" + table.name();
        }

        @Override
        public Tier tier() {
            return Tier.TENANT;
        }

        @Override
        public String kind() {
            return KIND_DYNAMODB;
        }

        @Override
        public String resource() {
            return table.name();
        }

        @Override
        public String prefix() {
            return null;
        }
    }

    /** Every object version and delete marker under {@code prefix} in {@code bucket}. */
    record BucketPrefix(String service, Tier tier, String bucket, String prefix) implements PurgeSource {
        public BucketPrefix {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(tier, "tier");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(prefix, "prefix");
        }

        @Override
        public String id() {
            return KIND_S3 + ":" + bucket + "/" + prefix;
        }

        @Override
        public String kind() {
            return KIND_S3;
        }

        @Override
        public String resource() {
            return bucket;
        }
    }
}
