package io.offboard.exporter.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one JSON serialisation every export file uses: compact (no whitespace), UTF-8 (characters outside ASCII are
 * written as UTF-8, only {@code "}, {@code \\} and control characters are escaped), object keys sorted by
 * {@link String#compareTo} at every level whatever order the tree holds them in, numbers written as they are
 * held ({@link java.math.BigDecimal} in plain notation, never {@code 1E+3}). The same tree therefore always gives
 * the same bytes. {@link #bytes} and the writers use {@link JsonEncoder}, which writes the same bytes as
 * {@link #write} through a Jackson generator, faster.
 */
public final class CanonicalJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            // characters beyond the BMP as 4-byte UTF-8, not as "\uD83D\uDE00" escapes (Jackson's default)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    /**
     * A mapper for reading export rows back without losing anything: floating-point numbers become exact
     * {@link java.math.BigDecimal}s with their trailing zeros kept. Its own writer does not sort {@code ObjectNode}
     * keys: write with {@link #bytes} or {@link #write}.
     */
    private static final JsonMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private CanonicalJson() {
    }

    /** The shared generator factory (plain BigDecimals, does not close the target). */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /** A mapper that reads rows back exactly (see the class comment). */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** The canonical bytes of a tree. */
    public static byte[] bytes(JsonNode node) {
        return bytes(node, Set.of());
    }

    /** The canonical bytes of a tree, leaving out the named top-level keys of an object. */
    public static byte[] bytes(JsonNode node, Set<String> omitTopLevel) {
        return ENCODERS.get().reset().write(node, omitTopLevel).toByteArray();
    }

    private static final ThreadLocal<JsonEncoder> ENCODERS = ThreadLocal.withInitial(JsonEncoder::new);

    /** The canonical text of a tree. */
    public static String string(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    /**
     * Writes a tree canonically to a generator (built from {@link #factory()} for plain BigDecimals). The same bytes
     * as {@link #bytes} and {@link JsonEncoder}, which skip Jackson's generator for speed.
     */
    public static void write(JsonNode node, JsonGenerator generator) throws IOException {
        write(node, generator, Set.of());
    }

    /** Writes a tree canonically, leaving out the named top-level keys when it is an object. */
    public static void write(JsonNode node, JsonGenerator generator, Set<String> omitTopLevel) throws IOException {
        if (node.isObject()) {
            writeObject(node, generator, omitTopLevel);
        } else {
            writeValue(node, generator);
        }
    }

    private static void writeValue(JsonNode node, JsonGenerator generator) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, generator, Set.of());
            case ARRAY -> {
                generator.writeStartArray(node, node.size());
                for (JsonNode element : node) {
                    writeValue(element, generator);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString(node.textValue());
            case BOOLEAN -> generator.writeBoolean(node.booleanValue());
            case NULL, MISSING -> generator.writeNull();
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> generator.writeNumber(node.intValue());
                    case LONG -> generator.writeNumber(node.longValue());
                    case BIG_INTEGER -> generator.writeNumber(node.bigIntegerValue());
                    case FLOAT -> generator.writeNumber(node.floatValue());
                    case DOUBLE -> generator.writeNumber(node.doubleValue());
                    default -> writeDecimal(node.decimalValue(), generator);
                }
            }
            case BINARY -> generator.writeBinary(node.binaryValue());
            default -> throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " node as JSON");
        }
    }

    /**
     * A BigDecimal in plain notation, exactly as {@link BigDecimal#toPlainString()} writes it; the common case (up to
     * 18 digits, scale 0 to 18) without building a String.
     */
    static void writeDecimal(BigDecimal value, JsonGenerator generator) throws IOException {
        int scale = value.scale();
        if (scale >= 0 && scale <= 18 && value.precision() <= 18) {
            if (scale == 0) {
                generator.writeNumber(value.longValue());
                return;
            }
            long unscaled = value.scaleByPowerOfTen(scale).longValue();
            char[] buffer = new char[40];
            int pos = buffer.length;
            long rest = Math.abs(unscaled);
            for (int i = 0; i < scale; i++) {
                buffer[--pos] = (char) ('0' + rest % 10);
                rest /= 10;
            }
            buffer[--pos] = '.';
            do {
                buffer[--pos] = (char) ('0' + rest % 10);
                rest /= 10;
            } while (rest != 0);
            if (unscaled < 0) {
                buffer[--pos] = '-';
            }
            generator.writeNumber(buffer, pos, buffer.length - pos);
            return;
        }
        generator.writeNumber(value);
    }

    private static void writeObject(JsonNode node, JsonGenerator generator, Set<String> omit) throws IOException {
        generator.writeStartObject(node);
        for (Map.Entry<String, JsonNode> entry : sortedProperties(node)) {
            writeField(entry, generator, omit);
        }
        generator.writeEndObject();
    }

    /**
     * An object's properties in key order. Rows built by {@link ExportRow} are already sorted, so the common
     * case only checks the order and allocates nothing.
     */
    static Iterable<Map.Entry<String, JsonNode>> sortedProperties(JsonNode node) {
        Set<Map.Entry<String, JsonNode>> properties = node.properties();
        String previous = null;
        for (Map.Entry<String, JsonNode> entry : properties) {
            if (previous != null && previous.compareTo(entry.getKey()) > 0) {
                List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(properties);
                sorted.sort(Map.Entry.comparingByKey());
                return sorted;
            }
            previous = entry.getKey();
        }
        return properties;
    }

    private static void writeField(Map.Entry<String, JsonNode> entry, JsonGenerator generator, Set<String> omit)
            throws IOException {
        if (!omit.isEmpty() && omit.contains(entry.getKey())) {
            return;
        }
        generator.writeFieldName(entry.getKey());
        writeValue(entry.getValue(), generator);
    }
}
