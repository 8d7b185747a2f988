package io.offboard.exporter.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The layout of one exported row: the item's attributes at the top level, plus
 * <ul>
 *   <li>{@value #EXPORTED_AT_UTC}: the data's as-of time (the export's start while the tenant is live, the snapshot
 *       time after cutover), ISO-8601 UTC as {@link DateTimeFormatter#ISO_INSTANT} writes it, e.g.
 *       {@code 2026-11-26T09:00:00Z};</li>
 *   <li>{@value #SOURCE_REVISION}: the item's source revision as a string, only when the item has one.</li>
 * </ul>
 * Keys are sorted. An item attribute with one of these two names would be overwritten, so it is refused
 * ({@link IllegalArgumentException}) rather than silently lost.
 */
public final class ExportRow {

    public static final String EXPORTED_AT_UTC = "exported_at_utc";
    public static final String SOURCE_REVISION = "source_revision";
    /** The keys {@link #of} adds to an item. */
    public static final Set<String> METADATA = Set.of(EXPORTED_AT_UTC, SOURCE_REVISION);

    private ExportRow() {
    }

    /**
     * The row for an item.
     *
     * @param item           the item as JSON ({@code ItemJson}), not modified
     * @param exportedAtUtc  the data's as-of time
     * @param sourceRevision the item's revision, or {@code null} when it has none
     */
    public static ObjectNode of(ObjectNode item, Instant exportedAtUtc, String sourceRevision) {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(exportedAtUtc, "exportedAtUtc");
        for (String reserved : METADATA) {
            if (item.has(reserved)) {
                throw new IllegalArgumentException("the item has an attribute named " + reserved
                        + ", which the export adds to every row; it cannot be exported without losing one of them");
            }
        }
        JsonNode at = JsonNodeFactory.instance.textNode(timestamp(exportedAtUtc));
        JsonNode revision = sourceRevision == null ? null : JsonNodeFactory.instance.textNode(sourceRevision);
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        if (isSorted(item)) {
            // the usual case (ItemJson sorts): merge the two export keys in, in one pass
            boolean atDone = false;
            boolean revisionDone = revision == null;
            for (Map.Entry<String, JsonNode> e : item.properties()) {
                if (!atDone && EXPORTED_AT_UTC.compareTo(e.getKey()) < 0) {
                    if (!revisionDone && SOURCE_REVISION.compareTo(EXPORTED_AT_UTC) < 0) {
                        row.set(SOURCE_REVISION, revision);
                        revisionDone = true;
                    }
                    row.set(EXPORTED_AT_UTC, at);
                    atDone = true;
                }
                if (!revisionDone && SOURCE_REVISION.compareTo(e.getKey()) < 0) {
                    row.set(SOURCE_REVISION, revision);
                    revisionDone = true;
                }
                row.set(e.getKey(), e.getValue());
            }
            if (!atDone) {
                row.set(EXPORTED_AT_UTC, at);
            }
            if (!revisionDone) {
                row.set(SOURCE_REVISION, revision);
            }
            return row;
        }
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        item.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.put(EXPORTED_AT_UTC, at);
        if (revision != null) {
            sorted.put(SOURCE_REVISION, revision);
        }
        for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
            row.set(e.getKey(), e.getValue());
        }
        return row;
    }

    private static boolean isSorted(ObjectNode item) {
        String previous = null;
        for (Map.Entry<String, JsonNode> e : item.properties()) {
            if (previous != null && previous.compareTo(e.getKey()) > 0) {
                return false;
            }
            previous = e.getKey();
        }
        return true;
    }

    /** {@code exported_at_utc} as written in rows. */
    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /**
     * The revision of an item held in {@code attribute}: a string as is, a number in plain notation, anything else
     * as canonical JSON; {@code null} when {@code attribute} is null or the item has no (or a null) value there.
     */
    public static String revisionOf(JsonNode item, String attribute) {
        if (attribute == null || item == null) {
            return null;
        }
        return revision(item.get(attribute));
    }

    /** The revision an attribute's value stands for, as {@link #revisionOf}; {@code null} for none. */
    public static String revision(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber()) {
            return value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText();
        }
        return CanonicalJson.string(value);
    }

    /** The item part of a row: every key but {@link #METADATA}, as a new node. */
    public static ObjectNode item(ObjectNode row) {
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        row.properties().forEach(e -> {
            if (!METADATA.contains(e.getKey())) {
                item.set(e.getKey(), e.getValue());
            }
        });
        return item;
    }
}
