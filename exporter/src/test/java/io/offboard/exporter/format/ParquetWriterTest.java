package io.offboard.exporter.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.exporter.registry.Registry;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Parquet files read back by an independent reader: DuckDB. */
class ParquetWriterTest {

    private static final Instant AS_OF = Instant.parse("2026-11-26T09:00:00Z");
    private static final Registry.Table ORDERS = Registry.bundled().services().stream()
            .flatMap(s -> s.tables().stream()).filter(t -> t.name().equals("ord_orders")).findFirst().orElseThrow();

    private static Connection duck;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws SQLException {
        duck = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterAll
    static void close() throws SQLException {
        duck.close();
    }

    /** Orders shaped like the demo platform's, with some values missing or of the wrong type. */
    static List<ObjectNode> orders(int n) {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ObjectNode item = JsonNodeFactory.instance.objectNode();
            item.put("orgcode", "acme");
            item.put("order_id", String.format("ORD-%05d", i));
            item.put("revision", new BigDecimal(1 + i % 3));
            if (i % 11 != 0) {
                item.put("amount", new BigDecimal(i + "." + (i % 100 < 10 ? "0" : "") + (i % 100)));
            } else {
                item.put("amount", "not a number");
            }
            item.put("currency", i % 2 == 0 ? "USD" : "EUR");
            if (i % 13 != 0) {
                item.put("created_at", Instant.parse("2026-11-01T08:00:00Z").plusSeconds(3600L * i).plusMillis(i % 1000).toString());
            }
            item.put("status", "paid");
            item.put("paid", i % 4 != 0);
            item.put("customer_ref", "CUST-" + i % 100);
            item.putArray("lines").addObject().put("sku", "SKU-" + i).put("qty", i % 5).put("unit_price", new BigDecimal("4.50"));
            if (i % 7 == 0) {
                item.putNull("coupon");
            }
            rows.add(ExportRow.of(item, AS_OF, i % 17 == 0 ? null : ExportRow.revisionOf(item, "revision")));
        }
        return rows;
    }

