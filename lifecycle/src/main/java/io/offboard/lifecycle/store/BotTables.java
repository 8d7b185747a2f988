package io.offboard.lifecycle.store;

import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Names and shapes of the bot's own tables. In production they come from infrastructure code;
 * {@link #createMissing} exists for the embedded default and for tests.
 */
public record BotTables(String prefix) {

    public static final String DEFAULT_PREFIX = "offboard_";

    public String evictions() {
        return prefix + "evictions";
    }

    public String tenantClaims() {
        return prefix + "tenant_claims";
    }

    public String dedupe() {
        return prefix + "dedupe";
    }

    public String audit() {
        return prefix + "audit";
    }

    public String exports() {
        return prefix + "exports";
    }

    public String leases() {
        return prefix + "leases";
    }

    /** Webhook deliveries, stored before they are acknowledged, with their sparse index of pending ones. */
    public String deliveries() {
        return prefix + "deliveries";
    }

    /** Purge checkpoints and the permanent verification reports (deletion receipts). */
    public String purges() {
        return prefix + "purges";
    }

    /**
     * Whether a platform table or bucket is offboard's own (these tables, the exports bucket): they hold no
     * tenant data, so the registry neither covers nor excludes them.
     */
    public Predicate<String> ownResources(String exportsBucket) {
        return name -> name.startsWith(prefix) || name.equals(exportsBucket);
    }

    /** Creates whichever of the bot's tables do not exist yet and waits until they are active. */
    public void createMissing(DynamoDbClient dynamo) {
        createEvictions(dynamo);
        create(dynamo, tenantClaims(), EvictionStore.CLAIM_KEY, null);
        create(dynamo, dedupe(), DedupeStore.KEY, null);
        create(dynamo, audit(), AuditLog.PARTITION, AuditLog.SORT);
        create(dynamo, exports(), ExportStore.KEY, null);
        create(dynamo, leases(), LeaseStore.KEY, null);
        create(dynamo, purges(), "purge_id", null);
        createDeliveries(dynamo);
    }

    /** The deliveries table and its sparse index of pending deliveries by the time they may next be taken. */
    private void createDeliveries(DynamoDbClient dynamo) {
        try {
            dynamo.createTable(b -> b.tableName(deliveries())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(DeliveryStore.KEY)
                                    .attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(DeliveryStore.PENDING_SHARD)
                                    .attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(DeliveryStore.NEXT_AT)
                                    .attributeType(ScalarAttributeType.N).build())
                    .keySchema(KeySchemaElement.builder().attributeName(DeliveryStore.KEY).keyType(KeyType.HASH).build())
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(DeliveryStore.PENDING_INDEX)
                            .keySchema(
                                    KeySchemaElement.builder().attributeName(DeliveryStore.PENDING_SHARD)
                                            .keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName(DeliveryStore.NEXT_AT)
                                            .keyType(KeyType.RANGE).build())
                            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                            .build()));
        } catch (ResourceInUseException alreadyThere) {
            // created by an earlier start or another replica
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(deliveries()));
    }

    /** The evictions table and its sparse due index (next-due time per record with something due). */
    private void createEvictions(DynamoDbClient dynamo) {
        try {
            dynamo.createTable(b -> b.tableName(evictions())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(EvictionStore.KEY)
                                    .attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(EvictionStore.DUE_SHARD)
                                    .attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(EvictionStore.DUE_AT)
                                    .attributeType(ScalarAttributeType.N).build())
                    .keySchema(KeySchemaElement.builder().attributeName(EvictionStore.KEY).keyType(KeyType.HASH).build())
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(EvictionStore.DUE_INDEX)
                            .keySchema(
                                    KeySchemaElement.builder().attributeName(EvictionStore.DUE_SHARD)
                                            .keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName(EvictionStore.DUE_AT)
                                            .keyType(KeyType.RANGE).build())
                            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                            .build()));
        } catch (ResourceInUseException alreadyThere) {
            // created by an earlier start or another replica; one made before the due index existed gets it now
            addDueIndexIfMissing(dynamo);
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(evictions()));
    }

    private void addDueIndexIfMissing(DynamoDbClient dynamo) {
        boolean present = dynamo.describeTable(b -> b.tableName(evictions())).table().globalSecondaryIndexes().stream()
                .anyMatch(i -> i.indexName().equals(EvictionStore.DUE_INDEX));
        if (present) {
            return;
        }
        dynamo.updateTable(b -> b.tableName(evictions())
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(EvictionStore.DUE_SHARD)
                                .attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(EvictionStore.DUE_AT)
                                .attributeType(ScalarAttributeType.N).build())
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(EvictionStore.DUE_INDEX)
                        .keySchema(
                                KeySchemaElement.builder().attributeName(EvictionStore.DUE_SHARD).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(EvictionStore.DUE_AT).keyType(KeyType.RANGE).build())
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()))));
    }

    private static void create(DynamoDbClient dynamo, String table, String hashKey, String rangeKey) {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST);
        if (rangeKey == null) {
            request.attributeDefinitions(AttributeDefinition.builder().attributeName(hashKey)
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
        } else {
            request.attributeDefinitions(
                            AttributeDefinition.builder().attributeName(hashKey).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(rangeKey).attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(rangeKey).keyType(KeyType.RANGE).build());
        }
        try {
            dynamo.createTable(request.build());
        } catch (ResourceInUseException alreadyThere) {
            // created by an earlier start or another replica: nothing to do
        }
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
    }
}
