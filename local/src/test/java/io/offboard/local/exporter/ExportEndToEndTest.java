package io.offboard.local.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gov.loc.repository.bagit.domain.Bag;
import gov.loc.repository.bagit.reader.BagReader;
import gov.loc.repository.bagit.verify.BagVerifier;
import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.export.ExportEngine;
import io.offboard.exporter.export.ExportFormat;
import io.offboard.exporter.export.ExportOutcome;
import io.offboard.exporter.export.ExportProgress;
import io.offboard.exporter.export.ExportRequest;
import io.offboard.exporter.export.ExportSettings;
import io.offboard.exporter.registry.Registry;
import io.offboard.local.demo.LocalBot;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.platform.SeedSummary;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import io.offboard.local.support.CliRun;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports of the demo platform, read back by tools that are not ours: sha256sum, gzip, tar, the Library of
 * Congress BagIt verifier, DuckDB and Jackson. Counts must equal what was seeded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportEndToEndTest {

    private static final Instant AS_OF = Instant.parse("2026-12-01T09:00:00Z");
    private static final String ACME = DemoPlatform.ACME;

    private final ObjectMapper json = new ObjectMapper();
    private EmbeddedStack stack;
    private SeedSummary seeded;

    @BeforeAll
    void start() {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        seeded = DemoPlatform.seed(stack.dynamo(), stack.s3());
        LocalBot.useStackCredentials(stack);
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void aJsonlGzipExportIsAValidBagWithEveryItemAndObjectOfTheTenantAndNothingElse(@TempDir Path dir)
            throws Exception {
        Path archive = dir.resolve("acme.tar.gz");
        assertThat(cli("export", "--tenant", ACME, "--out", archive.toString(), "--as-of", AS_OF.toString()).exit())
                .isZero();

        assertThat(run(dir, "sha256sum", "-c", "acme.tar.gz.sha256")).isZero();
        assertThat(run(dir, "gzip", "-t", "acme.tar.gz")).isZero();
        assertThat(run(dir, "tar", "xzf", "acme.tar.gz")).isZero();
        Path bag = dir.resolve("offboard-acme-20261201T090000Z");
        assertThat(run(bag, "sha256sum", "--quiet", "-c", "manifest-sha256.txt")).isZero();
        assertThat(run(bag, "sha256sum", "--quiet", "-c", "tagmanifest-sha256.txt")).isZero();
        try (BagVerifier verifier = new BagVerifier()) {
            Bag read = new BagReader().read(bag);
            // throws, naming the problem, unless every payload and tag file matches its manifest
            verifier.isValid(read, false);
        }

        assertThat(jsonlRows(bag.resolve("data/uas/uas_orgs.jsonl"))).hasSize((int) seeded.items(ACME, "uas_orgs"));
        assertThat(jsonlRows(bag.resolve("data/uas/uas_users.jsonl"))).hasSize((int) seeded.items(ACME, "uas_users"));
        List<JsonNode> orders = jsonlRows(bag.resolve("data/ord/ord_orders.jsonl"));
        assertThat(orders).hasSize((int) seeded.items(ACME, "ord_orders"));
        List<JsonNode> events = jsonlRows(bag.resolve("data/evt/evt_changelog.jsonl"));
        assertThat(events).as("items found only by a filtered scan").hasSize((int) seeded.items(ACME, "evt_changelog"));
        assertThat(orders).allSatisfy(row -> {
            assertThat(row.get("orgcode").asText()).isEqualTo(ACME);
            assertThat(row.get("exported_at_utc").asText()).isEqualTo("2026-12-01T09:00:00Z");
            assertThat(row.get("source_revision")).isNotNull();
        });
        assertThat(events).allSatisfy(row -> assertThat(row.get("tenant_ref").asText()).isEqualTo(ACME));
        for (String bucket : List.of(DemoPlatform.ORD_ATTACHMENTS, DemoPlatform.EVT_USAGE)) {
            Path objects = bag.resolve("data").resolve(bucket.equals(DemoPlatform.ORD_ATTACHMENTS) ? "ord" : "evt")
                    .resolve("s3").resolve(bucket);
            try (Stream<Path> files = Files.walk(objects)) {
                assertThat(files.filter(Files::isRegularFile).count()).as(bucket)
                        .isEqualTo(seeded.objects(ACME, bucket));
            }
        }
        JsonNode manifest = json.readTree(bag.resolve("data/manifest.json").toFile());
        assertThat(manifest.get("orgcode").asText()).isEqualTo(ACME);
        assertThat(manifest.get("totals").get("items").asLong()).isEqualTo(
                seeded.items(ACME, "uas_orgs") + seeded.items(ACME, "uas_users") + seeded.items(ACME, "ord_orders")
                        + seeded.items(ACME, "evt_changelog"));
        assertThat(Files.readString(bag.resolve("data/README.md"))).contains("usm_sessions").contains("g3n-backup");
        assertThat(Files.readString(bag.resolve("bag-info.txt"))).contains("Orgcode: acme")
                .contains("Registry-Version: " + Registry.bundled().version());
    }

    @Test
    void aParquetZstdExportIsReadByDuckDbWithTheSeededCounts(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("acme.tar.zst");
        assertThat(cli("export", "--tenant", ACME, "--format", "parquet", "--compression", "zstd",
                "--out", archive.toString(), "--as-of", AS_OF.toString()).exit()).isZero();
        assertThat(run(dir, "sh", "-c", "zstd -dc acme.tar.zst | tar xf -")).isZero();
        Path data = dir.resolve("offboard-acme-20261201T090000Z/data");

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            assertThat(count(duck, data.resolve("ord/ord_orders.parquet"))).isEqualTo(seeded.items(ACME, "ord_orders"));
            assertThat(count(duck, data.resolve("evt/evt_changelog.parquet")))
                    .isEqualTo(seeded.items(ACME, "evt_changelog"));
            assertThat(count(duck, data.resolve("uas/uas_users.parquet"))).isEqualTo(seeded.items(ACME, "uas_users"));
            try (ResultSet types = duck.createStatement().executeQuery("DESCRIBE SELECT * FROM read_parquet('"
                    + data.resolve("ord/ord_orders.parquet") + "')")) {
                StringBuilder columns = new StringBuilder();
                while (types.next()) {
                    columns.append(types.getString(1)).append(':').append(types.getString(2)).append(' ');
                }
                assertThat(columns.toString()).contains("exported_at_utc:VARCHAR").contains("item_json:VARCHAR")
                        .contains("amount:DOUBLE");
            }
        }
    }

    @Test
    void twoExportsOfTheSameDataAndAsOfTimeAreByteIdentical(@TempDir Path dir) throws Exception {
        for (String format : List.of("jsonl", "parquet")) {
            String first = exportSha(dir.resolve("a-" + format + ".tar.gz"), format);
            String second = exportSha(dir.resolve("b-" + format + ".tar.gz"), format);
            assertThat(second).as(format).isEqualTo(first);
        }
    }

    @Test
    void theArchiveDoesNotDependOnHowManySourcesPagesOrObjectsAreReadAtOnce(@TempDir Path dir) throws Exception {
        ExportRequest request = new ExportRequest(ACME, ExportFormat.JSONL, Compression.GZIP, AS_OF, false);
        ExportSettings small = ExportSettings.defaults().withPageSize(3).withPartBytes(2048);
        String oneByOne = export(request, small.withSources(1).withReadAhead(1).withObjectReads(1), dir.resolve("a"),
                ExportProgress.NONE).archive().sha256();
        String allAtOnce = export(request, small.withSources(8).withReadAhead(4).withObjectReads(8), dir.resolve("b"),
                ExportProgress.NONE).archive().sha256();
        assertThat(allAtOnce).isEqualTo(oneByOne);
    }

    @Test
    void withoutAsOfTheExportSaysWhichAsOfARerunNeedsToResumeIt(@TempDir Path dir) throws Exception {
        CliRun first = CliRun.withStderr(onStack("export", "--tenant", ACME, "--out", dir.resolve("a.tar.gz").toString()));
        assertThat(first.exit()).as(first.out()).isZero();
        Matcher said = Pattern.compile("as of (\\S+); if interrupted, run the same command with --as-of (\\S+) to resume")
                .matcher(first.out());
        assertThat(said.find()).as(first.out()).isTrue();
        assertThat(said.group(2)).isEqualTo(said.group(1));

        // that as-of is the export's: given again, the same archive comes out
        assertThat(cli("export", "--tenant", ACME, "--out", dir.resolve("b.tar.gz").toString(), "--as-of",
                said.group(1)).exit()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("b.tar.gz"))).isEqualTo(Files.readAllBytes(dir.resolve("a.tar.gz")));
    }

    @Test
    void verifyPassesOnAnExportAndNamesAPayloadFileWithOneCorruptedByte(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("acme.tar.gz");
        cli("export", "--tenant", ACME, "--out", archive.toString(), "--as-of", AS_OF.toString());
        CliRun clean = cli("verify", archive.toString());
        assertThat(clean.exit()).as(clean.out()).isZero();

        // rebuild the archive with one byte of one payload file changed, manifests untouched
        assertThat(run(dir, "tar", "xzf", "acme.tar.gz")).isZero();
        Path orders = dir.resolve("offboard-acme-20261201T090000Z/data/ord/ord_orders.jsonl");
        byte[] bytes = Files.readAllBytes(orders);
        bytes[40] = (byte) (bytes[40] == 'x' ? 'y' : 'x');
        Files.write(orders, bytes);
        assertThat(run(dir, "tar", "czf", "corrupt.tar.gz", "offboard-acme-20261201T090000Z")).isZero();

        CliRun corrupt = cli("verify", dir.resolve("corrupt.tar.gz").toString(), "--sha256",
                "0000000000000000000000000000000000000000000000000000000000000000");
        assertThat(corrupt.exit()).isEqualTo(1);
        assertThat(corrupt.out()).contains("data/ord/ord_orders.jsonl").contains("SHA-256");
    }

    @Test
    void anExportKilledAtAnyPageResumesToTheSameArchive(@TempDir Path dir) throws Exception {
        // small pages and parts so the kill lands between pages, mid-part and right after a part rotation
        ExportSettings settings = ExportSettings.defaults().withPageSize(7).withPartBytes(4096);
        ExportRequest request = new ExportRequest(ACME, ExportFormat.JSONL, Compression.GZIP, AS_OF, false);
        String clean = export(request, settings, dir.resolve("clean"), ExportProgress.NONE).archive().sha256();

        for (int killAt : List.of(1, 2, 5, 9, 14)) {
            Path work = dir.resolve("killed-" + killAt);
            AtomicInteger pages = new AtomicInteger();
            ExportProgress killer = new ExportProgress() {
                @Override
                public void update(int percent, String service) {
                }

                @Override
                public void pageSpooled(String source) {
                    if (pages.incrementAndGet() == killAt) {
                        throw new WorkerKilled();
                    }
                }
            };
            try {
                export(request, settings, work, killer);
                throw new AssertionError("the worker was not stopped at page " + killAt);
            } catch (WorkerKilled expected) {
                // the worker died with rows on disk that its checkpoint does not cover
            }
            String resumed = export(request, settings, work, ExportProgress.NONE).archive().sha256();
            assertThat(resumed).as("killed at page %d", killAt).isEqualTo(clean);
        }
    }

    // ---- helpers

    private static final class WorkerKilled extends RuntimeException {
    }

    private ExportOutcome export(ExportRequest request, ExportSettings settings, Path work, ExportProgress progress)
            throws IOException {
        try (OutputStream sink = OutputStream.nullOutputStream()) {
            return new ExportEngine(Registry.bundled(), stack.dynamo(), stack.s3(), settings)
                    .export(request, work, sink, progress);
        }
    }

    private String exportSha(Path archive, String format) throws Exception {
        assertThat(cli("export", "--tenant", ACME, "--format", format, "--out", archive.toString(),
                "--as-of", AS_OF.toString()).exit()).isZero();
        return Files.readString(archive.resolveSibling(archive.getFileName() + ".sha256")).split(" ")[0];
    }

    private static long count(Connection duck, Path parquet) throws Exception {
        try (ResultSet rs = duck.createStatement().executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<JsonNode> jsonlRows(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isEmpty()).map(l -> {
            try {
                return json.readTree(l);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + l, e);
            }
        }).toList();
    }

    private static int run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0) {
            System.err.println(String.join(" ", command) + " -> " + exit + "\n" + output);
        }
        return exit;
    }

    private CliRun cli(String... args) {
        return CliRun.of(onStack(args));
    }

    private String[] onStack(String... args) {
        return Stream.concat(Stream.of(args), args[0].equals("export")
                ? Stream.of("--dynamodb-endpoint", stack.dynamoEndpoint().toString(),
                "--s3-endpoint", stack.s3Endpoint().toString()) : Stream.<String>empty()).toArray(String[]::new);
    }
}