    private Path write(String name, List<ObjectNode> rows, ParquetWriter.Options options) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            ParquetWriter writer = ParquetWriter.forTable(out, ORDERS, options);
            for (ObjectNode row : rows) {
                writer.write(row);
            }
            RowWriter.Written written = writer.finish();
            assertThat(written.rows()).isEqualTo(rows.size());
            out.flush();
            assertThat(written.bytes()).isEqualTo(Files.size(file));
        }
        return file;
    }

    private static String sql(Path file) {
        return "read_parquet('" + file.toString().replace("'", "''") + "')";
    }

    @Test
    void duckDbReadsEveryRowWithTypedColumns() throws Exception {
        List<ObjectNode> rows = orders(500);
        Path file = write("orders.parquet", rows, ParquetWriter.Options.defaults());
        try (Statement st = duck.createStatement()) {
            ResultSet count = st.executeQuery("SELECT count(*) FROM " + sql(file));
            count.next();
            assertThat(count.getLong(1)).isEqualTo(500);

            Map<String, String> types = new LinkedHashMap<>();
            ResultSet describe = st.executeQuery("DESCRIBE SELECT * FROM " + sql(file));
            while (describe.next()) {
                types.put(describe.getString("column_name"), describe.getString("column_type"));
            }
            assertThat(types).containsExactly(
                    Map.entry("exported_at_utc", "VARCHAR"), Map.entry("source_revision", "VARCHAR"),
                    Map.entry("order_id", "VARCHAR"), Map.entry("amount", "DOUBLE"), Map.entry("currency", "VARCHAR"),
                    Map.entry("created_at", "TIMESTAMP WITH TIME ZONE"), Map.entry("status", "VARCHAR"),
                    Map.entry("paid", "BOOLEAN"), Map.entry("customer_ref", "VARCHAR"), Map.entry("item_json", "VARCHAR"));

            ResultSet rs = st.executeQuery("SELECT exported_at_utc, source_revision, order_id, amount, currency, "
                    + "epoch_ms(created_at) AS created_ms, status, paid, customer_ref, item_json FROM " + sql(file)
                    + " ORDER BY order_id");
            int i = 0;
            while (rs.next()) {
                ObjectNode row = rows.get(i++);
                assertThat(rs.getString("exported_at_utc")).isEqualTo("2026-11-26T09:00:00Z");
                assertThat(rs.getString("source_revision")).isEqualTo(row.has("source_revision") ? row.get("source_revision").textValue() : null);
                assertThat(rs.getString("order_id")).isEqualTo(row.get("order_id").textValue());
                if (row.get("amount").isNumber()) {
                    assertThat(rs.getDouble("amount")).isEqualTo(row.get("amount").decimalValue().doubleValue());
                } else {
                    assertThat(rs.getObject("amount")).isNull();
                }
                assertThat(rs.getString("currency")).isEqualTo(row.get("currency").textValue());
                if (row.has("created_at")) {
                    assertThat(rs.getLong("created_ms")).isEqualTo(Instant.parse(row.get("created_at").textValue()).toEpochMilli());
                } else {
                    assertThat(rs.getObject("created_ms")).isNull();
                }
                assertThat(rs.getBoolean("paid")).isEqualTo(row.get("paid").booleanValue());
                assertThat(rs.getString("customer_ref")).isEqualTo(row.get("customer_ref").textValue());
                // the whole item, exactly, without the export's own columns
                String json = rs.getString("item_json");
                assertThat(json).isEqualTo(CanonicalJson.string(ExportRow.item(row)));
                assertThat(CanonicalJson.mapper().readTree(json).get("amount")).isEqualTo(row.get("amount"));
            }
            assertThat(i).isEqualTo(500);

            // DuckDB's own JSON functions see the nested data
            ResultSet nested = st.executeQuery("SELECT sum(CAST(json_extract(item_json, '$.lines[0].qty') AS INTEGER)) FROM " + sql(file));
            nested.next();
            assertThat(nested.getLong(1)).isEqualTo(rows.stream().mapToLong(r -> r.get("lines").get(0).get("qty").asLong()).sum());

            ResultSet meta = st.executeQuery("SELECT value FROM parquet_kv_metadata(" + sql(file).substring("read_parquet(".length())
                    + " WHERE key = 'offboard.table'");
            assertThat(meta.next()).isTrue();
            assertThat(meta.getString(1)).isEqualTo("ord_orders");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4_RAW"})
    void everyPureJvmCodecIsReadableAndDeterministic(CompressionCodecName codec) throws Exception {
        List<ObjectNode> rows = orders(3000);
        ParquetWriter.Options options = ParquetWriter.Options.defaults().withCodec(codec).withRowGroupBytes(128 * 1024);
        Path a = write("a.parquet", rows, options);
        Path b = write("b.parquet", orders(3000), options);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        try (Statement st = duck.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT order_id), sum(CASE WHEN paid THEN 1 ELSE 0 END) FROM " + sql(a));
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3000);
            assertThat(rs.getLong(2)).isEqualTo(3000);
            assertThat(rs.getLong(3)).isEqualTo(rows.stream().filter(r -> r.get("paid").booleanValue()).count());
            ResultSet groups = st.executeQuery("SELECT count(DISTINCT row_group_id), min(compression) FROM parquet_metadata('"
                    + a + "')");
            groups.next();
            assertThat(groups.getLong(1)).as("small row groups cut the file").isGreaterThan(1);
            assertThat(groups.getString(2)).isEqualTo(codec.name());
        }
    }

    @Test
    void sameRowsSameBytesWhateverTheKeyOrder() throws Exception {
        List<ObjectNode> rows = orders(200);
        List<ObjectNode> shuffled = new ArrayList<>();
        for (ObjectNode row : rows) {
            List<String> keys = new ArrayList<>();
            row.fieldNames().forEachRemaining(keys::add);
            java.util.Collections.reverse(keys);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            keys.forEach(k -> copy.set(k, row.get(k)));
            shuffled.add(copy);
        }
        Path a = write("a.parquet", rows, ParquetWriter.Options.defaults());
        Path b = write("b.parquet", shuffled, ParquetWriter.Options.defaults());
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        try (Statement st = duck.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT created_by FROM parquet_file_metadata('" + a + "')");
            rs.next();
            assertThat(rs.getString(1)).startsWith("parquet-mr version");
        }
    }

    @Test
    void theEncodingThreadDoesNotChangeTheBytes() throws Exception {
        List<ObjectNode> rows = orders(20_000);
        byte[][] files = new byte[2][];
        for (int threaded = 0; threaded < 2; threaded++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ParquetWriter writer = new ParquetWriter(out, ORDERS.name(), ORDERS.columns(),
                    ParquetWriter.Options.defaults().withRowGroupBytes(256 * 1024), threaded == 1);
            for (int i = 0; i < rows.size(); i++) {
                writer.write(rows.get(i));
                if (i % 5000 == 0) {
                    writer.drain();
                    // give the encoder a head start now and then, so both threads serialise item_json sometimes
                    Thread.sleep(5);
                }
            }
            writer.finish();
            files[threaded] = out.toByteArray();
        }
        assertThat(files[1]).isEqualTo(files[0]);
    }

    @Test
    void emptyTableIsAValidFile() throws Exception {
        Path file = write("empty.parquet", List.of(), ParquetWriter.Options.defaults());
        try (Statement st = duck.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*) FROM " + sql(file));
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void tableWithoutColumnsHasOnlyTheExportColumns() throws Exception {
        Path file = dir.resolve("plain.parquet");
        try (OutputStream out = Files.newOutputStream(file)) {
            ParquetWriter writer = ParquetWriter.forTable(out,
                    new Registry.Table("plain_table", Registry.FindBy.SCAN, null, null, "tenant"));
            ObjectNode item = JsonNodeFactory.instance.objectNode().put("k", "v");
            writer.write(ExportRow.of(item, AS_OF, null));
            writer.finish();
        }
        try (Statement st = duck.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT * FROM " + sql(file));
            assertThat(rs.getMetaData().getColumnCount()).isEqualTo(3);
            rs.next();
            assertThat(rs.getString("exported_at_utc")).isEqualTo("2026-11-26T09:00:00Z");
            assertThat(rs.getString("source_revision")).isNull();
            assertThat(rs.getString("item_json")).isEqualTo("{\"k\":\"v\"}");
        }
    }

    @Test
    void reportsBytesAndLeavesTheStreamOpen() throws IOException {
        boolean[] closed = {false};
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        OutputStream out = new FilterOutputStream(sink) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        ParquetWriter writer = ParquetWriter.forTable(out, ORDERS,
                ParquetWriter.Options.defaults().withRowGroupBytes(64 * 1024));
        long max = 0;
        for (ObjectNode row : orders(5000)) {
            writer.write(row);
            max = Math.max(max, writer.bytesWritten());
        }
        assertThat(max).isGreaterThan(64 * 1024);
        assertThat(writer.rowsWritten()).isEqualTo(5000);
        writer.close();
        assertThat(closed[0]).isFalse();
        assertThat(writer.bytesWritten()).isEqualTo(sink.size());
    }

    @Test
    void aFailingStreamSurfacesOnWriteOrFinish() throws IOException {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("disk full");
            }
        };
        ParquetWriter writer = ParquetWriter.forTable(broken, ORDERS,
                ParquetWriter.Options.defaults().withRowGroupBytes(64 * 1024));
        assertThatThrownBy(() -> {
            for (ObjectNode row : orders(20_000)) {
                writer.write(row);
            }
            writer.finish();
        }).isInstanceOf(IOException.class).hasStackTraceContaining("disk full");
    }

    @Test
    void rowsNeedTheExportColumns() throws IOException {
        ParquetWriter writer = ParquetWriter.forTable(OutputStream.nullOutputStream(), ORDERS);
        assertThatThrownBy(() -> writer.write(JsonNodeFactory.instance.objectNode().put("order_id", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exported_at_utc");
        assertThatThrownBy(() -> ParquetWriter.schema("t", Map.of("item_json", "string")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
