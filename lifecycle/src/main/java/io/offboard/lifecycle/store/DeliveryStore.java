package io.offboard.lifecycle.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Webhook deliveries, stored before GitHub is answered 202, so a crash or a restart after the answer loses nothing:
 * workers take a delivery under a lease (a conditional write), mark it done when it is handled, and give it back
 * for a later retry when it fails. A delivery whose worker died becomes takeable again when its lease runs out;
 * the sparse index {@value #PENDING_INDEX} lists what is waiting, so recovering costs what is pending, not what
 * was ever received. Items expire after {@link #KEEP} (DynamoDB TTL), which also bounds redelivery dedupe.
 */
public class DeliveryStore {

    static final String KEY = "delivery_id";
    static final String PENDING_INDEX = "by_next";
    static final String PENDING_SHARD = "pending_shard";
    static final String NEXT_AT = "next_at";
    private static final String PENDING = "pending";
    /** GitHub redelivers for about three days; a week also covers manual redeliveries. */
    public static final Duration KEEP = Duration.ofDays(7);
    /** A body larger than this is stored compressed (GitHub sends up to 25 MiB; an item holds 400 KB). */
    static final int COMPRESS_ABOVE = 16 * 1024;
    /** What still does not fit compressed goes to the overflow (the bot's bucket). */
    static final int INLINE_LIMIT = 300 * 1024;

    /** Where bodies too large for an item are kept (the bot's bucket). */
    public interface Overflow {
        void put(String key, byte[] body);

        byte[] get(String key);

        void delete(String key);
    }

    /** A delivery taken by a worker. {@code attempt} is 1 the first time, more after a crash or a failure. */
    public record Taken(String id, String event, byte[] body, int attempt) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Overflow overflow;

    public DeliveryStore(DynamoDbClient dynamo, BotTables tables, Clock clock, Overflow overflow) {
        this.dynamo = dynamo;
        this.table = tables.deliveries();
        this.clock = clock;
        this.overflow = overflow;
    }

    /**
     * Stores a verified delivery for processing; false if it was stored before (GitHub redelivered it: it is
     * handled once). Throws if the store cannot take it (the caller answers 503 so GitHub retries).
     */
    public boolean accept(String id, String event, byte[] body) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(id));
        item.put("event", AttributeValue.fromS(event));
        item.put("received_at", AttributeValue.fromS(now.toString()));
        item.put("attempts", AttributeValue.fromN("0"));
        item.put(PENDING_SHARD, AttributeValue.fromS(PENDING));
        item.put(NEXT_AT, AttributeValue.fromN(Long.toString(now.toEpochMilli())));
        item.put("expires_at", AttributeValue.fromN(Long.toString(now.plus(KEEP).getEpochSecond())));
        putBody(item, id, body);
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(" + KEY + ")"));
            return true;
        } catch (ConditionalCheckFailedException seenBefore) {
            if (item.containsKey("overflow_key")) {
                overflow.delete(item.get("overflow_key").s());
            }
            return false;
        }
    }

    /**
     * Takes a pending delivery for {@code worker} for {@code lease}; empty if it is done, failed for good, or held
     * by a worker whose lease has not run out.
     */
    public Optional<Taken> take(String id, String worker, Duration lease) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item;
        try {
            item = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(KEY, AttributeValue.fromS(id)))
                    .updateExpression("SET lease_owner = :me, " + NEXT_AT + " = :until ADD attempts :one")
                    .conditionExpression(PENDING_SHARD + " = :pending AND " + NEXT_AT + " <= :now")
                    .expressionAttributeValues(Map.of(
                            ":me", AttributeValue.fromS(worker),
                            ":until", AttributeValue.fromN(Long.toString(now.plus(lease).toEpochMilli())),
                            ":one", AttributeValue.fromN("1"),
                            ":pending", AttributeValue.fromS(PENDING),
                            ":now", AttributeValue.fromN(Long.toString(now.toEpochMilli()))))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
        } catch (ConditionalCheckFailedException notTakeable) {
            return Optional.empty();
        }
        return Optional.of(new Taken(id, item.get("event").s(), body(item), Integer.parseInt(item.get("attempts").n())));
    }

    /** The delivery is handled: it leaves the pending index (and is remembered until it expires, for dedupe). */
    public void done(String id, String worker) {
        finish(id, worker, "done", null);
    }

    /** Handled for good without success (a poison delivery): kept for the operators, never retried. */
    public void failed(String id, String worker, String why) {
        finish(id, worker, "failed", why);
    }

    /** Gives a delivery back after a failure; it is takeable again at {@code retryAt}. */
    public void retryLater(String id, String worker, Instant retryAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(KEY, AttributeValue.fromS(id)))
                    .updateExpression("SET " + NEXT_AT + " = :at REMOVE lease_owner")
                    .conditionExpression("lease_owner = :me")
                    .expressionAttributeValues(Map.of(":at", AttributeValue.fromN(Long.toString(retryAt.toEpochMilli())),
                            ":me", AttributeValue.fromS(worker))));
        } catch (ConditionalCheckFailedException takenOver) {
            // the lease ran out and another worker has it now
        }
    }

    /** Pending deliveries takeable now (new ones, and those whose worker died or whose retry time came). */
    public List<String> takeable(int limit) {
        List<String> ids = new ArrayList<>();
        var pages = dynamo.queryPaginator(b -> b.tableName(table).indexName(PENDING_INDEX)
                .keyConditionExpression(PENDING_SHARD + " = :p AND " + NEXT_AT + " <= :now")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(PENDING),
                        ":now", AttributeValue.fromN(Long.toString(clock.millis()))))
                .projectionExpression(KEY).limit(Math.min(limit, 100)));
        for (Map<String, AttributeValue> item : pages.items()) {
            ids.add(item.get(KEY).s());
            if (ids.size() >= limit) {
                break;
            }
        }
        return ids;
    }

    /** How the delivery stands: pending, done or failed (absent if never received or expired). */
    public Optional<String> status(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(KEY, AttributeValue.fromS(id))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(item.containsKey("status") ? item.get("status").s() : PENDING);
    }

    private void finish(String id, String worker, String status, String why) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":me", AttributeValue.fromS(worker));
        values.put(":status", AttributeValue.fromS(status));
        values.put(":why", AttributeValue.fromS(why == null ? "" : why));
        Map<String, AttributeValue> old;
        try {
            old = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(KEY, AttributeValue.fromS(id)))
                    .updateExpression("SET #status = :status, outcome = :why REMOVE " + PENDING_SHARD + ", "
                            + NEXT_AT + ", lease_owner, body")
                    .conditionExpression("lease_owner = :me")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
        } catch (ConditionalCheckFailedException takenOver) {
            return; // the lease ran out and another worker finishes it; handlers are idempotent
        }
        if (old != null && old.containsKey("overflow_key")) {
            overflow.delete(old.get("overflow_key").s());
        }
    }

    private void putBody(Map<String, AttributeValue> item, String id, byte[] body) {
        byte[] stored = body;
        if (body.length > COMPRESS_ABOVE) {
            stored = gzip(body);
            item.put("encoding", AttributeValue.fromS("gzip"));
        }
        if (stored.length > INLINE_LIMIT) {
            // a key of this copy's own: when GitHub sends the delivery again, the copy it is refused for is deleted
            // and the one stored first (perhaps still waiting for a worker) keeps its body
            String key = "deliveries/" + id + "/" + UUID.randomUUID();
            overflow.put(key, stored);
            item.put("overflow_key", AttributeValue.fromS(key));
        } else {
            item.put("body", AttributeValue.fromB(SdkBytes.fromByteArray(stored)));
        }
    }

    private byte[] body(Map<String, AttributeValue> item) {
        byte[] stored = item.containsKey("overflow_key") ? overflow.get(item.get("overflow_key").s())
                : item.get("body").b().asByteArray();
        return item.containsKey("encoding") ? gunzip(stored) : stored;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
