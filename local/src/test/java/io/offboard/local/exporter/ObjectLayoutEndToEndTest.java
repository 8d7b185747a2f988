package io.offboard.local.exporter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.offboard.exporter.archive.ArchiveVerifier;
import io.offboard.exporter.archive.BagArchiveWriter;
import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.archive.VerificationReport;
import io.offboard.exporter.export.ExportEngine;
import io.offboard.exporter.export.ExportFormat;
import io.offboard.exporter.export.ExportOutcome;
import io.offboard.exporter.export.ExportProgress;
import io.offboard.exporter.export.ExportRequest;
import io.offboard.exporter.export.ExportSettings;
import io.offboard.exporter.export.SourceFailedException;
import io.offboard.exporter.registry.Registry;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.support.SeededPlatform;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3 keys that do not fit a file path, exported end to end, extracted by {@code tar} and checked key by key against
 * the key map; {@code offboard verify} passes. Keys the embedded S3 server holds (control characters, case twins,
 * Unicode normalisation twins, over-long segments, {@code ~} and {@code %}) are stored in it; keys it cannot hold
 * ({@code report} beside {@code report/2024.csv}, {@code a//b}, {@code .} and {@code ..} segments, a folder marker
 * with content) are served by a WireMock stand-in of S3 that the real SDK client talks to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObjectLayoutEndToEndTest {

    private static final Instant AS_OF = Instant.parse("2026-12-01T09:00:00Z");
    private static final String ACME = DemoPlatform.ACME;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SeededPlatform PLATFORM = new SeededPlatform();

    private WireMockServer standIn;

    @BeforeAll
    void start() {
        standIn = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        standIn.start();
    }

    @AfterAll
    void stop() {
        standIn.stop();
    }

    /** Keys the embedded S3 server holds, in the seeded versioned bucket beside the demo objects. */
    @Test
    void keysWithControlCharactersCaseTwinsAndLongSegmentsExportVerifyAndExtractToTheirOwnFiles(@TempDir Path dir)
            throws Exception {
        List<String> keys = List.of(
                "acme/odd/Report.csv", "acme/odd/report.csv", "acme/odd/REPORT.CSV",
                "acme/odd/tab\there", "acme/odd/new\nline", "acme/odd/bell\u0007", "acme/odd/\u202Egpj.exe",
                "acme/odd/100%", "acme/odd/tilde~",
                "acme/odd/\u00e9t\u00e9.txt", "acme/odd/e\u0301te\u0301.txt",
                "acme/odd/" + "long-name-".repeat(40) + ".bin",
                "acme/odd/" + "深".repeat(120));
        for (String key : keys) {
            PLATFORM.stack().s3().putObject(b -> b.bucket(DemoPlatform.ORD_ATTACHMENTS).key(key), RequestBody.fromString(content(key)));
        }
        Path archive = dir.resolve("acme.tar.gz");
        ExportOutcome outcome = export(Registry.bundled(), PLATFORM.stack().s3(), archive);
        assertThat(export(Registry.bundled(), PLATFORM.stack().s3(), dir.resolve("again.tar.gz")).archive().sha256())
                .as("two exports of the same data are byte-identical").isEqualTo(outcome.archive().sha256());

        VerificationReport report = ArchiveVerifier.verify(archive, outcome.archive().sha256(), outcome.archive().bytes());
        assertThat(report.problems()).isEmpty();

        Path bag = extract(dir, archive);
        Map<String, JsonNode> byKey = keyMap(bag, "ord/s3/" + DemoPlatform.ORD_ATTACHMENTS + "~keys.jsonl");
        assertThat(byKey.keySet()).containsAll(keys);
        for (String key : keys) {
            Path file = bag.resolve("data").resolve(byKey.get(key).get("path").asText());
            assertThat(Files.readString(file)).as(key).isEqualTo(content(key));
        }
        assertThat(byKey.get("acme/odd/REPORT.CSV").get("path").asText()).endsWith("/acme/odd/REPORT.CSV");
        assertThat(byKey.get("acme/odd/Report.csv").get("path").asText()).endsWith("/acme/odd/Report~~2.csv");
        assertThat(byKey.get("acme/odd/report.csv").get("path").asText()).endsWith("/acme/odd/report~~3.csv");
        assertThat(byKey.get("acme/odd/tab\there").get("path").asText()).endsWith("/acme/odd/tab~09here");
        assertThat(byKey.get("acme/odd/100%").get("path").asText()).endsWith("/acme/odd/100~25");
        // every object file of the bucket is in the key map, and nothing else is in its directory
        try (Stream<Path> files = Files.walk(bag.resolve("data/ord/s3/" + DemoPlatform.ORD_ATTACHMENTS))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(byKey.size());
        }
    }

    /** Keys the embedded S3 server cannot hold, from a stand-in listing and stand-in objects. */
    @Test
    void aKeyThatIsAlsoAFolderDoubledSlashesDotDotAndAFolderMarkerWithContentExportFromAStandIn(@TempDir Path dir)
            throws Exception {
        Map<String, String> objects = new LinkedHashMap<>();
        for (String key : List.of("acme/report", "acme/report/2024.csv", "acme/Report/2025.csv", "acme/a//b",
                "acme/../up", "acme/./here", "acme/folder/", "acme/folder/inside.txt", "acme//", "acme/plain.txt")) {
            objects.put(key, content(key));
        }
        serve("bkt", objects);
        Path archive = dir.resolve("standin.tar.gz");
        ExportOutcome outcome;
        try (S3Client s3 = standInClient()) {
            outcome = export(standInRegistry("bkt"), s3, archive);
        }
        assertThat(ArchiveVerifier.verify(archive, outcome.archive().sha256(), outcome.archive().bytes()).problems())
                .isEmpty();
        Path bag = extract(dir, archive);
        Map<String, JsonNode> byKey = keyMap(bag, "svc/s3/bkt~keys.jsonl");
        assertThat(byKey.keySet()).containsExactlyInAnyOrderElementsOf(objects.keySet());
        Map<String, String> paths = new LinkedHashMap<>();
        byKey.forEach((k, v) -> paths.put(k, v.get("path").asText().substring("svc/s3/bkt/".length())));
        assertThat(paths).containsExactlyInAnyOrderEntriesOf(Map.of(
                "acme/report", "acme/report~~1",
                "acme/report/2024.csv", "acme/report/2024.csv",
                "acme/Report/2025.csv", "acme/Report/2025.csv",
                "acme/a//b", "acme/a~2F~2Fb",
                "acme/../up", "acme/~2E~2E/up",
                "acme/./here", "acme/~2E/here",
                "acme/folder/", "acme/folder~2F",
                "acme/folder/inside.txt", "acme/folder/inside.txt",
                "acme//", "acme~2F~2F",
                "acme/plain.txt", "acme/plain.txt"));
        for (Map.Entry<String, String> object : objects.entrySet()) {
            Path file = bag.resolve("data/svc/s3/bkt").resolve(paths.get(object.getKey()));
            assertThat(Files.readString(file)).as(object.getKey()).isEqualTo(object.getValue());
            assertThat(byKey.get(object.getKey()).get("sha256").asText()).hasSize(64);
        }
    }

    /** An object the stand-in fails to serve fails the export as that bucket's failure, whatever the key. */
    @Test
    void anObjectThatCannotBeReadFailsAsItsBucket(@TempDir Path dir) throws Exception {
        serve("broken", Map.of("acme/fine.txt", "fine", "acme/secret-plan.txt", "x"));
        standIn.stubFor(get(urlPathMatching("/broken/.*")).withQueryParam("versionId", equalTo("v-1"))
                .atPriority(1).willReturn(aResponse().withStatus(500).withBody("<Error><Code>InternalError</Code>"
                        + "<Message>boom</Message></Error>")));
        Registry registry = standInRegistry("broken");
        try (S3Client s3 = standInClient()) {
            assertThatThrownBy(() -> export(registry, s3, dir.resolve("broken.tar.gz")))
                    .isInstanceOfSatisfying(SourceFailedException.class, e -> {
                        assertThat(e.source()).isEqualTo("S3 bucket `broken` of service `svc`");
                        assertThat(e.source()).doesNotContain("secret-plan");
                    });
        }
    }

    /** Throttling and server errors are the platform's passing trouble: retried with backoff, the export succeeds. */
    @Test
    void transientS3ErrorsAreRetriedWithBackoffBeforeAnythingFails(@TempDir Path dir) throws Exception {
        serve("flaky", Map.of("acme/a.txt", "a", "acme/b.txt", "b"));
        String state = com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
        int[] statuses = {503, 500, 503, 503};
        for (int i = 0; i < statuses.length; i++) {
            String code = statuses[i] == 503 ? "SlowDown" : "InternalError";
            standIn.stubFor(get(urlPathMatching("/flaky/.*")).withQueryParam("versionId", equalTo("v-1"))
                    .inScenario("flaky").whenScenarioStateIs(state).willSetStateTo("failed " + (i + 1))
                    .atPriority(1).willReturn(aResponse().withStatus(statuses[i])
                            .withBody("<Error><Code>" + code + "</Code><Message>try again</Message></Error>")));
            state = "failed " + (i + 1);
        }
        Registry registry = standInRegistry("flaky");
        try (S3Client s3 = standInClient()) {
            ExportOutcome outcome = export(registry, s3, dir.resolve("flaky.tar.gz"));
            assertThat(ArchiveVerifier.verify(dir.resolve("flaky.tar.gz"), outcome.archive().sha256(),
                    outcome.archive().bytes()).problems()).isEmpty();
        }
        assertThat(standIn.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathMatching("/flaky/.*")).withQueryParam("versionId", equalTo("v-1")))).hasSize(5);
    }

    // ---- the stand-in

    /** ListObjectVersions (URL-encoded keys, as requested) and GetObject by version id for {@code objects}. */
    private void serve(String bucket, Map<String, String> objects) {
        List<String> keys = new ArrayList<>(objects.keySet());
        keys.sort(BagArchiveWriter.PATH_ORDER);
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + bucket + "</Name>"
                + "<Prefix>acme%2F</Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>"
                + "<MaxKeys>1000</MaxKeys><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>");
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            byte[] body = objects.get(key).getBytes(StandardCharsets.UTF_8);
            xml.append("<Version><Key>").append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append("</Key>")
                    .append("<VersionId>v-").append(i).append("</VersionId><IsLatest>true</IsLatest>")
                    .append("<LastModified>2026-11-01T00:00:00.000Z</LastModified><ETag>&quot;e").append(i)
                    .append("&quot;</ETag><Size>").append(body.length).append("</Size>")
                    .append("<StorageClass>STANDARD</StorageClass></Version>");
            standIn.stubFor(get(urlPathMatching("/" + bucket + "/.*")).withQueryParam("versionId", equalTo("v-" + i))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream")
                            .withHeader("Content-Length", Integer.toString(body.length)).withBody(body)));
        }
        xml.append("</ListVersionsResult>");
        standIn.stubFor(get(urlPathEqualTo("/" + bucket)).withQueryParam("versions", equalTo(""))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withBody(xml.toString())));
        standIn.stubFor(get(urlPathEqualTo("/" + bucket + "/")).withQueryParam("versions", equalTo(""))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/xml")
                        .withBody(xml.toString())));
    }

    private S3Client standInClient() {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(standIn.baseUrl()))
                .forcePathStyle(true)
                .overrideConfiguration(io.offboard.exporter.aws.AwsClients.overrides())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("id", "secret")))
                .build();
    }

    /** A registry of one service whose only source is the stand-in's {@code bucket}. */
    private static Registry standInRegistry(String bucket) throws IOException {
        return Registry.read(new ByteArrayInputStream(standInYaml(bucket).getBytes(StandardCharsets.UTF_8)));
    }

    private static String standInYaml(String bucket) {
        return """
                version: "stand-in"
                tenant_directory:
                  table: uas_orgs
                  key: orgcode
                access_table:
                  table: platform_access
                  key: orgcode
                services:
                  - name: svc
                    description: objects only
                    buckets:
                      - name: %s
                        prefix: "{orgcode}/"
                """.formatted(bucket);
    }

    // ---- helpers

    private static String content(String key) {
        return "the object " + key.replace("\n", "\\n") + "\n";
    }

    private ExportOutcome export(Registry registry, S3Client s3, Path archive) throws IOException {
        Path work = archive.resolveSibling(archive.getFileName() + ".work");
        try (OutputStream sink = Files.newOutputStream(archive)) {
            ExportOutcome outcome = new ExportEngine(registry, PLATFORM.stack().dynamo(), s3, ExportSettings.defaults())
                    .export(new ExportRequest(ACME, ExportFormat.JSONL, Compression.GZIP, AS_OF, true), work, sink,
                            ExportProgress.NONE);
            ExportEngine.discardWorkDir(work);
            return outcome;
        }
    }

    private static Path extract(Path dir, Path archive) throws Exception {
        Path into = Files.createDirectories(dir.resolve("x-" + archive.getFileName()));
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(out).isZero();
        try (Stream<Path> top = Files.list(into)) {
            return top.findFirst().orElseThrow();
        }
    }

    private static Map<String, JsonNode> keyMap(Path bag, String name) throws IOException {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (String line : Files.readAllLines(bag.resolve("data").resolve(name), StandardCharsets.UTF_8)) {
            JsonNode entry = JSON.readTree(line);
            assertThat(byKey.put(entry.get("key").asText(), entry)).isNull();
        }
        return byKey;
    }
}
