package io.offboard.lifecycle.store;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
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

    public List<String> all() {
        return List.of(evictions(), tenantClaims(), dedupe(), audit(), exports());
    }

    /** Creates whichever of the bot's tables do not exist yet and waits until they are active. */
    public void createMissing(DynamoDbClient dynamo) {
        create(dynamo, evictions(), EvictionStore.KEY, null);
        create(dynamo, tenantClaims(), EvictionStore.CLAIM_KEY, null);
        create(dynamo, dedupe(), DedupeStore.KEY, null);
        create(dynamo, audit(), AuditLog.PARTITION, AuditLog.SORT);
        create(dynamo, exports(), ExportStore.KEY, null);
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
