package io.offboard.exporter.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportRowTest {

    private static final Instant AS_OF = Instant.parse("2026-11-26T09:00:00Z");

    private static ObjectNode item() {
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.put("zeta", 1);
        item.put("alpha", "a");
        item.put("revision", new BigDecimal("7"));
        return item;
    }

    @Test
    void addsTheExportColumnsWithKeysSorted() {
        ObjectNode row = ExportRow.of(item(), AS_OF, "7");
        List<String> keys = new ArrayList<>();
        row.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("alpha", "exported_at_utc", "revision", "source_revision", "zeta");
        assertThat(row.get("exported_at_utc").textValue()).isEqualTo("2026-11-26T09:00:00Z");
        assertThat(row.get("source_revision").textValue()).isEqualTo("7");
        assertThat(CanonicalJson.string(row)).isEqualTo(
                "{\"alpha\":\"a\",\"exported_at_utc\":\"2026-11-26T09:00:00Z\",\"revision\":7,\"source_revision\":\"7\",\"zeta\":1}");
    }

    @Test
    void keysAreSortedWhereverTheExportKeysFall() {
        String[][] shapes = {{}, {"a"}, {"z"}, {"f", "t"}, {"exported_at_utc0", "source", "source_revisionz"},
                {"a", "exported", "m", "source_revision_", "zz"}, {"zz", "a", "m"}};
        for (String[] keys : shapes) {
            ObjectNode item = JsonNodeFactory.instance.objectNode();
            for (String key : keys) {
                item.put(key, key);
            }
            for (String revision : new String[] {null, "3"}) {
                ObjectNode row = ExportRow.of(item, AS_OF, revision);
                List<String> names = new ArrayList<>();
                row.fieldNames().forEachRemaining(names::add);
                assertThat(names).as(String.join(",", keys) + " rev " + revision).isSorted()
                        .hasSize(keys.length + (revision == null ? 1 : 2));
                assertThat(ExportRow.item(row)).isEqualTo(item);
            }
        }
    }

    @Test
    void noRevisionNoColumn() {
        ObjectNode row = ExportRow.of(item(), AS_OF, null);
        assertThat(row.has("source_revision")).isFalse();
        assertThat(ExportRow.item(row)).isEqualTo(item());
    }

    @Test
    void fractionalSecondsAreKept() {
        assertThat(ExportRow.timestamp(Instant.parse("2026-11-26T09:00:00.120Z"))).isEqualTo("2026-11-26T09:00:00.120Z");
    }

    @Test
    void revisionOfEveryShape() {
        ObjectNode item = item();
        item.put("text_rev", "r-12");
        item.put("big", new BigDecimal("1E+3"));
        item.putNull("nothing");
        item.putObject("obj").put("b", 1).put("a", 2);
        assertThat(ExportRow.revisionOf(item, "revision")).isEqualTo("7");
        assertThat(ExportRow.revisionOf(item, "text_rev")).isEqualTo("r-12");
        assertThat(ExportRow.revisionOf(item, "big")).isEqualTo("1000");
        assertThat(ExportRow.revisionOf(item, "nothing")).isNull();
        assertThat(ExportRow.revisionOf(item, "missing")).isNull();
        assertThat(ExportRow.revisionOf(item, null)).isNull();
        assertThat(ExportRow.revisionOf(item, "obj")).isEqualTo("{\"a\":2,\"b\":1}");
    }

    @Test
    void anItemAttributeNamedLikeAnExportColumnIsRefused() {
        ObjectNode item = item();
        item.put("exported_at_utc", "mine");
        assertThatThrownBy(() -> ExportRow.of(item, AS_OF, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exported_at_utc");
    }
}
