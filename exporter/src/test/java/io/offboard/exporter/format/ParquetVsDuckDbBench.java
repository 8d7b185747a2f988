package io.offboard.exporter.format;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.source.ItemJson;
import java.io.BufferedOutputStream;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Parquet write throughput of our {@link ParquetWriter} against DuckDB's {@code COPY ... TO ... (FORMAT parquet)} of
 * the same rows, in one run (run by {@code bench/parquet-vs-duckdb.sh}).
 *
 * <p>Rows are {@code ord_orders}-shaped DynamoDB items (a pure function of their index) turned into export rows
 * the way an export does ({@link ItemJson}, {@link ExportRow}). Ours: rows are generated, untimed, in chunks of
 * {@value #CHUNK} right before they are written (fresh in the CPU cache, as in an export, where a row is written
 * as soon as it is read and converted); each chunk is timed from its first {@link ParquetWriter#write} until the
 * writer's encoding thread has encoded all of it ({@code drain}), so none of the writer's work, on either of its
 * threads, falls outside the clock; then {@link ParquetWriter#finish}. DuckDB: the same rows, as the
 * columns of our schema ({@code item_json} included), are written to JSONL and loaded into a DuckDB table first;
 * only the {@code COPY} is timed. Same codec on both sides, files on the same disk. One warm-up round each, then
 * the median of {@code runs}.
 *
 * <p>Arguments: {@code rows} (default 1000000), {@code codec} (default zstd), {@code runs} (default 3),
 * {@code work dir} (default a temp dir).
 */
public final class ParquetVsDuckDbBench {

    private static final Instant AS_OF = Instant.parse("2026-12-01T09:00:00Z");
    private static final String[][] CATALOG = {
            {"SKU-TEA-001", "4.50"}, {"SKU-MUG-002", "12.00"}, {"SKU-BAG-003", "29.95"},
            {"SKU-PEN-004", "1.25"}, {"SKU-LAMP-005", "49.00"}};
    private static final String[] STATUS = {"placed", "paid", "shipped", "delivered", "refunded"};
    /** About 1.3 MB of rows: still in the CPU cache when written, as in an export. */
    private static final int CHUNK = 512;

    private ParquetVsDuckDbBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        CompressionCodecName codec = CompressionCodecName.valueOf((args.length > 1 ? args[1] : "zstd").toUpperCase(Locale.ROOT));
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path work = args.length > 3 ? Files.createDirectories(Path.of(args[3])) : Files.createTempDirectory("parquet-bench");
        Registry.Table table = Registry.bundled().services().stream().flatMap(s -> s.tables().stream())
                .filter(t -> t.name().equals("ord_orders")).findFirst().orElseThrow();
        ParquetWriter.Options options = ParquetWriter.Options.defaults().withCodec(codec);

        System.out.printf(Locale.ROOT, "rows %,d, codec %s, %d cores, java %s, work dir %s%n", rows, codec,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), work);

        // ---- the same rows for DuckDB: JSONL with our Parquet columns, loaded into a table (untimed) ----
        Path jsonl = work.resolve("rows.jsonl");
        long t0 = System.nanoTime();
        writeDuckJsonl(jsonl, rows, table);
        System.out.printf(Locale.ROOT, "generated %s (%,d bytes) in %.1f s%n", jsonl.getFileName(), Files.size(jsonl),
                (System.nanoTime() - t0) / 1e9);

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("SET preserve_insertion_order = true");
            t0 = System.nanoTime();
            st.execute("CREATE TABLE rows AS SELECT * FROM read_json('" + jsonl + "', format = 'newline_delimited', "
                    + "columns = {" + duckColumns(table) + "})");
            System.out.printf(Locale.ROOT, "loaded into DuckDB in %.1f s (threads %s)%n", (System.nanoTime() - t0) / 1e9,
                    scalar(st, "SELECT current_setting('threads')"));
            check(st, "SELECT count(*) FROM rows", rows);

            // ---- ours ----
            Path ours = work.resolve("ours.parquet");
            writeOurs(work.resolve("warmup.parquet"), rows, table, options);
            List<Double> ourSeconds = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                ourSeconds.add(writeOurs(ours, rows, table, options));
            }
            check(st, "SELECT count(*) FROM read_parquet('" + ours + "')", rows);

            // ---- DuckDB ----
            Path theirs = work.resolve("duckdb.parquet");
            String copy = "COPY (SELECT * FROM rows) TO '%s' (FORMAT parquet, COMPRESSION " + codec.name().toLowerCase(Locale.ROOT) + ")";
            st.execute(String.format(copy, work.resolve("warmup-duckdb.parquet")));
            List<Double> duckSeconds = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                Files.deleteIfExists(theirs);
                System.gc();
                long start = System.nanoTime();
                st.execute(String.format(copy, theirs));
                duckSeconds.add((System.nanoTime() - start) / 1e9);
            }
            check(st, "SELECT count(*) FROM read_parquet('" + theirs + "')", rows);

            double ourMedian = median(ourSeconds);
            double duckMedian = median(duckSeconds);
            double ourRate = rows / ourMedian;
            double duckRate = rows / duckMedian;
            System.out.printf(Locale.ROOT, "ours   ParquetWriter : %,10.0f rows/s  (median %.2f s of %s, %,d bytes)%n",
                    ourRate, ourMedian, fmt(ourSeconds), Files.size(ours));
            System.out.printf(Locale.ROOT, "duckdb COPY TO       : %,10.0f rows/s  (median %.2f s of %s, %,d bytes)%n",
                    duckRate, duckMedian, fmt(duckSeconds), Files.size(theirs));
            double ratio = ourRate / duckRate;
            System.out.printf(Locale.ROOT, "ratio ours/duckdb    : %.2fx (target >= 0.50x) %s%n", ratio,
                    ratio >= 0.5 ? "PASS" : "BELOW TARGET");
        }
    }

    private static double writeOurs(Path file, int rows, Registry.Table table, ParquetWriter.Options options)
            throws IOException {
        long nanos = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            long start = System.nanoTime();
            ParquetWriter writer = ParquetWriter.forTable(out, table, options);
            nanos += System.nanoTime() - start;
            ObjectNode[] chunk = new ObjectNode[CHUNK];
            for (int from = 0; from < rows; from += CHUNK) {
                int n = Math.min(CHUNK, rows - from);
                for (int i = 0; i < n; i++) {
                    chunk[i] = row(from + i);
                }
                start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    writer.write(chunk[i]);
                }
                writer.drain();
                nanos += System.nanoTime() - start;
            }
            start = System.nanoTime();
            writer.finish();
            out.flush();
            nanos += System.nanoTime() - start;
        }
        return nanos / 1e9;
    }

    /** JSONL whose objects are exactly our Parquet columns, so DuckDB writes the same data. */
    private static void writeDuckJsonl(Path file, int rows, Registry.Table table) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            JsonlWriter writer = new JsonlWriter(out);
            for (int i = 0; i < rows; i++) {
                ObjectNode row = row(i);
                ObjectNode flat = JsonNodeFactory.instance.objectNode();
                flat.set(ExportRow.EXPORTED_AT_UTC, row.get(ExportRow.EXPORTED_AT_UTC));
                flat.set(ExportRow.SOURCE_REVISION, row.get(ExportRow.SOURCE_REVISION));
                for (Map.Entry<String, String> column : table.columns().entrySet()) {
                    ColumnType type = ColumnType.of(column.getValue());
                    Object value = type.convert(row.get(column.getKey()));
                    if (value == null) {
                        flat.putNull(column.getKey());
                    } else if (type == ColumnType.TIMESTAMP) {
                        flat.put(column.getKey(), Instant.ofEpochMilli((Long) value).toString());
                    } else if (value instanceof String s) {
                        flat.put(column.getKey(), s);
                    } else if (value instanceof Long l) {
                        flat.put(column.getKey(), l);
                    } else if (value instanceof Double d) {
                        flat.put(column.getKey(), d);
                    } else {
                        flat.put(column.getKey(), (Boolean) value);
                    }
                }
                flat.put(ParquetWriter.ITEM_JSON, CanonicalJson.string(ExportRow.item(row)));
                writer.write(flat);
            }
            writer.finish();
        }
    }

    private static String duckColumns(Registry.Table table) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put(ExportRow.EXPORTED_AT_UTC, "VARCHAR");
        columns.put(ExportRow.SOURCE_REVISION, "VARCHAR");
        table.columns().forEach((name, type) -> columns.put(name, switch (ColumnType.of(type)) {
            case STRING -> "VARCHAR";
            case LONG -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMPTZ";
        }));
        columns.put(ParquetWriter.ITEM_JSON, "VARCHAR");
        List<String> parts = new ArrayList<>();
        columns.forEach((name, type) -> parts.add("'" + name + "': '" + type + "'"));
        return String.join(", ", parts);
    }

    /** Row {@code i}: an ord_orders-like item as an export row. */
    static ObjectNode row(int i) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        String org = "org" + (i % 7);
        item.put("orgcode", AttributeValue.fromS(org));
        item.put("order_id", AttributeValue.fromS(String.format("ORD-%08d", i)));
        item.put("revision", AttributeValue.fromN(Integer.toString(1 + i % 5)));
        List<AttributeValue> lines = new ArrayList<>();
        BigDecimal amount = BigDecimal.ZERO;
        for (int j = 0; j < 1 + i % 3; j++) {
            String[] sku = CATALOG[(i + j) % CATALOG.length];
            int qty = 1 + (i + 2 * j) % 4;
            amount = amount.add(new BigDecimal(sku[1]).multiply(BigDecimal.valueOf(qty)));
            lines.add(AttributeValue.fromM(Map.of("sku", AttributeValue.fromS(sku[0]),
                    "qty", AttributeValue.fromN(Integer.toString(qty)),
                    "unit_price", AttributeValue.fromN(new BigDecimal(sku[1]).stripTrailingZeros().toPlainString()))));
        }
        item.put("amount", AttributeValue.fromN(amount.stripTrailingZeros().toPlainString()));
        item.put("currency", AttributeValue.fromS(i % 3 == 0 ? "EUR" : "USD"));
        item.put("created_at", AttributeValue.fromS(Instant.parse("2026-01-01T00:00:00Z")
                .plus(Duration.ofSeconds(37L * i)).toString()));
        String status = STATUS[i % STATUS.length];
        item.put("status", AttributeValue.fromS(status));
        item.put("paid", AttributeValue.fromBool(!status.equals("placed")));
        item.put("customer_ref", AttributeValue.fromS(String.format("CUST-%05d", (i * 37) % 20_000)));
        item.put("lines", AttributeValue.fromL(lines));
        if (i % 5 == 0) {
            item.put("tags", AttributeValue.fromSs(List.of("priority", "gift")));
        }
        if (i % 7 == 0) {
            item.put("coupon", AttributeValue.fromNul(true));
        }
        if (i % 6 == 0) {
            byte[] digest = new byte[32];
            Arrays.fill(digest, (byte) i);
            item.put("receipt_digest", AttributeValue.fromB(SdkBytes.fromByteArray(digest)));
        }
        ObjectNode json = ItemJson.toJson(item);
        return ExportRow.of(json, AS_OF, ExportRow.revisionOf(json, "revision"));
    }

    private static void check(Statement st, String sql, long expected) throws SQLException {
        long actual = Long.parseLong(scalar(st, sql));
        if (actual != expected) {
            throw new IllegalStateException(sql + " gave " + actual + ", expected " + expected);
        }
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String fmt(List<Double> seconds) {
        return seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList().toString();
    }
}
