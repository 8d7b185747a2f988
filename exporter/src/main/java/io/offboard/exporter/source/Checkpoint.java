package io.offboard.exporter.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.exporter.format.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where a {@link TableSource} read stands: the segment being read and the last evaluated key of the last page
 * handed out (DynamoDB JSON, e.g. {@code {"order_id":{"S":"ORD-00003"},"orgcode":{"S":"acme"}}}), or
 * {@link #DONE}. Resuming from a checkpoint returns exactly the items after it. Opaque to callers: persist
 * {@link #token()} and {@link #parse} it back. Resume with the same table, tenant and {@link TableSource.Options}
 * (segment count and page limit) it was taken with.
 *
 * @param segment          the segment to read next ({@code 0} for queries), {@code -1} for {@link #DONE}
 * @param lastEvaluatedKey the key to continue the segment after, or {@code null} to start the segment from the
 *                         beginning
 */
public record Checkpoint(int segment, String lastEvaluatedKey) {

    /** Nothing read yet. */
    public static final Checkpoint START = new Checkpoint(0, null);
    /** Everything read. */
    public static final Checkpoint DONE = new Checkpoint(-1, null);

    private static final String DONE_TOKEN = "done";

    public Checkpoint {
        if (segment < -1 || (segment == -1 && lastEvaluatedKey != null)) {
            throw new IllegalArgumentException("invalid checkpoint: segment " + segment + ", key " + lastEvaluatedKey);
        }
    }

    public boolean isDone() {
        return segment == -1;
    }

    /** The checkpoint as one string to persist: {@code done} or {@code {"key":...,"segment":n}}. */
    public String token() {
        if (isDone()) {
            return DONE_TOKEN;
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        try {
            node.set("key", lastEvaluatedKey == null ? null : CanonicalJson.mapper().readTree(lastEvaluatedKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        node.put("segment", segment);
        return CanonicalJson.string(node);
    }

    /** The checkpoint a {@link #token()} stands for. */
    public static Checkpoint parse(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("empty checkpoint token");
        }
        if (token.equals(DONE_TOKEN)) {
            return DONE;
        }
        try {
            JsonNode node = CanonicalJson.mapper().readTree(token);
            JsonNode segment = node.get("segment");
            JsonNode key = node.get("key");
            if (segment == null || !segment.canConvertToInt()) {
                throw new IllegalArgumentException("not a checkpoint token: " + token);
            }
            return new Checkpoint(segment.intValue(), key == null || key.isNull() ? null : CanonicalJson.string(key));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a checkpoint token: " + token, e);
        }
    }

    @Override
    public String toString() {
        return token();
    }

    /** The checkpoint after a page of {@code segment} whose last evaluated key is {@code key} (null: segment done). */
    static Checkpoint after(int segment, int totalSegments, Map<String, AttributeValue> key) {
        if (key != null && !key.isEmpty()) {
            return new Checkpoint(segment, encodeKey(key));
        }
        return segment + 1 < totalSegments ? new Checkpoint(segment + 1, null) : DONE;
    }

    /** The ExclusiveStartKey to continue from, or {@code null} to start the segment. */
    Map<String, AttributeValue> exclusiveStartKey() {
        return lastEvaluatedKey == null ? null : decodeKey(lastEvaluatedKey);
    }

    /** A key (S, N and B attributes) as DynamoDB JSON with sorted names. */
    public static String encodeKey(Map<String, AttributeValue> key) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, AttributeValue> e : new TreeMap<>(key).entrySet()) {
            AttributeValue v = e.getValue();
            ObjectNode typed = node.putObject(e.getKey());
            switch (v.type()) {
                case S -> typed.put("S", v.s());
                case N -> typed.put("N", v.n());
                case B -> typed.put("B", Base64.getEncoder().encodeToString(v.b().asByteArrayUnsafe()));
                default -> throw new IllegalArgumentException("key attribute " + e.getKey() + " is a " + v.type()
                        + "; DynamoDB keys are S, N or B");
            }
        }
        return CanonicalJson.string(node);
    }

    /** The key an {@link #encodeKey} string stands for. */
    public static Map<String, AttributeValue> decodeKey(String json) {
        try {
            JsonNode node = CanonicalJson.mapper().readTree(json);
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            node.properties().forEach(e -> {
                JsonNode typed = e.getValue();
                AttributeValue value;
                if (typed.has("S")) {
                    value = AttributeValue.fromS(typed.get("S").textValue());
                } else if (typed.has("N")) {
                    value = AttributeValue.fromN(typed.get("N").textValue());
                } else if (typed.has("B")) {
                    value = AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(typed.get("B").textValue())));
                } else {
                    throw new IllegalArgumentException("not a key attribute: " + typed);
                }
                key.put(e.getKey(), value);
            });
            return key;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a key: " + json, e);
        }
    }
}
