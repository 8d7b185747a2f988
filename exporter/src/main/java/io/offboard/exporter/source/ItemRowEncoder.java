package io.offboard.exporter.source;

import io.offboard.exporter.format.ExportRow;
import io.offboard.exporter.format.JsonEncoder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes JSONL export rows straight from DynamoDB items: the bytes of
 * {@code CanonicalJson.bytes(ExportRow.of(ItemJson.toJson(item), exportedAtUtc, revision))} plus {@code \n}
 * (a property test compares the two), without building the JSON tree in between, since the export
 * converts every item it reads. Not thread-safe: one per thread.
 */
public final class ItemRowEncoder {

    private final JsonEncoder out;
    private final String exportedAtUtc;
    private final String revisionAttribute;

    /**
     * @param out               receives the rows
     * @param exportedAtUtc     the rows' as-of time
     * @param revisionAttribute the attribute holding an item's revision, or {@code null}
     */
    public ItemRowEncoder(JsonEncoder out, Instant exportedAtUtc, String revisionAttribute) {
        this.out = Objects.requireNonNull(out, "out");
        this.exportedAtUtc = ExportRow.timestamp(exportedAtUtc);
        this.revisionAttribute = revisionAttribute;
    }

    /**
     * Appends the item's row and its line end.
     *
     * @throws IllegalArgumentException the item has an attribute named like one the export adds, or a value of a
     *                                  type this SDK does not know
     */
    public void append(Map<String, AttributeValue> item) {
        for (String reserved : ExportRow.METADATA) {
            if (item.containsKey(reserved)) {
                throw new IllegalArgumentException("the item has an attribute named " + reserved
                        + ", which the export adds to every row; it cannot be exported without losing one of them");
            }
        }
        String revision = revisionAttribute == null ? null : revision(item.get(revisionAttribute));
        String[] keys = new String[item.size() + (revision == null ? 1 : 2)];
        int n = 0;
        for (String key : item.keySet()) {
            keys[n++] = key;
        }
        keys[n++] = ExportRow.EXPORTED_AT_UTC;
        if (revision != null) {
            keys[n] = ExportRow.SOURCE_REVISION;
        }
        Arrays.sort(keys);
        out.raw((byte) '{');
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                out.raw((byte) ',');
            }
            String key = keys[i];
            out.string(key).raw((byte) ':');
            if (key.equals(ExportRow.EXPORTED_AT_UTC)) {
                out.string(exportedAtUtc);
            } else if (revision != null && key.equals(ExportRow.SOURCE_REVISION)) {
                out.string(revision);
            } else {
                value(item.get(key));
            }
        }
        out.raw((byte) '}').raw((byte) '\n');
    }

    private static String revision(AttributeValue value) {
        if (value == null) {
            return null;
        }
        if (value.type() == AttributeValue.Type.S) {
            return value.s();
        }
        return ExportRow.revision(ItemJson.toJson(value));
    }

    private void value(AttributeValue value) {
        if (value == null) {
            out.ascii("null");
            return;
        }
        switch (value.type()) {
            case S -> out.string(value.s());
            case N -> number(value.n());
            case BOOL -> out.ascii(value.bool() ? "true" : "false");
            case NUL -> out.ascii("null");
            case B -> out.string(base64(value.b()));
            case M -> map(value.m());
            case L -> {
                out.raw((byte) '[');
                boolean first = true;
                for (AttributeValue element : value.l()) {
                    if (!first) {
                        out.raw((byte) ',');
                    }
                    first = false;
                    value(element);
                }
                out.raw((byte) ']');
            }
            case SS -> {
                String[] strings = value.ss().toArray(String[]::new);
                Arrays.sort(strings);
                out.raw((byte) '[');
                for (int i = 0; i < strings.length; i++) {
                    if (i > 0) {
                        out.raw((byte) ',');
                    }
                    out.string(strings[i]);
                }
                out.raw((byte) ']');
            }
            case NS -> {
                List<BigDecimal> numbers = new ArrayList<>(value.ns().size());
                for (String n : value.ns()) {
                    numbers.add(new BigDecimal(n));
                }
                numbers.sort(ItemJson.NUMBER_ORDER);
                out.raw((byte) '[');
                for (int i = 0; i < numbers.size(); i++) {
                    if (i > 0) {
                        out.raw((byte) ',');
                    }
                    out.decimal(numbers.get(i));
                }
                out.raw((byte) ']');
            }
            case BS -> {
                List<byte[]> binaries = new ArrayList<>(value.bs().size());
                for (SdkBytes b : value.bs()) {
                    binaries.add(b.asByteArrayUnsafe());
                }
                binaries.sort(Arrays::compareUnsigned);
                out.raw((byte) '[');
                for (int i = 0; i < binaries.size(); i++) {
                    if (i > 0) {
                        out.raw((byte) ',');
                    }
                    out.string(Base64.getEncoder().encodeToString(binaries.get(i)));
                }
                out.raw((byte) ']');
            }
            default -> throw new IllegalArgumentException("attribute value of unknown type: " + value);
        }
    }

    private void map(Map<String, AttributeValue> map) {
        String[] keys = map.keySet().toArray(String[]::new);
        Arrays.sort(keys);
        out.raw((byte) '{');
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                out.raw((byte) ',');
            }
            out.string(keys[i]).raw((byte) ':');
            value(map.get(keys[i]));
        }
        out.raw((byte) '}');
    }

    /**
     * A DynamoDB number exactly as {@link BigDecimal#toPlainString()} writes it. Digits already in that form (no
     * sign but '-', no exponent, no leading zero, not a negative zero) are copied without parsing.
     */
    private void number(String n) {
        if (isPlain(n)) {
            out.ascii(n);
        } else {
            out.decimal(new BigDecimal(n));
        }
    }

    static boolean isPlain(String n) {
        int len = n.length();
        int i = 0;
        if (i < len && n.charAt(i) == '-') {
            i++;
        }
        int intStart = i;
        boolean nonZero = false;
        while (i < len && isDigit(n.charAt(i))) {
            nonZero |= n.charAt(i) != '0';
            i++;
        }
        int intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && n.charAt(intStart) == '0')) {
            return false;
        }
        if (i < len) {
            if (n.charAt(i) != '.') {
                return false;
            }
            i++;
            int fracStart = i;
            while (i < len && isDigit(n.charAt(i))) {
                nonZero |= n.charAt(i) != '0';
                i++;
            }
            if (i == fracStart || i < len) {
                return false;
            }
        }
        // BigDecimal has no negative zero: "-0.0" is written "0.0"
        return nonZero || intStart == 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }
}
