package io.offboard.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.DeliveryStore;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stored webhook deliveries against DynamoDB Local and the embedded S3 server: a body of any size GitHub may send
 * comes back byte for byte, also when GitHub delivers it again while the first copy still waits, and nothing of it
 * stays in the bucket once it is handled.
 */
class DeliveryStoreTest {

    private static final BotTables TABLES = new BotTables("deliverytest_");
    private static final String BUCKET = "deliverytest-overflow";

    private static EmbeddedStack stack;
    private static DeliveryStore store;

    /** The bot's bucket, as {@code BucketOverflow} uses it. */
    private record Bucket(S3Client s3) implements DeliveryStore.Overflow {
        @Override
        public void put(String key, byte[] body) {
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
        }

        @Override
        public byte[] get(String key) {
            return s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        }

        @Override
        public void delete(String key) {
            s3.deleteObject(b -> b.bucket(BUCKET).key(key));
        }
    }

    @BeforeAll
    static void start() {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        TABLES.createMissing(stack.dynamo());
        stack.s3().createBucket(b -> b.bucket(BUCKET));
        store = new DeliveryStore(stack.dynamo(), TABLES, Clock.systemUTC(), new Bucket(stack.s3()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Bytes that do not compress: a body this size must go to the bucket. */
    private static byte[] incompressible(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void bodiesOfEverySizeComeBackAsSent() {
        byte[] small = "{\"action\":\"created\"}".getBytes();
        byte[] compressible = "{\"body\":\"aaaa\"}".repeat(5_000).getBytes();
        byte[] large = incompressible(600 * 1024, 1);
        assertThat(store.accept("small", "issue_comment", small)).isTrue();
        assertThat(store.accept("compressible", "issue_comment", compressible)).isTrue();
        assertThat(store.accept("large", "issue_comment", large)).isTrue();

        assertThat(store.take("small", "worker", Duration.ofSeconds(30)).orElseThrow().body()).isEqualTo(small);
        assertThat(store.take("compressible", "worker", Duration.ofSeconds(30)).orElseThrow().body())
                .isEqualTo(compressible);
        assertThat(store.take("large", "worker", Duration.ofSeconds(30)).orElseThrow().body()).isEqualTo(large);
    }

    @Test
    void aLargeDeliveryGitHubSendsAgainWhileTheFirstWaitsKeepsItsBody() {
        byte[] body = incompressible(500 * 1024, 2);
        assertThat(store.accept("again", "issues", body)).isTrue();
        // GitHub redelivers the same GUID (a timeout on its side, or `offboard redeliver`) before a worker took it
        assertThat(store.accept("again", "issues", body)).isFalse();

        DeliveryStore.Taken taken = store.take("again", "worker", Duration.ofSeconds(30)).orElseThrow();
        assertThat(taken.body()).isEqualTo(body);
        assertThat(taken.attempt()).isEqualTo(1);
    }

    @Test
    void aHandledDeliveryLeavesNothingInTheBucket() {
        byte[] body = incompressible(450 * 1024, 3);
        assertThat(store.accept("handled", "issues", body)).isTrue();
        assertThat(store.accept("handled", "issues", body)).isFalse();
        store.take("handled", "worker", Duration.ofSeconds(30)).orElseThrow();
        store.done("handled", "worker");

        assertThat(store.status("handled")).contains("done");
        assertThat(stack.s3().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("deliveries/handled")).contents())
                .isEmpty();
    }
}
