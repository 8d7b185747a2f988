package io.offboard.exporter.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.offboard.exporter.format.CanonicalJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How a DynamoDB item becomes JSON in an export (JSONL rows and Parquet {@code item_json}).
 *
 * <table>
 *   <caption>DynamoDB type → JSON</caption>
 *   <tr><th>DynamoDB</th><th>JSON</th></tr>
 *   <tr><td>{@code S} string</td><td>string, as stored</td></tr>
 *   <tr><td>{@code N} number</td><td>number, exactly the stored digits (arbitrary precision, never rounded through
 *       a float; written in plain notation: {@code 1E+3} is written {@code 1000})</td></tr>
 *   <tr><td>{@code BOOL}</td><td>{@code true} / {@code false}</td></tr>
 *   <tr><td>{@code NULL}</td><td>{@code null}</td></tr>
 *   <tr><td>{@code B} binary</td><td>string: standard Base64 (RFC 4648 §4, with padding)</td></tr>
 *   <tr><td>{@code M} map</td><td>object, keys sorted</td></tr>
 *   <tr><td>{@code L} list</td><td>array, in stored order</td></tr>
 *   <tr><td>{@code SS} string set</td><td>array of strings, sorted</td></tr>
 *   <tr><td>{@code NS} number set</td><td>array of numbers, sorted by value</td></tr>
 *   <tr><td>{@code BS} binary set</td><td>array of Base64 strings, sorted by the bytes (unsigned)</td></tr>
 * </table>
 *
 * <p>Object keys (the item's attribute names and every map's keys) are sorted at every level by
 * {@link String#compareTo} (UTF-16 code units). Sets are sorted because DynamoDB does not keep their order.
 * A JSON reader therefore cannot tell a set from a list, a binary from a string that happens to look like Base64,
 * or a number set from a list of numbers; everything else round-trips. The same item always gives the same JSON
 * bytes through {@link CanonicalJson}, whatever order its maps were built in.
 */
public final class ItemJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final Comparator<BigDecimal> NUMBER_ORDER =
            Comparator.<BigDecimal>naturalOrder().thenComparing(BigDecimal::toPlainString);

    private ItemJson() {
    }

    /** The item as a JSON object, keys sorted at every level. */
    public static ObjectNode toJson(Map<String, AttributeValue> item) {
        ObjectNode object = NODES.objectNode();
        String[] keys = item.keySet().toArray(String[]::new);
        Arrays.sort(keys);
        for (String key : keys) {
            object.set(key, toJson(item.get(key)));
        }
        return object;
    }

    /** One attribute value as JSON (see the class comment). */
    public static JsonNode toJson(AttributeValue value) {
        if (value == null) {
            return NullNode.instance;
        }
        switch (value.type()) {
            case S:
                return TextNode.valueOf(value.s());
            case N:
                return number(value.n());
            case BOOL:
                return BooleanNode.valueOf(value.bool());
            case NUL:
                return NullNode.instance;
            case B:
                return TextNode.valueOf(base64(value.b()));
            case M:
                return toJson(value.m());
            case L: {
                ArrayNode array = NODES.arrayNode(value.l().size());
                for (AttributeValue element : value.l()) {
                    array.add(toJson(element));
                }
                return array;
            }
            case SS: {
                String[] strings = value.ss().toArray(String[]::new);
                Arrays.sort(strings);
                ArrayNode array = NODES.arrayNode(strings.length);
                for (String s : strings) {
                    array.add(TextNode.valueOf(s));
                }
                return array;
            }
            case NS: {
                List<BigDecimal> numbers = new ArrayList<>(value.ns().size());
                for (String n : value.ns()) {
                    numbers.add(new BigDecimal(n));
                }
                numbers.sort(NUMBER_ORDER);
                ArrayNode array = NODES.arrayNode(numbers.size());
                for (BigDecimal n : numbers) {
                    array.add(DecimalNode.valueOf(n));
                }
                return array;
            }
            case BS: {
                List<byte[]> binaries = new ArrayList<>(value.bs().size());
                for (SdkBytes b : value.bs()) {
                    binaries.add(b.asByteArrayUnsafe());
                }
                binaries.sort(Arrays::compareUnsigned);
                ArrayNode array = NODES.arrayNode(binaries.size());
                for (byte[] b : binaries) {
                    array.add(TextNode.valueOf(Base64.getEncoder().encodeToString(b)));
                }
                return array;
            }
            default:
                throw new IllegalArgumentException("attribute value of unknown type: " + value);
        }
    }

    /** The item's canonical JSON bytes ({@link CanonicalJson}). */
    public static byte[] bytes(Map<String, AttributeValue> item) {
        return CanonicalJson.bytes(toJson(item));
    }

    /**
     * The DynamoDB number as an exact JSON number. {@link DecimalNode#valueOf} keeps the digits as given
     * (the node factory would strip trailing zeros).
     */
    private static JsonNode number(String n) {
        return DecimalNode.valueOf(new BigDecimal(n));
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }
}
