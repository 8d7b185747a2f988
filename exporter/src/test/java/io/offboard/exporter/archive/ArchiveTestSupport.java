package io.offboard.exporter.archive;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Shared by the archive tests: realistic payloads, a writer driver, and running real tools. */
final class ArchiveTestSupport {

    static final Instant AS_OF = Instant.parse("2026-03-01T12:34:56.789Z");
    static final String BAG = "offboard-acme-20260301T123456Z";

    private ArchiveTestSupport() {
    }

    /** JSONL rows that look like an export of a DynamoDB table, about {@code approxBytes} long. */
    static byte[] jsonl(long seed, int approxBytes) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(approxBytes + 512);
        int i = 0;
        while (sb.length() < approxBytes) {
            sb.append(row(r, i++)).append('\n');
        }
        return sb.toString().getBytes(UTF_8);
    }

    static String row(Random r, int i) {
        String[] statuses = {"PENDING", "PAID", "SHIPPED", "CANCELLED", "REFUNDED"};
        return "{\"pk\":\"ORG#acme\",\"sk\":\"ORDER#" + String.format("%08d", i) + "\",\"customer\":\"cust-"
                + Integer.toHexString(r.nextInt(1 << 20)) + "\",\"status\":\"" + statuses[r.nextInt(statuses.length)]
                + "\",\"amount_cents\":" + r.nextInt(1_000_000) + ",\"currency\":\"EUR\",\"items\":" + (1 + r.nextInt(9))
                + ",\"note\":\"" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36)
                + "\",\"exported_at_utc\":\"2026-03-01T12:34:56Z\",\"source_revision\":" + r.nextInt(50) + "}";
    }

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A few payload files: a multi-MB JSONL, incompressible binary, nested dirs, long, spaced and non-ASCII names. */
    static SortedMap<String, byte[]> samplePayload() {
        SortedMap<String, byte[]> files = new TreeMap<>(BagArchiveWriter.PATH_ORDER);
        files.put("README.md", "# Export of acme\n\nSee manifest.json.\n".getBytes(UTF_8));
        files.put("ord/ord_orders.jsonl", jsonl(1, 3 * 1024 * 1024 + 12345));
        files.put("ord/ord_refunds.jsonl", jsonl(2, 40_000));
        files.put("ord/empty.jsonl", new byte[0]);
        files.put("ord/s3/acme-invoices/2026/02/invoice 0001.pdf", random(3, 700_000));
        files.put("ord/s3/acme-invoices/" + "very-long-directory-name-".repeat(6) + "/object.bin",
                random(4, 1000));
        files.put("usr/ünïcødé-файл.jsonl", jsonl(5, 2000));
        return files;
    }

    static ArchiveResult write(OutputStream sink, Compression compression, int threads,
                               Map<String, byte[]> payload, Map<String, String> bagInfo) throws IOException {
        try (BagArchiveWriter writer = new BagArchiveWriter(sink, compression, BAG, AS_OF, threads)) {
            for (Map.Entry<String, byte[]> e : payload.entrySet()) {
                writer.addPayload(e.getKey(), e.getValue().length, new ByteArrayInputStream(e.getValue()));
            }
            return writer.finish(bagInfo);
        }
    }

    static Map<String, String> bagInfo() {
        return Map.of("Source-Organization", "acme", "Offboard-Snapshot-Time", "2026-03-01T12:34:56Z",
                "Offboard-Registry-Version", "2026.02.1");
    }

    static ArchiveResult writeFile(Path file, Compression compression, int threads, Map<String, byte[]> payload)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            return write(out, compression, threads, payload, bagInfo());
        }
    }

    /** Writes {@code <file>.sha256} as sha256sum would. */
    static void writeShaFile(Path file, String sha) throws IOException {
        Files.writeString(file.resolveSibling(file.getFileName() + ".sha256"),
                sha + "  " + file.getFileName() + "\n");
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(BagArchiveWriter.sha256().digest(bytes));
    }

    record Result(int exit, String output) {
    }

    /** Runs a command in {@code dir}, stdout and stderr merged. */
    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(out, UTF_8));
    }

    static Result sh(Path dir, String script) throws IOException, InterruptedException {
        return run(dir, "bash", "-c", script);
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    static List<String> lines(String s) {
        return new ArrayList<>(List.of(s.split("\n")));
    }
}
