package io.offboard.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class EmbeddedStackTest {

    private static EmbeddedStack stack;
    private static long startMillis;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        stack = EmbeddedStack.start(StackOptions.inMemory());
        startMillis = (System.nanoTime() - t0) / 1_000_000;
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void startsQuicklyOnLoopback() {
        // the budget is 3 s; allow slack for a loaded CI machine
        assertThat(startMillis).as("startup ms").isLessThan(10_000);
        assertThat(stack.dynamoEndpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(stack.s3Endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(stack.dynamoEndpoint().getPort()).isPositive();
        assertThat(stack.s3Endpoint().getPort()).isPositive().isNotEqualTo(stack.dynamoEndpoint().getPort());
    }

    @Test
    void clientPropertiesDescribeTheStack() {
        Map<String, String> env = stack.clientProperties();
        assertThat(env).containsEntry("OFFBOARD_DYNAMODB_ENDPOINT", stack.dynamoEndpoint().toString())
                .containsEntry("OFFBOARD_S3_ENDPOINT", stack.s3Endpoint().toString())
                .containsEntry("AWS_ACCESS_KEY_ID", EmbeddedStack.ACCESS_KEY)
                .containsEntry("AWS_SECRET_ACCESS_KEY", EmbeddedStack.SECRET_KEY)
                .containsEntry("AWS_REGION", "us-east-1");
    }

    @Test
    void dynamoCreatesListsPutsAndGets() {
        DynamoDbClient dynamo = stack.dynamo();
        createTable(dynamo, "stack_probe");
        assertThat(dynamo.listTables().tableNames()).contains("stack_probe");

        dynamo.putItem(b -> b.tableName("stack_probe").item(Map.of(
                "id", AttributeValue.fromS("k1"),
                "n", AttributeValue.fromN("42"))));
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName("stack_probe")
                .key(Map.of("id", AttributeValue.fromS("k1")))).item();
        assertThat(item.get("n").n()).isEqualTo("42");
    }

    @Test
    void anotherClientWithOtherCredentialsSeesTheSameTables() {
        // -sharedDb: DynamoDB Local would otherwise keep one database per access key and region
        createTable(stack.dynamo(), "stack_shared");
        try (DynamoDbClient other = DynamoDbClient.builder()
                .endpointOverride(stack.dynamoEndpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("someone", "else")))
                .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder())
                .build()) {
            assertThat(other.listTables().tableNames()).contains("stack_shared");
        }
    }

    @Test
    void s3PutsAndGets() {
        S3Client s3 = stack.s3();
        s3.createBucket(b -> b.bucket("stack-plain"));
        s3.putObject(b -> b.bucket("stack-plain").key("a/b.txt").contentType("text/plain"),
                RequestBody.fromString("hello"));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("stack-plain").key("a/b.txt")).asUtf8String()).isEqualTo("hello");
        assertThat(s3.listObjectsV2(b -> b.bucket("stack-plain").prefix("a/")).contents())
                .extracting(o -> o.key()).containsExactly("a/b.txt");
    }

    @Test
    void s3VersioningKeepsVersionsAndDeleteMarkers() {
        S3Client s3 = stack.s3();
        s3.createBucket(b -> b.bucket("stack-versioned"));
        s3.putBucketVersioning(b -> b.bucket("stack-versioned")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        assertThat(s3.getBucketVersioning(b -> b.bucket("stack-versioned")).status())
                .isEqualTo(BucketVersioningStatus.ENABLED);

        String v1 = s3.putObject(b -> b.bucket("stack-versioned").key("doc.txt"), RequestBody.fromString("one")).versionId();
        String v2 = s3.putObject(b -> b.bucket("stack-versioned").key("doc.txt"), RequestBody.fromString("two")).versionId();
        assertThat(v1).isNotBlank().isNotEqualTo(v2);
        s3.deleteObject(b -> b.bucket("stack-versioned").key("doc.txt"));

        ListObjectVersionsResponse listing = s3.listObjectVersions(b -> b.bucket("stack-versioned"));
        assertThat(listing.versions()).extracting(ObjectVersion::versionId).containsExactlyInAnyOrder(v1, v2);
        assertThat(listing.deleteMarkers()).hasSize(1);
        assertThat(listing.deleteMarkers().get(0).isLatest()).isTrue();
        assertThat(s3.getObjectAsBytes(b -> b.bucket("stack-versioned").key("doc.txt").versionId(v1)).asUtf8String())
                .isEqualTo("one");
        assertThatCode(() -> s3.getObjectAsBytes(b -> b.bucket("stack-versioned").key("doc.txt")))
                .isInstanceOf(NoSuchKeyException.class);

        // deleting every version and the marker leaves nothing behind
        listing.versions().forEach(v -> s3.deleteObject(b -> b.bucket("stack-versioned").key(v.key()).versionId(v.versionId())));
        listing.deleteMarkers().forEach(m -> s3.deleteObject(b -> b.bucket("stack-versioned").key(m.key()).versionId(m.versionId())));
        ListObjectVersionsResponse after = s3.listObjectVersions(b -> b.bucket("stack-versioned"));
        assertThat(after.versions()).isEmpty();
        assertThat(after.deleteMarkers()).isEmpty();
    }

    @Test
    void presignedGetWorks() throws IOException {
        S3Client s3 = stack.s3();
        s3.createBucket(b -> b.bucket("stack-presign"));
        s3.putObject(b -> b.bucket("stack-presign").key("x.bin"), RequestBody.fromString("presigned"));
        try (S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(stack.s3Endpoint())
                .region(Region.of(EmbeddedStack.REGION))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(EmbeddedStack.ACCESS_KEY, EmbeddedStack.SECRET_KEY)))
                .build()) {
            URI url = URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("stack-presign").key("x.bin"))).url().toString());
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            try (InputStream in = connection.getInputStream()) {
                assertThat(connection.getResponseCode()).isEqualTo(200);
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("presigned");
            } finally {
                connection.disconnect();
            }
        }
    }

    @Test
    void closeIsIdempotentFreesPortsAndDataDirPersistsDynamo(@TempDir Path dir) throws IOException {
        int dynamoPort;
        int s3Port;
        java.util.Set<Thread> before = schedulerThreads();
        java.util.Set<Thread> secondSchedulers;
        try (EmbeddedStack second = EmbeddedStack.start(StackOptions.persistent(dir))) {
            dynamoPort = second.dynamoEndpoint().getPort();
            s3Port = second.s3Endpoint().getPort();
            createTable(second.dynamo(), "stack_persisted");
            second.dynamo().putItem(b -> b.tableName("stack_persisted").item(Map.of("id", AttributeValue.fromS("kept"))));
            secondSchedulers = schedulerThreads(); // DynamoDB Local starts it with the first request
            secondSchedulers.removeAll(before);
            second.close();
            assertThat(second.isClosed()).isTrue();
            assertThatCode(second::close).doesNotThrowAnyException();
        }
        for (int port : List.of(dynamoPort, s3Port)) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            }
        }
        // DynamoDB Local's stream scheduler would otherwise keep a non-daemon thread alive for 7.5 minutes
        assertThat(secondSchedulers).isNotEmpty();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> secondSchedulers.stream().noneMatch(Thread::isAlive));
        // the same ports and directory again: DynamoDB state survived, S3 (transient) did not
        try (EmbeddedStack third = EmbeddedStack.start(new StackOptions(dir, dynamoPort, s3Port))) {
            assertThat(third.dynamoEndpoint().getPort()).isEqualTo(dynamoPort);
            assertThat(third.s3Endpoint().getPort()).isEqualTo(s3Port);
            assertThat(third.dynamo().getItem(b -> b.tableName("stack_persisted")
                    .key(Map.of("id", AttributeValue.fromS("kept")))).item()).isNotEmpty();
            assertThat(third.s3().listBuckets().buckets()).isEmpty();
        }
    }

    private static java.util.Set<Thread> schedulerThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().contains("ShardRolloverJobScheduler")))
                .map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    private static void createTable(DynamoDbClient dynamo, String name) {
        dynamo.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
    }
}
