package io.offboard.local.purge;

import io.offboard.exporter.purge.ExtraLocation;
import io.offboard.exporter.purge.PurgeCheckpoints;
import io.offboard.exporter.purge.PurgeCounts;
import io.offboard.exporter.purge.PurgeRequest;
import io.offboard.exporter.purge.RetryPolicy;
import io.offboard.exporter.purge.TenantPurge;
import io.offboard.exporter.registry.Registry;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.platform.SeedSummary;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A freshly seeded embedded stack plus an exports bucket holding both tenants' export archives (unversioned, as
 * {@code ArchiveStorage} leaves it), incomplete multipart uploads under the tenants' prefixes (an attachment upload
 * cut off, a backup job and an export that died mid-upload) and one outside them, and what a purge of a tenant should
 * find there.
 */
final class PurgeFixture implements AutoCloseable {

    static final Registry REGISTRY = Registry.bundled();
    static final String EXPORTS_BUCKET = "offboard-exports";
    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY));
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-31T00:00:00Z"), ZoneOffset.UTC);

    /** Export archives per tenant: key → size. */
    private static final Map<String, Map<String, Integer>> ARCHIVES = Map.of(
            DemoPlatform.ACME, orderedSizes("exports/acme/exp-1/offboard-acme-20261201T000000Z.tar.gz", 1000,
                    "exports/acme/exp-2/offboard-acme-20261215T000000Z.tar.zst", 2000),
            DemoPlatform.GLOBEX, orderedSizes("exports/globex/exp-3/offboard-globex-20261210T000000Z.tar.gz", 1500));

    /** Incomplete multipart uploads per tenant: bucket → keys (a key twice: two uploads of it). */
    private static final Map<String, Map<String, List<String>>> UPLOADS = Map.of(
            DemoPlatform.ACME, Map.of(
                    DemoPlatform.ORD_ATTACHMENTS, List.of("acme/uploads/contract-draft.pdf",
                            "acme/uploads/contract-draft.pdf", "acme/uploads/scan.tiff", "acme/zz/last.bin"),
                    DemoPlatform.BACKUP, List.of("acme/restore/2026-12-30.jsonl"),
                    EXPORTS_BUCKET, List.of("exports/acme/exp-9/offboard-acme-20261230T000000Z.tar.gz")),
            DemoPlatform.GLOBEX, Map.of(
                    DemoPlatform.ORD_ATTACHMENTS, List.of("globex/uploads/big.bin"),
                    EXPORTS_BUCKET, List.of("exports/globex/exp-8/offboard-globex-20261230T000000Z.tar.gz")));
    /** An upload of no tenant whose key merely starts like one: no purge may touch it. */
    static final String UNRELATED_UPLOAD_KEY = "acme-corp/uploads/brochure.pdf";

    final EmbeddedStack stack;
    final SeedSummary seeded;
    private final List<AutoCloseable> clients = new ArrayList<>();

    private PurgeFixture() {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        try {
            seeded = DemoPlatform.seed(stack.dynamo(), stack.s3());
            stack.s3().createBucket(b -> b.bucket(EXPORTS_BUCKET));
            ARCHIVES.forEach((tenant, archives) -> archives.forEach((key, size) -> stack.s3().putObject(
                    b -> b.bucket(EXPORTS_BUCKET).key(key), RequestBody.fromBytes(new byte[size]))));
            UPLOADS.forEach((tenant, buckets) -> buckets.forEach((bucket, keys) -> keys.forEach(
                    key -> startUpload(stack.s3(), bucket, key))));
            startUpload(stack.s3(), DemoPlatform.ORD_ATTACHMENTS, UNRELATED_UPLOAD_KEY);
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    /** Starts a multipart upload of {@code key} and uploads its first part, then leaves it unfinished. */
    static String startUpload(S3Client s3, String bucket, String key) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(new byte[1024]));
        return uploadId;
    }

    static PurgeFixture start() {
        return new PurgeFixture();
    }

    private static Map<String, Integer> orderedSizes(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return map;
    }

    static String exportsPrefix(String tenant) {
        return "exports/" + tenant + "/";
    }

    static PurgeRequest request(String purgeId, String tenant) {
        return new PurgeRequest(purgeId, tenant, List.of(new ExtraLocation(EXPORTS_BUCKET, exportsPrefix(tenant))));
    }

    TenantPurge.Builder purge(PurgeCheckpoints checkpoints) {
        return purge(stack.dynamo(), stack.s3(), checkpoints);
    }

    TenantPurge.Builder purge(DynamoDbClient dynamo, S3Client s3, PurgeCheckpoints checkpoints) {
        return TenantPurge.builder(dynamo, s3, checkpoints)
                .registry(REGISTRY)
                .clock(CLOCK)
                // nothing in these tests should wait for real
                .retryPolicy(RetryPolicy.standard().with(() -> 0.5, pause -> { }));
    }

    /** Entries (items, or versions plus delete markers) and bytes: what the seed summary can say of a source. */
    record Expected(long entries, long bytes) {
        static Expected of(PurgeCounts counts) {
            return new Expected(counts.entries(), counts.bytes());
        }
    }

    /** What a purge of {@code tenant} must delete, per source id, from the seed summary alone. */
    Map<String, Expected> expected(String tenant) {
        Map<String, Expected> expected = new LinkedHashMap<>();
        for (Registry.Service service : REGISTRY.services()) {
            for (Registry.Table table : service.tables()) {
                expected.put("dynamodb:" + table.name(), new Expected(seeded.items(tenant, table.name()), 0));
            }
            for (Registry.Bucket bucket : service.buckets()) {
                expected.put("s3:" + bucket.name() + "/" + bucket.prefixFor(tenant),
                        new Expected(seeded.versions(tenant, bucket.name()) + uploads(tenant, bucket.name()),
                                seeded.versionBytes(tenant, bucket.name())));
            }
        }
        for (Registry.Bucket bucket : REGISTRY.backups()) {
            expected.put("s3:" + bucket.name() + "/" + bucket.prefixFor(tenant),
                    new Expected(seeded.versions(tenant, bucket.name()) + uploads(tenant, bucket.name()),
                            seeded.versionBytes(tenant, bucket.name())));
        }
        Map<String, Integer> archives = ARCHIVES.get(tenant);
        expected.put("s3:" + EXPORTS_BUCKET + "/" + exportsPrefix(tenant),
                new Expected(archives.size() + uploads(tenant, EXPORTS_BUCKET),
                        archives.values().stream().mapToLong(Integer::longValue).sum()));
        return expected;
    }

    /** Incomplete uploads the fixture left for {@code tenant} in {@code bucket}. */
    static long uploads(String tenant, String bucket) {
        return UPLOADS.getOrDefault(tenant, Map.of()).getOrDefault(bucket, List.of()).size();
    }

    static long archives(String tenant) {
        return ARCHIVES.get(tenant).size();
    }

    /** A DynamoDB client on the stack whose requests and responses go through {@code interceptor}. */
    DynamoDbClient dynamo(ExecutionInterceptor interceptor) {
        DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(stack.dynamoEndpoint())
                .region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .build();
        clients.add(client);
        return client;
    }

    /** An S3 client on the stack whose requests and responses go through {@code interceptor}. */
    S3Client s3(ExecutionInterceptor interceptor) {
        S3Client client = S3Client.builder()
                .endpointOverride(stack.s3Endpoint())
                .forcePathStyle(true)
                .region(Region.of(EmbeddedStack.REGION))
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .build();
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception e) {
                // the stack goes next; a client that did not close is of no consequence to the test
            }
        }
        stack.close();
    }
}
