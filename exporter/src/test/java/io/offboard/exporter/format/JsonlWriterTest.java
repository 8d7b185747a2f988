package io.offboard.exporter.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonlWriterTest {

    private static final Instant AS_OF = Instant.parse("2026-11-26T09:00:00Z");

    static List<ObjectNode> rows(int n, boolean reversedKeys) {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode item = JsonNodeFactory.instance.objectNode();
            List<Runnable> puts = new ArrayList<>();
            int k = i;
            puts.add(() -> item.put("order_id", String.format("ORD-%05d", k)));
            puts.add(() -> item.put("amount", new BigDecimal(k + ".50")));
            puts.add(() -> item.put("note", "ünïcødé ✓ 😀 line\nbreak \"quoted\" \\ tab\t" + k));
            puts.add(() -> {
                ObjectNode nested = item.putObject("nested");
                nested.put("z", k);
                nested.put("a", k % 2 == 0);
                nested.putArray("list").add(1).add("two").addNull();
            });
            puts.add(() -> item.putNull("coupon"));
            if (reversedKeys) {
                java.util.Collections.reverse(puts);
            }
            puts.forEach(Runnable::run);
            rows.add(ExportRow.of(item, AS_OF, k % 3 == 0 ? null : Integer.toString(k % 3)));
        }
        return rows;
    }

    private static byte[] write(List<ObjectNode> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlWriter writer = new JsonlWriter(out);
        for (ObjectNode row : rows) {
            writer.write(row);
        }
        RowWriter.Written written = writer.finish();
        assertThat(written.rows()).isEqualTo(rows.size());
        assertThat(written.bytes()).isEqualTo(out.size());
        return out.toByteArray();
    }

    @Test
    void roundTripsThroughJackson() throws IOException {
        List<ObjectNode> rows = rows(200, false);
        byte[] bytes = write(rows);
        List<JsonNode> back = new ArrayList<>();
        try (MappingIterator<JsonNode> it = CanonicalJson.mapper().readerFor(JsonNode.class).readValues(bytes)) {
            it.forEachRemaining(back::add);
        }
        assertThat(back).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(CanonicalJson.bytes(back.get(i))).isEqualTo(CanonicalJson.bytes(rows.get(i)));
            assertThat(back.get(i).get("amount").decimalValue()).isEqualTo(new BigDecimal(i + ".50"));
            assertThat(back.get(i).get("exported_at_utc").textValue()).isEqualTo("2026-11-26T09:00:00Z");
        }
    }

    @Test
    void oneCompactSortedObjectPerLineInUtf8() throws IOException {
        byte[] bytes = write(rows(50, true));
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n").doesNotContain("\r");
        String[] lines = text.split("\n", -1);
        assertThat(lines).hasSize(51);
        assertThat(lines[50]).isEmpty();
        for (int i = 0; i < 50; i++) {
            assertThat(lines[i]).startsWith("{\"amount\":" + i + ".50,\"coupon\":null,\"exported_at_utc\":")
                    .contains("\"nested\":{\"a\":" + (i % 2 == 0) + ",\"list\":[1,\"two\",null],\"z\":" + i + "}")
                    .contains("ünïcødé ✓ 😀 line\\nbreak \\\"quoted\\\" \\\\ tab\\t")
                    .doesNotContain(": ").doesNotContain(", ");
        }
    }

    @Test
    void deterministicWhateverTheKeyOrder() throws IOException {
        assertThat(write(rows(100, true))).isEqualTo(write(rows(100, false)));
    }

    @Test
    void reportsBytesSoFarAndLeavesTheStreamOpen() throws IOException {
        boolean[] closed = {false};
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = new FilterOutputStream(sink) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        JsonlWriter writer = new JsonlWriter(out);
        long previous = 0;
        for (ObjectNode row : rows(20, false)) {
            writer.write(row);
            assertThat(writer.bytesWritten()).isGreaterThan(previous);
            previous = writer.bytesWritten();
        }
        assertThat(writer.rowsWritten()).isEqualTo(20);
        writer.close();
        assertThat(closed[0]).isFalse();
        assertThat(sink.size()).isEqualTo(previous);
        assertThat(writer.finish().bytes()).isEqualTo(previous);
    }
}
