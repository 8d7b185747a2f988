package io.offboard.local.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offboard.exporter.archive.Compression;
import io.offboard.exporter.export.ExportEngine;
import io.offboard.exporter.export.ExportFormat;
import io.offboard.exporter.export.ExportOutcome;
import io.offboard.exporter.export.ExportProgress;
import io.offboard.exporter.export.ExportRequest;
import io.offboard.exporter.export.ExportSettings;
import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.storage.ArchiveStorage;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * A multipart upload of an archive that stops after some parts (the worker died) continues, on the next run with
 * the same work directory, with the same upload: the parts already uploaded are not sent again, and the object is
 * byte for byte the one an uninterrupted run stores. The S3 requests are counted on the client, as sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumableUploadTest {

    private static final int PART = 5 * 1024 * 1024;
    private static final String EXPORTS = "offboard-exports-test";
    private static final Instant AS_OF = Instant.parse("2026-12-01T09:00:00Z");

    private EmbeddedStack stack;
    private final PartCounter counter = new PartCounter();
    private S3Client s3;
    private ArchiveStorage storage;

    @BeforeAll
    void start() {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        DemoPlatform.seed(stack.dynamo(), stack.s3());
        s3 = S3Client.builder()
                .endpointOverride(stack.s3Endpoint())
                .forcePathStyle(true)
                .region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build();
        storage = new ArchiveStorage(s3, null, EXPORTS, PART);
        storage.createIfMissing();
        // an incompressible attachment makes the tenant's archive several parts long
        byte[] attachment = new byte[3 * PART + PART / 2];
        new Random(20261201).nextBytes(attachment);
        stack.s3().putObject(b -> b.bucket("g3n-ord-attachments").key(DemoPlatform.ACME + "/scans/large.bin"),
                RequestBody.fromBytes(attachment));
    }

    @AfterAll
    void stop() {
        s3.close();
        stack.close();
    }

    @Test
    void anExportWhoseUploadDiedAfterTwoPartsResumesWithoutSendingThemAgain(@TempDir Path dir) throws Exception {
        ExportRequest request = new ExportRequest(DemoPlatform.ACME, ExportFormat.JSONL, Compression.GZIP, AS_OF, false);

        counter.reset(-1);
        ExportOutcome clean = export(request, "clean.tar.gz", dir.resolve("clean"));
        List<Integer> cleanParts = counter.uploaded();
        int total = cleanParts.size();
        assertThat(total).as("parts of the archive").isGreaterThanOrEqualTo(4);
        assertThat(cleanParts).containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());

        // the worker dies while sending part 3: no abort, the work directory stays as it was
        Path work = dir.resolve("resumed");
        counter.reset(2);
        assertThatThrownBy(() -> export(request, "resumed.tar.gz", work)).isInstanceOf(IOException.class);
        assertThat(counter.uploaded()).containsExactly(1, 2);
        assertThat(work.resolve("upload.json")).exists();

        counter.reset(-1);
        ExportOutcome resumed = export(request, "resumed.tar.gz", work);
        assertThat(counter.uploaded()).as("parts sent after the resume")
                .containsExactlyElementsOf(IntStream.rangeClosed(3, total).boxed().toList());
        assertThat(resumed.archive()).isEqualTo(clean.archive());
        assertThat(objectSha256("resumed.tar.gz")).isEqualTo(objectSha256("clean.tar.gz"))
                .isEqualTo(clean.archive().sha256());
        assertThat(work.resolve("upload.json")).doesNotExist();
    }

    @Test
    void aPartWhoseBytesDifferAfterTheResumeIsUploadedAgain(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("upload.json");
        byte[] first = bytes(1, 3 * PART + 100);
        counter.reset(-1);
        ArchiveStorage.Upload dying = storage.upload("differs.bin", checkpoint);
        dying.write(first, 0, 2 * PART + 10); // parts 1 and 2 sent, then the worker dies
        assertThat(counter.uploaded()).containsExactly(1, 2);

        byte[] second = first.clone();
        second[PART + 7] ^= 1; // part 2 differs
        counter.reset(-1);
        ArchiveStorage.Upload upload = storage.upload("differs.bin", checkpoint);
        assertThat(upload.uploadId()).isEqualTo(dying.uploadId());
        upload.write(second);
        upload.close();
        assertThat(counter.uploaded()).containsExactly(2, 3, 4);
        assertThat(objectSha256("differs.bin")).isEqualTo(sha256(second));
    }

    @Test
    void aCheckpointWhoseUploadIsGoneStartsANewUpload(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("upload.json");
        byte[] content = bytes(2, 2 * PART + 1);
        ArchiveStorage.Upload dying = storage.upload("gone.bin", checkpoint);
        dying.write(content, 0, PART + 1);
        s3.abortMultipartUpload(b -> b.bucket(EXPORTS).key("gone.bin").uploadId(dying.uploadId()));

        counter.reset(-1);
        ArchiveStorage.Upload upload = storage.upload("gone.bin", checkpoint);
        assertThat(upload.uploadId()).isNotEqualTo(dying.uploadId());
        upload.write(content);
        upload.close();
        assertThat(counter.uploaded()).containsExactly(1, 2, 3);
        assertThat(objectSha256("gone.bin")).isEqualTo(sha256(content));
    }

    // ---- helpers

    /** Exports as the bot does: the archive streamed into a resumable upload kept in the work directory. */
    private ExportOutcome export(ExportRequest request, String key, Path work) throws IOException {
        ArchiveStorage.Upload upload = storage.upload(key, work.resolve("upload.json"));
        OutputStream out = new BufferedOutputStream(upload, 1 << 20);
        ExportOutcome outcome = new ExportEngine(Registry.bundled(), stack.dynamo(), stack.s3(), ExportSettings.defaults())
                .export(request, work, out, ExportProgress.NONE);
        out.flush();
        upload.close();
        return outcome;
    }

    private String objectSha256(String key) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = stack.s3().getObject(b -> b.bucket(EXPORTS).key(key))) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] bytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Records the UploadPart requests that succeed; with a limit, fails the next one once that many went through. */
    private static final class PartCounter implements ExecutionInterceptor {
        private final List<Integer> uploaded = new CopyOnWriteArrayList<>();
        private volatile int failAfter = -1;

        void reset(int failAfterParts) {
            uploaded.clear();
            failAfter = failAfterParts;
        }

        List<Integer> uploaded() {
            return List.copyOf(uploaded);
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UploadPartRequest && failAfter >= 0 && uploaded.size() >= failAfter) {
                throw new IllegalStateException("the worker died while uploading");
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UploadPartRequest part) {
                uploaded.add(part.partNumber());
            }
        }
    }
}
