package io.offboard.local.purge;

import static io.offboard.local.platform.DemoPlatform.ACME;
import static io.offboard.local.platform.DemoPlatform.ORD_ATTACHMENTS;
import static io.offboard.local.platform.DemoPlatform.UAS_USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offboard.exporter.purge.InMemoryPurgeCheckpoints;
import io.offboard.exporter.purge.PurgeFailedException;
import io.offboard.exporter.purge.PurgeOptions;
import io.offboard.exporter.purge.PurgeProgress;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.exporter.purge.PurgeRequest;
import io.offboard.exporter.purge.RetryPolicy;
import io.offboard.exporter.purge.TenantPurge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Throttling and per-key failures, played against the real servers: an interceptor holds requests back before they
 * are sent and reports them in the response as DynamoDB's {@code UnprocessedItems} or S3's per-key {@code errors}, so
 * what is reported unprocessed really was not deleted.
 */
class PurgeRetryTest {

    /** Batches of 2 items / 2 versions: every request can lose one and still send one. */
    private static final PurgeOptions PAIRS = PurgeOptions.defaults().withBatches(2, 2);

    private final List<Duration> pauses = new ArrayList<>();

    private RetryPolicy recorded() {
        return RetryPolicy.standard().with(() -> 0.5, pauses::add);
    }

    /**
     * The first {@code requests} BatchWriteItem requests: everything unprocessed ({@code all}) or the last write of each
     * table. An all-unprocessed request is sent as a delete of an absent key (BatchWriteItem needs one write).
     */
    static final class UnprocessedItems implements ExecutionInterceptor {
        private static final ExecutionAttribute<Map<String, List<WriteRequest>>> HELD =
                new ExecutionAttribute<>("offboard-test-held-writes");
        private final AtomicInteger remaining;
        private final boolean all;
        /** Requests that had something held back. */
        final AtomicInteger injected = new AtomicInteger();

        UnprocessedItems(int requests, boolean all) {
            this.remaining = new AtomicInteger(requests);
            this.all = all;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (!(context.request() instanceof BatchWriteItemRequest request) || remaining.getAndDecrement() <= 0) {
                return context.request();
            }
            Map<String, List<WriteRequest>> sent = new HashMap<>();
            Map<String, List<WriteRequest>> held = new HashMap<>();
            request.requestItems().forEach((table, writes) -> {
                if (all) {
                    held.put(table, writes);
                    Map<String, AttributeValue> absent = new HashMap<>();
                    writes.get(0).deleteRequest().key().keySet()
                            .forEach(name -> absent.put(name, AttributeValue.fromS("offboard-test-absent")));
                    sent.put(table, List.of(WriteRequest.builder()
                            .deleteRequest(DeleteRequest.builder().key(absent).build()).build()));
                } else if (writes.size() > 1) {
                    held.put(table, writes.subList(writes.size() - 1, writes.size()));
                    sent.put(table, writes.subList(0, writes.size() - 1));
                } else {
                    sent.put(table, writes);
                }
            });
            attributes.putAttribute(HELD, held);
            if (!held.isEmpty()) {
                injected.incrementAndGet();
            }
            return request.toBuilder().requestItems(sent).build();
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            Map<String, List<WriteRequest>> held = attributes.getAttribute(HELD);
            if (held == null || held.isEmpty() || !(context.response() instanceof BatchWriteItemResponse response)) {
                return context.response();
            }
            Map<String, List<WriteRequest>> unprocessed = new HashMap<>(response.unprocessedItems());
            held.forEach((table, writes) -> unprocessed.merge(table, writes, (a, b) -> {
                List<WriteRequest> both = new ArrayList<>(a);
                both.addAll(b);
                return both;
            }));
            return response.toBuilder().unprocessedItems(unprocessed).build();
        }
    }

    /**
     * The first {@code requests} DeleteObjects requests: every key ({@code all}) or the last one fails with
     * {@code code}. An all-failing request is sent as the deletion of an absent version, whose answer is dropped.
     */
    static final class KeyErrors implements ExecutionInterceptor {
        private static final ExecutionAttribute<List<ObjectIdentifier>> HELD =
                new ExecutionAttribute<>("offboard-test-held-keys");
        private static final String ABSENT = "offboard-test/absent";
        private final AtomicInteger remaining;
        private final boolean all;
        private final String code;
        /** Requests that had keys held back. */
        final AtomicInteger injected = new AtomicInteger();

