package io.offboard.exporter.platform;

import io.offboard.exporter.registry.Registry;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Answers whether a tenant exists on the platform, from the table the registry names as the directory. */
public class TenantDirectory {

    private final DynamoDbClient dynamo;
    private final Registry.TableKey directory;

    public TenantDirectory(DynamoDbClient dynamo, Registry registry) {
        this.dynamo = dynamo;
        this.directory = registry.tenantDirectory();
    }

    public boolean exists(String orgcode) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(directory.table())
                .key(Map.of(directory.key(), AttributeValue.fromS(orgcode)))
                .projectionExpression("#k")
                .expressionAttributeNames(Map.of("#k", directory.key()))).item();
        return item != null && !item.isEmpty();
    }
}
