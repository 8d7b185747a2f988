package io.offboard.lifecycle.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Leases with expiry, one item per leased thing: a sweep (a replica, an Actions run) holds a record's lease
 * while it works on it, so two sweeps do not both start the same long step (a purge). Correctness does
 * not rest on the lease alone: every state change is still conditional on the record's revision; the lease
 * keeps concurrent sweeps from wasting work and from doubling side effects between two writes.
 * A lease whose holder died expires and is taken over.
 */
public class LeaseStore {

    static final String KEY = "lease_key";

    private final DynamoDbClient dynamo;
    private final BotTables tables;
    private final Clock clock;

    public LeaseStore(DynamoDbClient dynamo, BotTables tables, Clock clock) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.clock = clock;
    }

    /** Takes (or renews) the lease on {@code key} for {@code holder}; false if someone else holds it. */
    public boolean acquire(String key, String holder, Duration ttl) {
        long now = clock.millis();
        try {
            dynamo.putItem(b -> b.tableName(tables.leases())
                    .item(Map.of(KEY, AttributeValue.fromS(key),
                            "holder", AttributeValue.fromS(holder),
                            "expires_at", AttributeValue.fromN(Long.toString(now + ttl.toMillis()))))
                    .conditionExpression("attribute_not_exists(" + KEY + ") OR expires_at < :now OR holder = :me")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now)),
                            ":me", AttributeValue.fromS(holder))));
            return true;
        } catch (ConditionalCheckFailedException heldElsewhere) {
            return false;
        }
    }

    /** Gives the lease back early; does nothing if it has already passed to someone else. */
    public void release(String key, String holder) {
        try {
            dynamo.deleteItem(b -> b.tableName(tables.leases())
                    .key(Map.of(KEY, AttributeValue.fromS(key)))
                    .conditionExpression("holder = :me")
                    .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(holder))));
        } catch (ConditionalCheckFailedException notOurs) {
            // expired and taken over: the new holder's lease stays
        }
    }
}
