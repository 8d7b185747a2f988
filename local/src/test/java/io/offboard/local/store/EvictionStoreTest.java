package io.offboard.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.FormFields;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.ConcurrentChangeException;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.store.LeaseStore;
import io.offboard.local.stack.EmbeddedStack;
import io.offboard.local.stack.StackOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The eviction store against DynamoDB Local: every timeline fact survives a round trip; the due index; leases. */
class EvictionStoreTest {

    private static EmbeddedStack stack;
    private static EvictionStore store;
    private static final BotTables TABLES = new BotTables("storetest_");

    @BeforeAll
    static void start() {
        stack = EmbeddedStack.start(StackOptions.inMemory());
        TABLES.createMissing(stack.dynamo());
        store = new EvictionStore(stack.dynamo(), TABLES);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Eviction filed(int issue, String tenant, String date) {
        return Eviction.accepted(new EvictionId("platform/infra", issue),
                new FormFields(tenant, "@alice", date, "needs GPUs"), java.util.Map.of("alice", 501L), "olivia",
                Instant.parse("2026-12-01T09:00:00Z"));
    }

    private static Eviction changed(EvictionJourney.Decision d) {
        return ((EvictionJourney.Decision.Changed) d).next();
    }

    @Test
    void everyTimelineFactAndTheOutboxSurviveARoundTrip() {
        Clock clock = Clock.fixed(Instant.parse("2027-01-20T10:00:00Z"), ZoneOffset.UTC);
        EvictionJourney journey = new EvictionJourney(clock);
        Eviction e = store.insert(filed(101, "roundtrip", "2027-01-15"));
        e = store.update(e, changed(journey.cutover(e)));
        e = store.update(e, changed(journey.exportFailed(e, "table x unreadable", true)));
        e = store.update(e, changed(journey.exportFixed(e, "olivia")));
        e = store.update(e, changed(journey.legalHoldOn(e, "olivia", "case 17")));
        e = store.update(e, changed(journey.ownerDone(e, "alice")));
        Eviction read = store.find(e.id()).orElseThrow();
        assertThat(read).isEqualTo(e);
        assertThat(read.outbox()).hasSizeGreaterThan(8);
        assertThat(read.timeline().pause().orElseThrow().fixedAt()).isPresent();
    }

    @Test
    void theDueIndexHoldsOnlyRecordsWithSomethingDue() {
        Instant now = Instant.parse("2027-03-01T00:00:00Z");
        Eviction due = store.insert(filed(201, "due-a", "2027-02-01"));
        Eviction later = store.insert(filed(202, "due-b", "2027-06-01"));
        Eviction canceled = store.insert(filed(203, "due-c", "2027-02-01"));
        EvictionJourney journey = new EvictionJourney(Clock.fixed(now, ZoneOffset.UTC));
        canceled = store.update(canceled, changed(journey.cancel(canceled, "olivia")));
        // canceled, but its comments are not delivered yet: a sweep must still find it
        assertThat(store.dueBy(now)).contains(due.id(), canceled.id()).doesNotContain(later.id());
        for (var m : canceled.outbox()) {
            canceled = store.update(canceled, canceled.delivered(m.id()));
        }
        assertThat(store.dueBy(now)).contains(due.id()).doesNotContain(canceled.id(), later.id());
        assertThat(store.dueBy(Instant.parse("2027-06-01T00:00:00Z"))).contains(due.id(), later.id());
    }

    @Test
    void aTableFromBeforeTheDueIndexGetsItAndItsRecordsAreReindexed() {
        BotTables old = new BotTables("olderversion_");
        // the evictions table as it was before the due index: key only
        stack.dynamo().createTable(b -> b.tableName(old.evictions())
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("eviction_id").attributeType("S"))
                .keySchema(k -> k.attributeName("eviction_id").keyType("HASH")));
        old.createMissing(stack.dynamo());
        EvictionStore store = new EvictionStore(stack.dynamo(), old);
        Eviction e = store.insert(filed(401, "reindexed", "2027-02-01"));
        // as an older version stored it: no due attributes
        stack.dynamo().updateItem(b -> b.tableName(old.evictions())
                .key(java.util.Map.of("eviction_id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(e.id().toString())))
                .updateExpression("REMOVE due_shard, due_at"));
        Instant later = Instant.parse("2027-03-01T00:00:00Z");
        assertThat(store.dueBy(later)).isEmpty();

        assertThat(store.reindex()).isEqualTo(1);
        assertThat(store.dueBy(later)).containsExactly(e.id());
        assertThat(store.reindex()).as("nothing left to rewrite").isZero();
    }

    @Test
    void aStaleWriteIsRefused() {
        Eviction e = store.insert(filed(301, "stale", "2027-02-01"));
        EvictionJourney journey = new EvictionJourney(Clock.fixed(Instant.parse("2027-01-02T00:00:00Z"), ZoneOffset.UTC));
        store.update(e, changed(journey.ownerDone(e, "alice")));
        assertThatThrownBy(() -> store.update(e, changed(journey.cancel(e, "olivia"))))
                .isInstanceOf(ConcurrentChangeException.class);
    }

    @Test
    void aLeaseHasOneHolderUntilItExpiresOrIsReleased() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2027-01-01T00:00:00Z"));
        LeaseStore leases = new LeaseStore(stack.dynamo(), TABLES, clock);
        assertThat(leases.acquire("eviction:x", "sweep-1", Duration.ofMinutes(5))).isTrue();
        assertThat(leases.acquire("eviction:x", "sweep-2", Duration.ofMinutes(5))).isFalse();
        assertThat(leases.acquire("eviction:x", "sweep-1", Duration.ofMinutes(5))).as("renewal").isTrue();
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        assertThat(leases.acquire("eviction:x", "sweep-2", Duration.ofMinutes(5))).as("expired: taken over").isTrue();
        leases.release("eviction:x", "sweep-1");
        assertThat(leases.acquire("eviction:x", "sweep-1", Duration.ofMinutes(5))).as("release by a former holder is ignored").isFalse();
        leases.release("eviction:x", "sweep-2");
        assertThat(leases.acquire("eviction:x", "sweep-1", Duration.ofMinutes(5))).isTrue();

        // many contenders at once: exactly one wins
        List<Thread> threads = new ArrayList<>();
        List<String> winners = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            String me = "racer-" + i;
            Thread racer = new Thread(() -> {
                if (leases.acquire("eviction:race", me, Duration.ofMinutes(5))) {
                    winners.add(me);
                }
            });
            racer.start();
            threads.add(racer);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(winners).hasSize(1);
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void anExportCannotBeClaimedOnceThePurgeHasBegunNotEvenWithAStaleView() {
        Clock atDeadline = Clock.fixed(Instant.parse("2027-02-14T00:05:00Z"), ZoneOffset.UTC);
        EvictionJourney journey = new EvictionJourney(atDeadline);
        ExportStore exports = new ExportStore(stack.dynamo(), TABLES);
        Eviction e = store.insert(filed(901, "fenced", "2027-01-15"));
        e = store.update(e, changed(journey.cutover(e)));
        Eviction staleView = e; // what a /export handler read just before the purge began
        ExportJob before = exports.start(job("early", staleView));
        exports.update(before, before.failed("test", io.offboard.lifecycle.export.FailureCause.REQUEST, atDeadline.instant()));

        store.update(e, changed(journey.startPurge(e)));

        assertThatThrownBy(() -> exports.start(job("late", staleView)))
                .isInstanceOf(ExportStore.NotExportableException.class);
        assertThat(exports.running("fenced")).as("no claim left behind").isEmpty();
        assertThat(exports.find("late")).isEmpty();
    }

    private static ExportJob job(String id, Eviction e) {
        Instant now = Instant.parse("2027-02-14T00:05:00Z");
        return ExportJob.requested(id, e.tenant(), java.util.Optional.of(e.id()), "jsonl", "gzip", "alice", now,
                now, true);
    }
}
