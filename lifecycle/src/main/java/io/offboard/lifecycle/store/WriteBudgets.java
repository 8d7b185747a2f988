package io.offboard.lifecycle.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Caps how many writes to GitHub (replies, reactions) one person can cause on one issue per window, shared by
 * every replica: one counter item per (budget key, window) in the dedupe table, spent with a conditional
 * increment, so a flood of comments costs the bot a few DynamoDB writes and GitHub nothing once it is spent.
 */
public class WriteBudgets {

    private static final String SPENT = "spent";
    private static final String EXPIRES = "expires_at";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public WriteBudgets(DynamoDbClient dynamo, BotTables tables, Clock clock) {
        this.dynamo = dynamo;
        this.table = tables.dedupe();
        this.clock = clock;
    }

    /**
     * Spends one write of budget {@code key} in the current {@code window} (fixed windows from the epoch); false
     * when {@code limit} writes were already spent in it.
     */
    public boolean spend(String key, int limit, Duration window) {
        Instant now = clock.instant();
        long windowStart = now.getEpochSecond() / window.toSeconds() * window.toSeconds();
        long expires = windowStart + window.toSeconds() * 2;
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(DedupeStore.KEY, AttributeValue.fromS("budget:" + key + "@" + windowStart)))
                    .updateExpression("ADD " + SPENT + " :one SET " + EXPIRES + " = :expires")
                    .conditionExpression("attribute_not_exists(" + SPENT + ") OR " + SPENT + " < :limit")
                    .expressionAttributeValues(Map.of(
                            ":one", AttributeValue.fromN("1"),
                            ":limit", AttributeValue.fromN(Integer.toString(limit)),
                            ":expires", AttributeValue.fromN(Long.toString(expires)))));
            return true;
        } catch (ConditionalCheckFailedException spent) {
            return false;
        }
    }
}
