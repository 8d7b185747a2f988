package io.offboard.exporter.purge;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Deletes DynamoDB items by key with {@code BatchWriteItem}, retrying {@code UnprocessedItems} by the policy. */
final class TableDeleter {

    /** BatchWriteItem takes at most 25 requests. */
    static final int MAX_BATCH = 25;

    private final DynamoDbClient dynamo;
    private final RetryPolicy retry;

    TableDeleter(DynamoDbClient dynamo, RetryPolicy retry) {
        this.dynamo = dynamo;
        this.retry = retry;
    }

    /**
     * Deletes the items with these keys (at most {@value #MAX_BATCH}) and returns how many DynamoDB processed:
     * what was sent minus what came back unprocessed, over every attempt. Deleting a key that is already gone
     * counts (DynamoDB cannot tell); the purge only sends keys it just listed, or a batch it sent before a crash
     * without recording it.
     *
     * @throws PurgeFailedException if some stay unprocessed after every attempt
     */
    long delete(String table, List<Map<String, AttributeValue>> keys) {
        if (keys.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " keys per BatchWriteItem: " + keys.size());
        }
        List<WriteRequest> requests = keys.stream()
                .map(key -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build())
                .toList();
        AtomicLong deleted = new AtomicLong();
        retry.run("deleting from " + table, requests, batch -> {
            BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
            List<WriteRequest> unprocessed = response.hasUnprocessedItems()
                    ? response.unprocessedItems().getOrDefault(table, List.of())
                    : List.of();
            deleted.addAndGet(batch.size() - unprocessed.size());
            return unprocessed;
        });
        return deleted.get();
    }

    /** The table's key attributes, hash first: what the purge reads and deletes by. */
    static List<String> keyAttributes(DynamoDbClient dynamo, String table) {
        List<KeySchemaElement> schema = dynamo.describeTable(b -> b.tableName(table)).table().keySchema();
        return schema.stream()
                .sorted((a, b) -> a.keyType() == b.keyType() ? 0 : a.keyType() == KeyType.HASH ? -1 : 1)
                .map(KeySchemaElement::attributeName)
                .toList();
    }
}
