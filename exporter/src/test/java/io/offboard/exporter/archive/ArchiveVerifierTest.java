package io.offboard.exporter.archive;

import static io.offboard.exporter.archive.ArchiveTestSupport.BAG;
import static io.offboard.exporter.archive.ArchiveTestSupport.samplePayload;
import static io.offboard.exporter.archive.ArchiveTestSupport.sha256;
import static io.offboard.exporter.archive.ArchiveTestSupport.writeFile;
import static io.offboard.exporter.archive.ArchiveTestSupport.writeShaFile;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.exporter.manifest.ExportManifest;
import io.offboard.exporter.manifest.ExportManifest.CostSummary;
import io.offboard.exporter.manifest.ExportManifest.ServiceSummary;
import io.offboard.exporter.manifest.ExportManifest.SourceSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArchiveVerifierTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void cleanArchivePasses(Compression compression) throws Exception {
        SortedMap<String, byte[]> payload = withExportManifest(samplePayload(), 0);
        Path archive = tmp.resolve("export" + compression.extension());
        ArchiveResult result = writeFile(archive, compression, 2, payload);
        writeShaFile(archive, result.sha256());
        Files.writeString(tmp.resolve(archive.getFileName() + ".size"), result.bytes() + "\n");

        VerificationReport report = ArchiveVerifier.verify(archive);

        assertThat(report.problems()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.notes()).isEmpty();
        assertThat(report.sha256()).isEqualTo(result.sha256());
        assertThat(report.bytes()).isEqualTo(result.bytes());
        assertThat(report.payloadFiles()).isEqualTo(payload.size());
        assertThat(report.payloadBytes()).isEqualTo(payload.values().stream().mapToLong(b -> b.length).sum());
        assertThat(report.render()).hasSize(1);
        assertThat(report.render().get(0)).startsWith("OK archive SHA-256 " + result.sha256());
    }

    @Test
    void withoutAnExpectedShaItStillChecksTheContentAndSaysSo() throws Exception {
        Path archive = tmp.resolve("export.tar.gz");
        writeFile(archive, Compression.GZIP, 2, samplePayload());
        VerificationReport report = ArchiveVerifier.verify(archive);
        assertThat(report.ok()).isTrue();
        assertThat(report.notes()).singleElement().asString().contains("export.tar.gz.sha256");
        assertThat(report.render()).last().asString().startsWith("note: ");
    }

    @Test
    void oneFlippedPayloadByteIsNamed() throws Exception {
        Path good = tmp.resolve("good.tar.gz");
        writeFile(good, Compression.GZIP, 2, samplePayload());
        byte[] tar;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(good))) {
            tar = in.readAllBytes();
        }
        // a row only ord_orders.jsonl has; flip one digit of its content, leave the manifest as it was
        int at = indexOf(tar, "ORDER#00001000".getBytes(UTF_8));
        assertThat(at).isPositive();
        tar[at + 13] = '7';
        Path bad = tmp.resolve("bad.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bad))) {
            out.write(tar);
        }
        writeShaFile(bad, sha256(Files.readAllBytes(bad))); // the outer checksum is right: only the payload changed

        VerificationReport report = ArchiveVerifier.verify(bad);

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).singleElement().asString()
                .startsWith("data/ord/ord_orders.jsonl: SHA-256 mismatch (manifest ")
                .contains(sha256(samplePayload().get("ord/ord_orders.jsonl")));
        assertThat(report.render().get(0)).startsWith("FAILED").endsWith("1 problem:");
        assertThat(report.render().get(1)).contains("data/ord/ord_orders.jsonl");
    }

    @Test
    void wrongOuterShaAndSizeAreReported() throws Exception {
        Path archive = tmp.resolve("export.tar.zst");
        ArchiveResult result = writeFile(archive, Compression.ZSTD, 2, samplePayload());
        VerificationReport report = ArchiveVerifier.verify(archive, "ab".repeat(32), result.bytes() + 1);
        assertThat(report.problems()).containsExactly(
                "export.tar.zst: SHA-256 mismatch (expected " + "ab".repeat(32) + ", actual " + result.sha256() + ")",
                "export.tar.zst: size mismatch (expected " + (result.bytes() + 1) + " bytes, actual " + result.bytes()
                        + ")");

        // and from the side files
        Files.writeString(tmp.resolve("export.tar.zst.sha256"), "cd".repeat(32) + "  export.tar.zst\n");
        Files.writeString(tmp.resolve("export.tar.zst.size"), "12\n");
        assertThat(ArchiveVerifier.verify(archive).problems()).hasSize(2)
                .allSatisfy(p -> assertThat(p).startsWith("export.tar.zst: "));
        assertThat(ArchiveVerifier.verify(archive, result.sha256(), result.bytes()).ok()).isTrue();
    }

    @Test
    void manifestCountsThatDoNotMatchTheRowsAreReported() throws Exception {
        Path archive = tmp.resolve("export.tar.gz");
        writeFile(archive, Compression.GZIP, 2, withExportManifest(samplePayload(), 1));
        VerificationReport report = ArchiveVerifier.verify(archive);
        long rows = lines(samplePayload().get("ord/ord_orders.jsonl"));
        long all = rows + lines(samplePayload().get("usr/ünïcødé-файл.jsonl"));
        long invoiceBytes = samplePayload().entrySet().stream().filter(e -> e.getKey().startsWith("ord/s3/"))
                .mapToLong(e -> e.getValue().length).sum();
        long totalBytes = invoiceBytes + samplePayload().get("ord/ord_orders.jsonl").length
                + samplePayload().get("usr/ünïcødé-файл.jsonl").length;
        assertThat(report.problems()).containsExactlyInAnyOrder(
                "data/manifest.json: source ord/orders (dynamodb) declares " + (rows + 1) + " items, its files hold "
                        + rows + " rows",
                "data/manifest.json: source ord/invoices (s3) declares 3 objects, it lists 2 files",
                "data/manifest.json: source ord/invoices (s3) declares " + (invoiceBytes + 1)
                        + " bytes, its files hold " + invoiceBytes,
                "data/manifest.json: totals.bytes is " + totalBytes + ", the sources add up to " + (totalBytes + 1),
                "data/manifest.json: totals.items is " + all + ", the sources add up to " + (all + 1),
                "data/manifest.json: totals.objects is 2, the sources add up to 3");
    }

    @Test
    void parquetRowsAreCountedFromTheFooter() throws Exception {
        Path parquet = tmp.resolve("users.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT range AS id, 'user-' || range AS name, range % 7 = 0 AS admin FROM range(1234)) TO '"
                    + parquet + "' (FORMAT PARQUET, ROW_GROUP_SIZE 500)");
        }
        byte[] bytes = Files.readAllBytes(parquet);
        for (long declared : new long[] {1234, 1235}) {
            SortedMap<String, byte[]> payload = new java.util.TreeMap<>(BagArchiveWriter.PATH_ORDER);
            payload.put("usr/users.parquet", bytes);
            payload.put("usr/broken.parquet", "not parquet".getBytes(UTF_8));
            ExportManifest m = manifest(List.of(new ServiceSummary("usr", List.of(
                    new SourceSummary(SourceSummary.DYNAMODB, "users", "partition_key", null, declared, bytes.length,
                            List.of("usr/users.parquet"))), CostSummary.ZERO)), declared, 0, bytes.length, 1);
            payload.put("manifest.json", m.toJson());
            Path archive = tmp.resolve("p" + declared + ".tar.gz");
            writeFile(archive, Compression.GZIP, 2, payload);
            VerificationReport report = ArchiveVerifier.verify(archive);
            assertThat(report.problems()).first().asString().startsWith("data/usr/broken.parquet: not a readable Parquet file");
            if (declared == 1234) {
                assertThat(report.problems()).hasSize(1);
            } else {
                assertThat(report.problems()).hasSize(2).last().isEqualTo(
                        "data/manifest.json: source usr/users (dynamodb) declares 1235 items, its files hold 1234 rows");
            }
        }
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("offboard-verify-"))).isEmpty();
        }
    }

    @Test
    void everyProblemOfAHandMadeBagIsCollected() throws Exception {
        Path archive = tmp.resolve("hand.tar.gz");
        String a = "hello\n";
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            put(tar, "bag/bagit.txt", "BagIt-Version: one\n");
            put(tar, "bag/data/a.txt", a);
            put(tar, "bag/data/extra.txt", "extra\n");
            put(tar, "bag/manifest-sha256.txt", sha256(a.getBytes(UTF_8)) + "  data/a.txt\n"
                    + "00".repeat(32) + "  data/missing.txt\nnot a line\n");
            put(tar, "bag/bag-info.txt", "Payload-Oxum: 6.1\n");
            put(tar, "other/x.txt", "x");
            TarArchiveEntry link = new TarArchiveEntry("bag/data/link", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        VerificationReport report = ArchiveVerifier.verify(archive, null, null);
        assertThat(report.problems()).containsExactlyInAnyOrder(
                "data/link: not a regular file (link or special file)",
                "hand.tar.gz: more than one top-level entry (bag, other); a bag is one directory",
                "bagit.txt: no valid BagIt-Version line",
                "bagit.txt: Tag-File-Character-Encoding is null, expected UTF-8",
                "manifest-sha256.txt line 3: not '<sha256>  <path>'",
                "data/missing.txt: listed in manifest-sha256.txt but missing from the archive",
                "data/extra.txt: not listed in manifest-sha256.txt",
                "bag-info.txt: Payload-Oxum 6.1 does not match the payload (12.2: 12 bytes in 2 files)",
                "tagmanifest-sha256.txt: missing");
        assertThat(report.payloadFiles()).isEqualTo(2);
    }

    @Test
    void truncatedOrForeignFilesAreReportedNotThrown() throws Exception {
        Path archive = tmp.resolve("export.tar.gz");
        writeFile(archive, Compression.GZIP, 2, samplePayload());
        byte[] all = Files.readAllBytes(archive);
        Path cut = tmp.resolve("cut.tar.gz");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        VerificationReport report = ArchiveVerifier.verify(cut, null, null);
        assertThat(report.ok()).isFalse();
        assertThat(report.bytes()).isEqualTo(all.length / 2);
        assertThat(report.problems()).first().asString().startsWith("cut.tar.gz: corrupt or truncated gzip archive");

        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "just text");
        assertThat(ArchiveVerifier.verify(text).problems()).first().asString()
                .isEqualTo("notes.txt: neither gzip, zstd nor tar (unknown magic bytes)");
    }

    @Test
    void aBucketsKeyMapMustNameEveryFileOnceWithItsSizeAndShaAndRoundTrip() throws Exception {
        byte[] a = "a\n".getBytes(UTF_8);
        byte[] b = "bb\n".getBytes(UTF_8);
        byte[] c = "ccc\n".getBytes(UTF_8);
        String dir = "ord/s3/bkt/";
        String good = keyLine("acme/folder/", dir + "acme/folder~2F", a) + keyLine("acme/report", dir + "acme/report~~1", b)
                + keyLine("acme/report/2024.csv", dir + "acme/report/2024.csv", c);
        Path clean = bucketBag("clean.tar.gz", good, 3, a.length + b.length + c.length, false);
        assertThat(ArchiveVerifier.verify(clean).problems()).isEmpty();

        String tampered = keyLine("acme/folder/", dir + "acme/folder~2F", b)            // wrong size and SHA-256
                + keyLine("acme/q", dir + "acme/report~~1", b)                            // key and path disagree
                + keyLine("acme/q", dir + "acme/report~~1", b);                           // the same key again
        Path bad = bucketBag("bad.tar.gz", tampered, 4, a.length + b.length + c.length, false);
        assertThat(ArchiveVerifier.verify(bad).problems()).containsExactlyInAnyOrder(
                "data/ord/s3/bkt~keys.jsonl line 1: data/ord/s3/bkt/acme/folder~2F has 2 bytes, the key map says 3",
                "data/ord/s3/bkt~keys.jsonl line 1: data/ord/s3/bkt/acme/folder~2F: SHA-256 mismatch (key map "
                        + sha256(b) + ", actual " + sha256(a) + ")",
                "data/ord/s3/bkt~keys.jsonl line 2: key \"acme/q\" and path data/ord/s3/bkt/acme/report~~1 do not map "
                        + "to each other",
                "data/ord/s3/bkt~keys.jsonl line 3: key \"acme/q\" listed twice",
                "data/ord/s3/bkt~keys.jsonl line 3: key \"acme/q\" and path data/ord/s3/bkt/acme/report~~1 do not map "
                        + "to each other",
                "data/ord/s3/bkt~keys.jsonl line 3: file data/ord/s3/bkt/acme/report~~1 is named by more than one key",
                "data/ord/s3/bkt/acme/report/2024.csv: not in the key map data/ord/s3/bkt~keys.jsonl",
                "data/manifest.json: source ord/bkt (s3) declares 4 objects, its key map lists 3",
                "data/manifest.json: source ord/bkt (s3) declares 9 bytes, its files hold 8");
    }

    @Test
    void pathsThatWouldBeOneFileWhereCaseIsIgnoredOrAFileAndAFolderAreReported() throws Exception {
        Path archive = tmp.resolve("case.tar.gz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            put(tar, "bag/data/s3/Report.csv", "1");
            put(tar, "bag/data/s3/report.csv", "2");
            put(tar, "bag/data/s3/report", "3");
            put(tar, "bag/data/s3/report/2024.csv", "4");
            put(tar, "bag/data/s3/e\u0301", "5");
            put(tar, "bag/data/s3/\u00e9", "6");
        }
        assertThat(ArchiveVerifier.verify(archive).problems())
                .contains("data/s3/report.csv: the same file as data/s3/Report.csv where case is ignored (macOS, "
                                + "Windows): one would overwrite the other",
                        "data/s3/\u00e9: the same file as data/s3/e\u0301 where case is ignored (macOS, Windows): one "
                                + "would overwrite the other",
                        "data/s3/report: a file where data/s3/report/ is a directory: it cannot be extracted");
    }

    // ---- helpers ----

    private static String keyLine(String key, String path, byte[] content) {
        return "{\"key\":\"" + key + "\",\"path\":\"" + path + "\",\"sha256\":\"" + sha256(content) + "\",\"size\":"
                + content.length + ",\"version_id\":null}\n";
    }

    /** A bag of three objects of bucket {@code bkt} ({@code acme/folder/}, {@code acme/report} and a file under it). */
    private Path bucketBag(String name, String keyMap, long objects, long bytes, boolean unused) throws IOException {
        SortedMap<String, byte[]> payload = new java.util.TreeMap<>(BagArchiveWriter.PATH_ORDER);
        payload.put("ord/s3/bkt/acme/folder~2F", "a\n".getBytes(UTF_8));
        payload.put("ord/s3/bkt/acme/report~~1", "bb\n".getBytes(UTF_8));
        payload.put("ord/s3/bkt/acme/report/2024.csv", "ccc\n".getBytes(UTF_8));
        payload.put("ord/s3/bkt~keys.jsonl", keyMap.getBytes(UTF_8));
        ExportManifest m = manifest(List.of(new ServiceSummary("ord", List.of(
                        new SourceSummary(SourceSummary.S3, "bkt", "prefix", "acme/", objects, bytes, List.of(),
                                "ord/s3/bkt~keys.jsonl")), CostSummary.ZERO)),
                0, objects, bytes, objects);
        payload.put("manifest.json", m.toJson());
        Path archive = tmp.resolve(name);
        writeFile(archive, Compression.GZIP, 1, payload);
        return archive;
    }

    /**
     * Adds data/manifest.json describing the sample payload; {@code skew} is added to the declared counts of two
     * sources and to the bytes of one (not to the totals, which then disagree too).
     */
    private static SortedMap<String, byte[]> withExportManifest(SortedMap<String, byte[]> payload, int skew)
            throws IOException {
        long orders = lines(payload.get("ord/ord_orders.jsonl"));
        long users = lines(payload.get("usr/ünïcødé-файл.jsonl"));
        List<String> invoiceFiles = payload.keySet().stream().filter(k -> k.startsWith("ord/s3/")).toList();
        long invoiceBytes = invoiceFiles.stream().mapToLong(k -> payload.get(k).length).sum();
        long orderBytes = payload.get("ord/ord_orders.jsonl").length;
        long userBytes = payload.get("usr/ünïcødé-файл.jsonl").length;
        ExportManifest m = manifest(List.of(
                new ServiceSummary("ord", List.of(
                        new SourceSummary(SourceSummary.DYNAMODB, "orders", "partition_key", null, orders + skew,
                                orderBytes, List.of("ord/ord_orders.jsonl")),
                        new SourceSummary(SourceSummary.S3, "invoices", null, "acme/", invoiceFiles.size() + skew,
                                invoiceBytes + skew, invoiceFiles)), CostSummary.ZERO),
                new ServiceSummary("usr", List.of(
                        new SourceSummary(SourceSummary.DYNAMODB, "users", "scan", null, users, userBytes,
                                List.of("usr/ünïcødé-файл.jsonl"))), CostSummary.ZERO)),
                orders + users, invoiceFiles.size(), orderBytes + invoiceBytes + userBytes,
                invoiceFiles.size() + 2);
        SortedMap<String, byte[]> copy = new java.util.TreeMap<>(BagArchiveWriter.PATH_ORDER);
        copy.putAll(payload);
        copy.put("manifest.json", m.toJson());
        return copy;
    }

    private static ExportManifest manifest(List<ServiceSummary> services, long items, long objects, long bytes,
                                           long files) {
        return new ExportManifest("acme", "jsonl", Instant.parse("2026-03-01T12:34:56Z"), true, "2026.02.1",
                services, new ExportManifest.Totals(items, objects, bytes, files), CostSummary.ZERO);
    }

    private static long lines(byte[] jsonl) {
        long n = 0;
        for (byte b : jsonl) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    private static void put(TarArchiveOutputStream tar, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
