package io.offboard.lifecycle.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Remembers what has been done once (a webhook delivery, a command in a comment) across restarts and
 * replicas: the first conditional put of a key wins, every later one learns it was seen before.
 */
public class DedupeStore {

    static final String KEY = "dedupe_key";
    private static final String EXPIRES = "expires_at";
    private static final String STATE = "claim_state";
    private static final String RUNNING = "running";
    private static final String HOLDER = "holder";
    private static final String MARK = "mark";
    /** Longer than any eviction lives. */
    private static final Duration WATERMARK_KEEP = Duration.ofDays(400);

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

    /** What {@link #begin} found. */
    public enum Start {
        /** Nobody did this before: go ahead. */
        FIRST,
        /** A worker began it and died (its lease ran out): go ahead, and expect some of it to be done already. */
        AFTER_CRASH,
        /** Another worker is doing it right now. */
        RUNNING,
        /** It was done. */
        DONE
    }

    /**
     * Begins work that must happen once (a command of a comment) under a lease, for {@code holder} (the delivery
     * doing it): a retry of the same holder after a crash goes on at once and learns that it follows a crash;
     * another holder waits until the lease has run out. Call {@link #finish} when the work is done.
     */
    public Start begin(String key, String holder, Duration lease) {
        long now = clock.instant().getEpochSecond();
        long until = clock.instant().plus(lease).getEpochSecond();
        try {
            Map<String, AttributeValue> old = dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(KEY, AttributeValue.fromS(key), STATE, AttributeValue.fromS(RUNNING),
                            HOLDER, AttributeValue.fromS(holder), EXPIRES, AttributeValue.fromN(Long.toString(until))))
                    .conditionExpression("attribute_not_exists(" + KEY + ") OR (" + STATE + " = :running AND ("
                            + EXPIRES + " <= :now OR " + HOLDER + " = :me))")
                    .expressionAttributeValues(Map.of(":running", AttributeValue.fromS(RUNNING),
                            ":now", AttributeValue.fromN(Long.toString(now)), ":me", AttributeValue.fromS(holder)))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
            return old == null || old.isEmpty() ? Start.FIRST : Start.AFTER_CRASH;
        } catch (ConditionalCheckFailedException held) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                    .key(Map.of(KEY, AttributeValue.fromS(key))).consistentRead(true)).item();
            boolean running = item != null && item.containsKey(STATE) && RUNNING.equals(item.get(STATE).s());
            return running ? Start.RUNNING : Start.DONE;
        }
    }

    /** Marks work begun with {@link #begin} as done, remembered for {@code keepFor}. */
    public void finish(String key, Duration keepFor) {
        long expires = clock.instant().plus(keepFor).getEpochSecond();
        dynamo.putItem(b -> b.tableName(table).item(Map.of(KEY, AttributeValue.fromS(key),
                STATE, AttributeValue.fromS("done"), EXPIRES, AttributeValue.fromN(Long.toString(expires)))));
    }

    /**
     * Moves the watermark {@code key} up to {@code value}; false (nothing written) if it already stands above it.
     * Lets a handler drop what arrives late: an older edit after a newer one (an equal value is let through: the
     * same edit again, or two GitHub cannot tell apart by its second-precision timestamps).
     */
    public boolean advance(String key, long value) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(KEY, AttributeValue.fromS(key), MARK, AttributeValue.fromN(Long.toString(value)),
                            EXPIRES, AttributeValue.fromN(Long.toString(clock.instant().plus(WATERMARK_KEEP)
                                    .getEpochSecond()))))
                    .conditionExpression("attribute_not_exists(" + MARK + ") OR " + MARK + " <= :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(value)))));
            return true;
        } catch (ConditionalCheckFailedException notNewer) {
            return false;
        }
    }

    /** Whether {@code key} is claimed now (an expired claim counts as absent). */
    public boolean seen(String key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(KEY, AttributeValue.fromS(key))).consistentRead(true)).item();
        return item != null && !item.isEmpty() && Long.parseLong(item.get(EXPIRES).n()) > clock.instant().getEpochSecond();
    }

    /** Forgets a claim so that a retry of work that failed part-way can run again. */
    public void release(String key) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of(KEY, AttributeValue.fromS(key))));
    }
}
