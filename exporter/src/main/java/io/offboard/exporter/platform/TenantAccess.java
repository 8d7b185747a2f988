package io.offboard.exporter.platform;

import io.offboard.exporter.registry.Registry;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The tenant's access mode in the platform's access table (registry {@code access_table}): {@code live}, or
 * {@code export_only} after cutover, when the platform refuses every write of the tenant and only exports read.
 * Freezing is idempotent, so a cutover interrupted after it and retried does no harm.
 */
public class TenantAccess {

    public static final String LIVE = "live";
    public static final String EXPORT_ONLY = "export_only";

    private final DynamoDbClient dynamo;
    private final Registry.TableKey access;

    public TenantAccess(DynamoDbClient dynamo, Registry registry) {
        this.dynamo = dynamo;
        this.access = registry.accessTable();
    }

    /** Sets the tenant to export-only, read-only, recording when and why (the eviction issue). */
    public void freeze(String orgcode, Instant at, String evictionRef) {
        dynamo.updateItem(b -> b.tableName(access.table())
                .key(Map.of(access.key(), AttributeValue.fromS(orgcode)))
                .updateExpression("SET #mode = :mode, frozen_at = if_not_exists(frozen_at, :at), "
                        + "frozen_by = if_not_exists(frozen_by, :ref), updated_at = :at")
                .expressionAttributeNames(Map.of("#mode", "mode"))
                .expressionAttributeValues(Map.of(
                        ":mode", AttributeValue.fromS(EXPORT_ONLY),
                        ":at", AttributeValue.fromS(at.toString()),
                        ":ref", AttributeValue.fromS(evictionRef))));
    }

    /** The tenant's mode as the platform sees it; empty when the table has no entry for it. */
    public Optional<String> mode(String orgcode) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(access.table())
                .key(Map.of(access.key(), AttributeValue.fromS(orgcode)))
                .consistentRead(true)).item();
        return item == null || !item.containsKey("mode") ? Optional.empty() : Optional.of(item.get("mode").s());
    }
}
