package io.offboard.lifecycle.store;

import io.offboard.lifecycle.eviction.EvictionId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Append-only record of who did what to an eviction: entries are only ever added, never changed. */
public class AuditLog {

    static final String PARTITION = "eviction_id";
    static final String SORT = "at_id";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public record Entry(Instant at, String actor, String action, String detail) {
    }

    public AuditLog(DynamoDbClient dynamo, BotTables tables, Clock clock) {
        this.dynamo = dynamo;
        this.table = tables.audit();
        this.clock = clock;
    }

    public void append(EvictionId eviction, String actor, String action, String detail) {
        Instant now = clock.instant();
        // the random suffix keeps two entries of the same instant apart; the instant prefix keeps them ordered
        String sort = now + "#" + UUID.randomUUID();
        dynamo.putItem(b -> b.tableName(table)
                .item(Map.of(
                        PARTITION, AttributeValue.fromS(eviction.toString()),
                        SORT, AttributeValue.fromS(sort),
                        "actor", AttributeValue.fromS(actor),
                        "action", AttributeValue.fromS(action),
                        "detail", AttributeValue.fromS(detail == null ? "" : detail)))
                .conditionExpression("attribute_not_exists(" + SORT + ")"));
    }

    public List<Entry> entries(EvictionId eviction) {
        return dynamo.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression(PARTITION + " = :id")
                        .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(eviction.toString())))
                        .consistentRead(true))
                .items().stream()
                .map(item -> new Entry(
                        Instant.parse(item.get(SORT).s().substring(0, item.get(SORT).s().indexOf('#'))),
                        item.get("actor").s(), item.get("action").s(), item.get("detail").s()))
                .toList();
    }
}
