package io.offboard.exporter.export;

import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.source.BucketSource;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How big an export of a tenant will be and how long it should take, before it starts: item counts by
 * COUNT queries (a COUNT scan for scan-only tables), bytes from the tables' average item size and the
 * object listing, duration from the throughput measured on earlier exports.
 */
public final class ExportEstimator {

    /** JSON rows are larger than DynamoDB's item size: attribute names repeated, numbers as text. */
    private static final double JSON_OVERHEAD = 1.4;
    private static final long FALLBACK_ITEM_BYTES = 512;

    private final Registry registry;
    private final DynamoDbClient dynamo;
    private final S3Client s3;

    public record Estimate(long items, long objects, long bytes, Duration duration) {
    }

    public ExportEstimator(Registry registry, DynamoDbClient dynamo, S3Client s3) {
        this.registry = registry;
        this.dynamo = dynamo;
        this.s3 = s3;
    }

    public Estimate estimate(String orgcode, double bytesPerSecond) {
        long items = 0;
        long objects = 0;
        double bytes = 0;
        for (Registry.Service service : ExportPlan.services(registry)) {
            for (Registry.Table table : service.tables()) {
                long count = count(table, orgcode);
                items += count;
                bytes += count * averageItemBytes(table.name()) * JSON_OVERHEAD;
            }
            for (Registry.Bucket bucket : service.buckets()) {
                try (var listing = new BucketSource(s3, bucket, orgcode).listLatest()) {
                    for (var object : (Iterable<BucketSource.ObjectEntry>) listing::iterator) {
                        objects++;
                        bytes += object.size();
                    }
                }
            }
        }
        long seconds = (long) Math.ceil(bytes / Math.max(1, bytesPerSecond));
        return new Estimate(items, objects, (long) bytes, Duration.ofSeconds(Math.max(1, seconds)));
    }

    private long count(Registry.Table table, String orgcode) {
        Map<String, AttributeValue> values = Map.of(":org", AttributeValue.fromS(orgcode));
        return switch (table.findBy()) {
            case PARTITION_KEY, GSI -> {
                long n = 0;
                for (var page : dynamo.queryPaginator(b -> {
                    b.tableName(table.name()).select(Select.COUNT)
                            .keyConditionExpression("#k = :org")
                            .expressionAttributeNames(Map.of("#k", table.key()))
                            .expressionAttributeValues(values);
                    if (table.findBy() == Registry.FindBy.GSI) {
                        b.indexName(table.index());
                    }
                })) {
                    n += page.count();
                }
                yield n;
            }
            case SCAN -> {
                long n = 0;
                for (var page : dynamo.scanPaginator(b -> b.tableName(table.name()).select(Select.COUNT)
                        .filterExpression("#a = :org")
                        .expressionAttributeNames(Map.of("#a", table.attribute()))
                        .expressionAttributeValues(values))) {
                    n += page.count();
                }
                yield n;
            }
        };
    }

    private long averageItemBytes(String table) {
        TableDescription description = dynamo.describeTable(b -> b.tableName(table)).table();
        Long size = description.tableSizeBytes();
        Long count = description.itemCount();
        if (size == null || count == null || count == 0 || size == 0) {
            return FALLBACK_ITEM_BYTES;
        }
        return Math.max(1, size / count);
    }
}
