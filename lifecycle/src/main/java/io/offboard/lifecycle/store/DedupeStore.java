package io.offboard.lifecycle.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Remembers what has been done once (a webhook delivery, a command in a comment) across restarts and
 * replicas: the first conditional put of a key wins, every later one learns it was seen before.
 */
public class DedupeStore {

    static final String KEY = "dedupe_key";
    private static final String EXPIRES = "expires_at";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DedupeStore(DynamoDbClient dynamo, BotTables tables, Clock clock) {
        this.dynamo = dynamo;
        this.table = tables.dedupe();
        this.clock = clock;
    }

    /**
     * True the first time {@code key} is claimed, or once an earlier claim has expired; false while a claim holds.
     * An expired claim counts as absent even before DynamoDB's TTL has removed it (that can take days).
     */
    public boolean claimFirst(String key, Duration keepFor) {
        long now = clock.instant().getEpochSecond();
        long expires = clock.instant().plus(keepFor).getEpochSecond();
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(KEY, AttributeValue.fromS(key), EXPIRES, AttributeValue.fromN(Long.toString(expires))))
                    .conditionExpression("attribute_not_exists(" + KEY + ") OR " + EXPIRES + " <= :now")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now)))));
            return true;
        } catch (ConditionalCheckFailedException seenBefore) {
            return false;
        }
    }

    /** Forgets a claim so that a retry of work that failed part-way can run again. */
    public void release(String key) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of(KEY, AttributeValue.fromS(key))));
    }
}
