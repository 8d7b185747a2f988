package io.offboard.exporter.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@link CanonicalJson} straight into a reusable byte buffer: the bytes are exactly those of
 * {@link CanonicalJson#write(JsonNode, com.fasterxml.jackson.core.JsonGenerator)} through Jackson (a property test
 * checks it), without a generator's per-call bookkeeping, since the export serialises every row. Escapes like
 * Jackson: {@code "} and {@code \\}, {@code \b \t \n \f \r}, other control characters as <code>&#92;u00XX</code>; every
 * other character as UTF-8 (a character beyond the BMP as four bytes). Not thread-safe: one per thread.
 */
public final class JsonEncoder {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** For ASCII: 0 = as is, otherwise the character after the backslash ('u' for a six-character escape). */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int c = 0; c < 32; c++) {
            ESCAPES[c] = 'u';
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    private byte[] buffer = new byte[4096];
    private int length;
    private final char[] digits = new char[48];

    /** Empties the buffer. */
    public JsonEncoder reset() {
        length = 0;
        return this;
    }

    /** Appends the canonical JSON of a tree. */
    public JsonEncoder write(JsonNode node) {
        return write(node, Set.of());
    }

    /** Appends the canonical JSON of a tree, leaving out the named top-level keys when it is an object. */
    public JsonEncoder write(JsonNode node, Set<String> omitTopLevel) {
        if (node.isObject()) {
            object(node, omitTopLevel);
        } else {
            value(node);
        }
        return this;
    }

    /** Appends one raw byte (e.g. a line end). */
    public JsonEncoder raw(byte b) {
        ensure(1);
        buffer[length++] = b;
        return this;
    }

    /** Appends a JSON string: {@code text} quoted and escaped. */
    public JsonEncoder string(String text) {
        quoted(text);
        return this;
    }

    /** Appends a number in plain notation, exactly {@link BigDecimal#toPlainString()}. */
    public JsonEncoder decimal(BigDecimal value) {
        plainDecimal(value);
        return this;
    }

    /** Appends text that needs no escaping as is: a literal ({@code true}, {@code null}) or a number's digits. */
    public JsonEncoder ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** Bytes in the buffer. */
    public int size() {
        return length;
    }

    /** Writes {@code length} bytes of the buffer from {@code offset} to a stream. */
    public void writeTo(OutputStream out, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, this.length);
        out.write(buffer, offset, length);
    }

    /** A copy of the buffer. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, length);
    }

    /** Writes the buffer to a stream. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(buffer, 0, length);
    }

    // ---- values ---------------------------------------------------------------------------------------------

    private void value(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> object(node, Set.of());
            case ARRAY -> {
                raw((byte) '[');
                boolean first = true;
                for (JsonNode element : node) {
                    if (!first) {
                        raw((byte) ',');
                    }
                    first = false;
                    value(element);
                }
                raw((byte) ']');
            }
            case STRING -> quoted(node.textValue());
            case BOOLEAN -> ascii(node.booleanValue() ? "true" : "false");
            case NULL, MISSING -> ascii("null");
            case NUMBER -> number(node);
            case BINARY -> {
                try {
                    quoted(Base64.getEncoder().encodeToString(node.binaryValue()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            default -> throw new IllegalArgumentException("cannot write a " + node.getNodeType() + " node as JSON");
        }
    }

    private void object(JsonNode node, Set<String> omit) {
        Iterable<Map.Entry<String, JsonNode>> entries = CanonicalJson.sortedProperties(node);
        raw((byte) '{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> entry : entries) {
            if (!omit.isEmpty() && omit.contains(entry.getKey())) {
                continue;
            }
            if (!first) {
                raw((byte) ',');
            }
            first = false;
            quoted(entry.getKey());
            raw((byte) ':');
            value(entry.getValue());
        }
        raw((byte) '}');
    }

    private void number(JsonNode node) {
        switch (node.numberType()) {
            case INT, LONG -> ascii(Long.toString(node.longValue()));
            case BIG_INTEGER -> ascii(node.bigIntegerValue().toString());
            case FLOAT -> {
                float f = node.floatValue();
                if (Float.isFinite(f)) {
                    ascii(Float.toString(f));
                } else {
                    quoted(Float.toString(f));
                }
            }
            case DOUBLE -> {
                double d = node.doubleValue();
                if (Double.isFinite(d)) {
                    ascii(Double.toString(d));
                } else {
                    quoted(Double.toString(d));
                }
            }
            default -> plainDecimal(node.decimalValue());
        }
    }

    /** Plain notation, exactly {@link BigDecimal#toPlainString()}; up to 18 digits without a String. */
    private void plainDecimal(BigDecimal value) {
        int scale = value.scale();
        if (scale < 0 || scale > 18 || value.precision() > 18) {
            ascii(value.toPlainString());
            return;
        }
        long unscaled = scale == 0 ? value.longValue() : value.scaleByPowerOfTen(scale).longValue();
        int pos = digits.length;
        long rest = Math.abs(unscaled);
        for (int i = 0; i < scale; i++) {
            digits[--pos] = (char) ('0' + rest % 10);
            rest /= 10;
        }
        if (scale > 0) {
            digits[--pos] = '.';
        }
        do {
            digits[--pos] = (char) ('0' + rest % 10);
            rest /= 10;
        } while (rest != 0);
        if (unscaled < 0) {
            digits[--pos] = '-';
        }
        ensure(digits.length - pos);
        for (int i = pos; i < digits.length; i++) {
            buffer[length++] = (byte) digits[i];
        }
    }

    // ---- text -----------------------------------------------------------------------------------------------

    private void quoted(String text) {
        int n = text.length();
        // worst case: 6 bytes per char (a control character escaped), plus quotes
        ensure(n * 6 + 2);
        byte[] out = buffer;
        int at = length;
        out[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    out[at++] = (byte) c;
                } else {
                    out[at++] = '\\';
                    out[at++] = escape;
                    if (escape == 'u') {
                        out[at++] = '0';
                        out[at++] = '0';
                        out[at++] = HEX[c >> 4];
                        out[at++] = HEX[c & 0xF];
                    }
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, text.charAt(++i));
                    out[at++] = (byte) (0xF0 | (cp >> 18));
                    out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    out[at++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    length = at;
                    throw new IllegalArgumentException("a string holds a lone surrogate (U+"
                            + Integer.toHexString(c).toUpperCase() + "), which is not valid UTF-16");
                }
            } else {
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        out[at++] = '"';
        length = at;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
