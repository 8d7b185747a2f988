package io.offboard.exporter.format;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.offboard.exporter.registry.Registry;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet write throughput of our {@link ParquetWriter} against DuckDB's {@code COPY ... TO ... (FORMAT parquet)} of
 * the same rows, in one run (run by {@code bench/parquet-vs-duckdb.sh}).
 *
 * <p>Rows are {@code ord_orders}-shaped export rows (what {@code ItemJson} and {@link ExportRow} make of a DynamoDB
 * item: typed columns plus nested lines, sets, binaries, nulls), a pure function of their index.
 *
 * <p>Ours is measured the way an export uses the writer: each row is built and written at once (a Jackson tree
 * is fresh in the CPU cache only right after it is built; pre-building a million trees and writing them later
 * measures cache misses, not the writer). So each round builds every row twice: once only building it
 * ({@code build}), once building and writing it ({@code build + write}); the writer's time is the difference,
 * {@code build + write - build}, medians over the rounds, run alternately. The writer's encoding thread works while
 * the next rows are built, as it does during an export; the same measurement with everything on one thread is
 * printed too, and both must write the same bytes.
 *
 * <p>DuckDB: the same rows, as the columns of our schema ({@code item_json} included), are written to JSONL and
 * loaded into a DuckDB table first; only the {@code COPY} is timed, with the same codec. One warm-up each, then
 * {@code runs} rounds in which ours and DuckDB's alternate (so both see the same machine); medians. Other processes
 * on the machine skew both sides: the load average is printed.
 *
 * <p>Arguments: {@code rows} (default 1000000), {@code codec} (default zstd), {@code runs} (default 5),
 * {@code work dir} (default a temp dir), {@code row group MiB} (default the writer's).
 */
public final class ParquetVsDuckDbBench {

    private static final Instant AS_OF = Instant.parse("2026-12-01T09:00:00Z");
    private static final String AS_OF_TEXT = ExportRow.timestamp(AS_OF);
    private static final long CREATED_BASE = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    private static final String[][] CATALOG = {
            {"SKU-TEA-001", "4.5"}, {"SKU-MUG-002", "12"}, {"SKU-BAG-003", "29.95"},
            {"SKU-PEN-004", "1.25"}, {"SKU-LAMP-005", "49"}};
    private static final BigDecimal[] PRICES = Arrays.stream(CATALOG).map(c -> new BigDecimal(c[1])).toArray(BigDecimal[]::new);
    private static final String[] STATUS = {"placed", "paid", "shipped", "delivered", "refunded"};

    private ParquetVsDuckDbBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        CompressionCodecName codec = CompressionCodecName.valueOf((args.length > 1 ? args[1] : "zstd").toUpperCase(Locale.ROOT));
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path work = args.length > 3 ? Files.createDirectories(Path.of(args[3])) : Files.createTempDirectory("parquet-bench");
        Registry.Table table = Registry.bundled().services().stream().flatMap(s -> s.tables().stream())
                .filter(t -> t.name().equals("ord_orders")).findFirst().orElseThrow();
        ParquetWriter.Options options = ParquetWriter.Options.defaults().withCodec(codec);
        if (args.length > 4) {
            options = options.withRowGroupBytes(Long.parseLong(args[4]) << 20);
        }

        System.out.printf(Locale.ROOT, "rows %,d, codec %s, row groups %d MiB, %d cores, java %s, load average %s, work dir %s%n",
                rows, codec, options.rowGroupBytes() >> 20, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadAverage(), work);

        for (long k = 0; k < 100_000; k += 7) {
            if (!isoSeconds(CREATED_BASE + 37 * k).equals(Instant.ofEpochSecond(CREATED_BASE + 37 * k).toString())) {
                throw new IllegalStateException("isoSeconds is wrong at " + k);
            }
        }

        // ---- the same rows for DuckDB: JSONL with our Parquet columns, loaded into a table (untimed) ----
        Path jsonl = work.resolve("rows.jsonl");
        long t0 = System.nanoTime();
        writeDuckJsonl(jsonl, rows, table);
        System.out.printf(Locale.ROOT, "wrote %s (%,d bytes) in %.1f s%n", jsonl.getFileName(), Files.size(jsonl),
                (System.nanoTime() - t0) / 1e9);

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("SET preserve_insertion_order = true");
            t0 = System.nanoTime();
            st.execute("CREATE TABLE rows AS SELECT * FROM read_json('" + jsonl + "', format = 'newline_delimited', "
                    + "columns = {" + duckColumns(table) + "})");
            System.out.printf(Locale.ROOT, "loaded into DuckDB in %.1f s (threads %s)%n", (System.nanoTime() - t0) / 1e9,
                    scalar(st, "SELECT current_setting('threads')"));
            check(st, "SELECT count(*) FROM rows", rows);

            // ---- warm-ups, then rounds: ours and DuckDB alternate, so both see the same machine ----
            Path ours = work.resolve("ours.parquet");
            Path oursSingle = work.resolve("ours-single.parquet");
            Path theirs = work.resolve("duckdb.parquet");
            String copy = "COPY (SELECT * FROM rows) TO '%s' (FORMAT parquet, COMPRESSION "
                    + codec.name().toLowerCase(Locale.ROOT) + ")";
            buildOnly(rows);
            buildAndWrite(work.resolve("warmup.parquet"), rows, table, options, true);
            buildAndWrite(work.resolve("warmup-single.parquet"), rows, table, options, false);
            st.execute(String.format(copy, work.resolve("warmup-duckdb.parquet")));
            List<Double> build = new ArrayList<>();
            List<Double> buildWrite = new ArrayList<>();
            List<Double> buildWriteSingle = new ArrayList<>();
            List<Double> duckSeconds = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                build.add(buildOnly(rows));
                buildWrite.add(buildAndWrite(ours, rows, table, options, true));
                buildWriteSingle.add(buildAndWrite(oursSingle, rows, table, options, false));
                Files.deleteIfExists(theirs);
                System.gc();
                long start = System.nanoTime();
                st.execute(String.format(copy, theirs));
                duckSeconds.add((System.nanoTime() - start) / 1e9);
            }
            check(st, "SELECT count(*) FROM read_parquet('" + ours + "')", rows);
            check(st, "SELECT count(*) FROM read_parquet('" + theirs + "')", rows);
            if (!Arrays.equals(Files.readAllBytes(ours), Files.readAllBytes(oursSingle))) {
                throw new IllegalStateException("the one-thread and two-thread writers wrote different bytes");
            }

            double buildMedian = median(build);
            double ourSeconds = median(buildWrite) - buildMedian;
            double singleSeconds = median(buildWriteSingle) - buildMedian;
            double duckMedian = median(duckSeconds);
            double ourRate = rows / ourSeconds;
            double duckRate = rows / duckMedian;
            System.out.printf(Locale.ROOT, "build only           : median %.2f s of %s%n", buildMedian, fmt(build));
            System.out.printf(Locale.ROOT, "build + write        : median %.2f s of %s%n", median(buildWrite), fmt(buildWrite));
            System.out.printf(Locale.ROOT, "build + write, 1 thr : median %.2f s of %s%n", median(buildWriteSingle),
                    fmt(buildWriteSingle));
            System.out.printf(Locale.ROOT, "ours   ParquetWriter : %,10.0f rows/s  (%.2f s, %,d bytes)%n",
                    ourRate, ourSeconds, Files.size(ours));
            System.out.printf(Locale.ROOT, "ours, one thread     : %,10.0f rows/s  (%.2f s; %.2fx DuckDB)%n",
                    rows / singleSeconds, singleSeconds, (rows / singleSeconds) / duckRate);
            System.out.printf(Locale.ROOT, "duckdb COPY TO       : %,10.0f rows/s  (median %.2f s of %s, %,d bytes)%n",
                    duckRate, duckMedian, fmt(duckSeconds), Files.size(theirs));
            double ratio = ourRate / duckRate;
            System.out.printf(Locale.ROOT, "ratio ours/duckdb    : %.2fx (target >= 0.50x) %s  (load average now %s)%n",
                    ratio, ratio >= 0.5 ? "PASS" : "BELOW TARGET", loadAverage());
        }
    }

    /** Builds every row and drops it: the part of {@link #buildAndWrite} that is not the writer. */
    private static double buildOnly(int rows) {
        System.gc();
        long start = System.nanoTime();
        long sink = 0;
        for (int i = 0; i < rows; i++) {
            sink += row(i).size();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink == 42) {
            System.out.print("");
        }
        return seconds;
    }

    private static double buildAndWrite(Path file, int rows, Registry.Table table, ParquetWriter.Options options,
                                        boolean encodingThread) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            System.gc();
            long start = System.nanoTime();
            ParquetWriter writer = new ParquetWriter(out, table.name(), table.columns(), options, encodingThread);
            for (int i = 0; i < rows; i++) {
                writer.write(row(i));
            }
            writer.finish();
            out.flush();
            return (System.nanoTime() - start) / 1e9;
        }
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

    /**
     * Row {@code i}: the export row {@code ItemJson} + {@link ExportRow} make of an ord_orders item (numbers as exact
     * decimals, a binary as Base64, a string set as a sorted array, keys sorted), built directly so that building
     * costs little next to writing.
     */
    static ObjectNode row(int i) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode item = nodes.objectNode();
        BigDecimal amount = BigDecimal.ZERO;
        com.fasterxml.jackson.databind.node.ArrayNode lines = nodes.arrayNode();
        for (int j = 0; j < 1 + i % 3; j++) {
            int sku = (i + j) % CATALOG.length;
            int qty = 1 + (i + 2 * j) % 4;
            amount = amount.add(PRICES[sku].multiply(BigDecimal.valueOf(qty)));
            ObjectNode line = lines.addObject();
            line.set("qty", DecimalNode.valueOf(BigDecimal.valueOf(qty)));
            line.put("sku", CATALOG[sku][0]);
            line.set("unit_price", DecimalNode.valueOf(PRICES[sku]));
        }
        String status = STATUS[i % STATUS.length];
        item.set("amount", DecimalNode.valueOf(amount.stripTrailingZeros()));
        if (i % 7 == 0) {
            item.putNull("coupon");
        }
        item.put("created_at", isoSeconds(CREATED_BASE + 37L * i));
        item.put("currency", i % 3 == 0 ? "EUR" : "USD");
        item.put("customer_ref", "CUST-" + pad((i * 37) % 20_000, 5));
        item.set("lines", lines);
        item.put("order_id", "ORD-" + pad(i, 8));
        item.put("orgcode", "org" + (i % 7));
        item.put("paid", !status.equals("placed"));
        if (i % 6 == 0) {
            byte[] digest = new byte[32];
            Arrays.fill(digest, (byte) i);
            item.put("receipt_digest", Base64.getEncoder().encodeToString(digest));
        }
        String revision = Integer.toString(1 + i % 5);
        item.set("revision", DecimalNode.valueOf(new BigDecimal(revision)));
        item.put("status", status);
        if (i % 5 == 0) {
            item.putArray("tags").add("gift").add("priority");
        }
        return ExportRow.of(item, AS_OF, revision);
    }

    private static String pad(int value, int width) {
        char[] digits = new char[width];
        for (int k = width - 1; k >= 0; k--) {
            digits[k] = (char) ('0' + value % 10);
            value /= 10;
        }
        return new String(digits);
    }

    /** {@code yyyy-MM-ddTHH:mm:ssZ} of an epoch second after 1970 (as Instant.toString writes whole seconds). */
    private static String isoSeconds(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        // civil_from_days (H. Hinnant)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
                + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "Z";
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

    /** The 1-minute load average (other processes on the machine skew both sides' figures). */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
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