        KeyErrors(int requests, boolean all, String code) {
            this.remaining = new AtomicInteger(requests);
            this.all = all;
            this.code = code;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            if (!(context.request() instanceof DeleteObjectsRequest request) || remaining.getAndDecrement() <= 0) {
                return context.request();
            }
            List<ObjectIdentifier> objects = request.delete().objects();
            List<ObjectIdentifier> held;
            List<ObjectIdentifier> sent;
            if (all) {
                held = objects;
                sent = List.of(ObjectIdentifier.builder().key(ABSENT).versionId("null").build());
            } else if (objects.size() > 1) {
                held = objects.subList(objects.size() - 1, objects.size());
                sent = objects.subList(0, objects.size() - 1);
            } else {
                return request;
            }
            attributes.putAttribute(HELD, held);
            injected.incrementAndGet();
            return request.toBuilder().delete(request.delete().toBuilder().objects(sent).build()).build();
        }

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            List<ObjectIdentifier> held = attributes.getAttribute(HELD);
            if (held == null || !(context.response() instanceof DeleteObjectsResponse response)) {
                return context.response();
            }
            List<S3Error> errors = new ArrayList<>(response.errors().stream().filter(e -> !e.key().equals(ABSENT)).toList());
            held.forEach(o -> errors.add(S3Error.builder().key(o.key()).versionId(o.versionId()).code(code)
                    .message("injected by the test").build()));
            return response.toBuilder()
                    .deleted(response.deleted().stream().filter(d -> !d.key().equals(ABSENT)).toList())
                    .errors(errors)
                    .build();
        }
    }

    @Test
    void partlyUnprocessedBatchesAreRetriedAndCountedOnce() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            UnprocessedItems throttle = new UnprocessedItems(10, false);
            KeyErrors errors = new KeyErrors(5, false, "InternalError");
            TenantPurge purge = fixture.purge(fixture.dynamo(throttle), fixture.s3(errors), new InMemoryPurgeCheckpoints())
                    .options(PAIRS).retryPolicy(recorded()).build();
            PurgeReport report = purge.run(PurgeFixture.request("purge-retry", ACME));
            assertThat(report.passed()).as(report.toJson()).isTrue();
            assertDeletedAsSeeded(fixture, report);
            // every request that lost a write or key was followed by one retry (of that one alone, which went
            // through), after a pause of half the first ceiling
            assertThat(throttle.injected.get()).isGreaterThan(2);
            assertThat(errors.injected.get()).isGreaterThan(1);
            assertThat(pauses).hasSize(throttle.injected.get() + errors.injected.get()).containsOnly(Duration.ofMillis(50));
        }
    }

    @Test
    void aBatchUnprocessedSixTimesGoesThroughOnTheSeventhAttempt() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            TenantPurge purge = fixture.purge(fixture.dynamo(new UnprocessedItems(6, true)), fixture.stack.s3(),
                    new InMemoryPurgeCheckpoints()).options(PAIRS).retryPolicy(recorded()).build();
            PurgeReport report = purge.run(PurgeFixture.request("purge-retry", ACME));
            assertThat(report.passed()).isTrue();
            assertDeletedAsSeeded(fixture, report);
            assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                    Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(1600));
        }
    }

    @Test
    void aBatchStillUnprocessedAfterSevenAttemptsFailsLoudlyAndTheNextRunFinishesIt() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            InMemoryPurgeCheckpoints checkpoints = new InMemoryPurgeCheckpoints();
            PurgeRequest request = PurgeFixture.request("purge-retry", ACME);
            TenantPurge throttled = fixture.purge(fixture.dynamo(new UnprocessedItems(7, true)), fixture.stack.s3(),
                    checkpoints).options(PAIRS).retryPolicy(recorded()).build();
            assertThatThrownBy(() -> throttled.run(request)).isInstanceOf(PurgeFailedException.class)
                    .hasMessageContaining(UAS_USERS).hasMessageContaining("2 of 2 still unprocessed after 7 attempts");
            assertThat(pauses).hasSize(6);
            // nothing claimed: the batch is recorded as unrecorded, no count, and acme's users are all still there
            PurgeProgress progress = checkpoints.load(request.purgeId()).orElseThrow();
            assertThat(progress.pending().source()).isEqualTo("dynamodb:" + UAS_USERS);
            assertThat(progress.deleted("dynamodb:" + UAS_USERS).items()).isZero();
            assertThat(PlatformReads.items(fixture.stack.dynamo(), UAS_USERS, ACME))
                    .isEqualTo(fixture.seeded.items(ACME, UAS_USERS));

            PurgeReport report = fixture.purge(checkpoints).options(PAIRS).build().run(request);
            assertThat(report.passed()).isTrue();
            assertDeletedAsSeeded(fixture, report);
        }
    }

    @Test
    void aKeyS3KeepsRefusingFailsTheBatchNamingTheKeyAndTheNextRunFinishesIt() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            InMemoryPurgeCheckpoints checkpoints = new InMemoryPurgeCheckpoints();
            PurgeRequest request = PurgeFixture.request("purge-retry", ACME);
            TenantPurge refused = fixture.purge(fixture.stack.dynamo(), fixture.s3(new KeyErrors(7, true, "AccessDenied")),
                    checkpoints).options(PAIRS).retryPolicy(recorded()).build();
            assertThatThrownBy(() -> refused.run(request)).isInstanceOf(PurgeFailedException.class)
                    .hasMessageContaining(ORD_ATTACHMENTS).hasMessageContaining("AccessDenied")
                    .hasMessageContaining("acme/");
            PurgeProgress progress = checkpoints.load(request.purgeId()).orElseThrow();
            assertThat(progress.pending().source()).isEqualTo("s3:" + ORD_ATTACHMENTS + "/acme/");
            var soFar = progress.deleted(progress.pending().source());
            assertThat(soFar.versions() + soFar.deleteMarkers()).as("no version claimed").isZero();
            assertThat(soFar.uploads()).as("the unfinished uploads were aborted first")
                    .isEqualTo(PurgeFixture.uploads(ACME, ORD_ATTACHMENTS));

            PurgeReport report = fixture.purge(checkpoints).options(PAIRS).build().run(request);
            assertThat(report.passed()).isTrue();
            assertDeletedAsSeeded(fixture, report);
        }
    }

    private static void assertDeletedAsSeeded(PurgeFixture fixture, PurgeReport report) {
        Map<String, PurgeFixture.Expected> deleted = new LinkedHashMap<>();
        report.sources().forEach(s -> deleted.put(s.source(), PurgeFixture.Expected.of(s.deleted())));
        assertThat(deleted).isEqualTo(fixture.expected(ACME));
    }
}
