package io.offboard.local.platform;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The demo platform's write path, as the platform's services would write: every write of a tenant's item
 * is one transaction with a condition check that the tenant's access mode is still {@code live}, so after
 * cutover ({@code export_only}) the platform refuses it, whoever asks.
 */
public final class PlatformWrites {

    private final DynamoDbClient dynamo;

    public PlatformWrites(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    /** Thrown when the tenant is frozen (export-only): the write did not happen. */
    public static final class TenantFrozenException extends RuntimeException {
        public TenantFrozenException(String orgcode) {
            super("tenant " + orgcode + " is export-only: the platform refuses writes");
        }
    }

    /** Writes {@code item} (which must carry the tenant's key attributes) to {@code table} for {@code orgcode}. */
    public void put(String orgcode, String table, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = Map.of("orgcode", AttributeValue.fromS(orgcode));
        try {
            dynamo.transactWriteItems(b -> b.transactItems(List.of(
                    TransactWriteItem.builder().conditionCheck(c -> c.tableName(DemoPlatform.PLATFORM_ACCESS)
                            .key(key)
                            .conditionExpression("#mode = :live")
                            .expressionAttributeNames(Map.of("#mode", "mode"))
                            .expressionAttributeValues(Map.of(":live", AttributeValue.fromS("live")))).build(),
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(new HashMap<>(item))).build())));
        } catch (TransactionCanceledException e) {
            boolean frozen = !e.cancellationReasons().isEmpty()
                    && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code());
            if (frozen) {
                throw new TenantFrozenException(orgcode);
            }
            throw e;
        }
    }
}
