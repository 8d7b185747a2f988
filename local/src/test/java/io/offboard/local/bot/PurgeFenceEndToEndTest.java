package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.exporter.purge.PurgeCounts;
import io.offboard.exporter.purge.PurgeListener;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.export.ExportJob;
import io.offboard.lifecycle.export.ExportStatus;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.platform.TenantFootprint;
import java.util.ArrayList;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import io.offboard.local.support.BotFixture;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** What may stop or race a day-30 purge: a legal hold placed while it runs stops it before its next batch. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PurgeFenceEndToEndTest {

    private BotFixture f;

    /**
     * Stands for an operator's {@code /legal-hold on} arriving while the purge runs: armed, it fires at the second
     * batch of {@code ord_orders}, a source of several batches (so a check only between sources would be too late).
     */
    static final class HoldPlacer implements PurgeListener {
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger orderBatches = new AtomicInteger();
        volatile Runnable atSecondBatch;

        @Override
        public void progress(String source, PurgeCounts counts, boolean sourceDone) {
            batches.incrementAndGet();
            if (source.equals("dynamodb:" + DemoPlatform.ORD_ORDERS) && orderBatches.incrementAndGet() == 2
                    && atSecondBatch != null) {
                atSecondBatch.run();
            }
        }
    }

    private final HoldPlacer holds = new HoldPlacer();

    @BeforeAll
    void start() {
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "purge-fence-secret", List.of("alice"), holds);
    }

    @AfterAll
    void stop() {
        f.close();
    }

    private long acmeEntries() {
        return TenantFootprint.of(f.stack.dynamo(), f.stack.s3(), "acme", f.clock.instant(), BotTables.DEFAULT_PREFIX)
                .entrySet().stream().filter(e -> !e.getKey().startsWith("platform_access")
                        && !e.getKey().startsWith("usm_sessions")).mapToLong(e -> e.getValue()).sum();
    }

    @Test
    void aLegalHoldPlacedDuringThePurgeStopsItBeforeTheNextBatch() throws Exception {
        // 120 more orders: ord_orders takes several batches of 25
        List<Map<String, AttributeValue>> orders = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            orders.add(Map.of("orgcode", AttributeValue.fromS("acme"), "order_id", AttributeValue.fromS("ORD-X-" + i)));
        }
        DemoPlatform.batchPut(f.stack.dynamo(), DemoPlatform.ORD_ORDERS, orders);
        int issue = f.file("acme", "@alice", "2027-01-15");
        EvictionId id = f.id(issue);
        f.clock.set(Instant.parse("2027-01-15T00:03:00Z"));
        f.bot.sweep();
        long before = acmeEntries();
        EvictionJourney journey = f.bot.context().getBean(EvictionJourney.class);
        holds.atSecondBatch = () -> f.store().modify(f.eviction(issue), e -> Optional.of(
                ((EvictionJourney.Decision.Changed) journey.legalHoldOn(e, "ops-olivia", "subpoena 2027-4")).next()));

        f.clock.set(Instant.parse("2027-02-14T00:05:00Z"));
        f.bot.sweep();

        assertThat(holds.orderBatches.get()).as("no batch after the one during which the hold came").isEqualTo(2);
        int batchesBeforeTheHold = holds.batches.get();
        assertThat(f.eviction(issue).state()).isEqualTo(EvictionState.PURGING);
        long left = acmeEntries();
        assertThat(left).as("two batches deleted, the rest kept under the hold").isBetween(1L, before - 1);
        assertThat(f.bot.sweep().actions()).as("nothing runs while the hold is on").isEmpty();

        holds.atSecondBatch = null;
        f.comment(issue, "ops-olivia", "/legal-hold off");
        f.bot.sweep();
        assertThat(f.eviction(issue).state()).isEqualTo(EvictionState.PURGED);
        assertThat(acmeEntries()).isZero();
        assertThat(holds.batches.get()).isGreaterThan(batchesBeforeTheHold);
        assertThat(id).isNotNull();
    }

    @Test
    void anExportStillRunningAtTheDeletionTimeIsCanceledNotFailedAndThePurgeDoesNotWaitForIt() throws Exception {
        // its own bot: exports edit their comment at every page, and GitHub answers slowly, so an export is long
        try (BotFixture g = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "purge-fence-export-secret",
                List.of("alice"), Map.of("offboard.export-progress-interval", "0s"))) {
            int issue = g.file("globex", "@alice", "2027-01-15");
            g.clock.set(Instant.parse("2027-01-15T00:03:00Z"));
            g.bot.sweep();
            g.clock.set(Instant.parse("2027-02-13T23:58:00Z"));
            g.github.server().setGlobalFixedDelay(700);
            var export = g.github.comment(BotFixture.REPO, issue, "alice", "/export");
            // sent without waiting for the export: it is still running when the deletion time comes
            g.sendWithoutWaiting(export.webhook());
            ExportStore exports = g.exports();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> exports.running("globex").flatMap(exports::find)
                            .filter(j -> j.status() == ExportStatus.EXPORTING).isPresent());
            String exportId = exports.running("globex").orElseThrow();

            // minutes later (its worker's heartbeat is fresh: it is alive, and is asked to stop, not declared dead)
            g.clock.set(Instant.parse("2027-02-14T00:01:00Z"));
            g.bot.sweep();
            g.github.server().setGlobalFixedDelay(0);

            assertThat(g.eviction(issue).state()).isEqualTo(EvictionState.PURGED);
            ExportJob stopped = exports.find(exportId).orElseThrow();
            assertThat(stopped.status()).as("a cancellation, never a failure").isEqualTo(ExportStatus.CANCELED);
            assertThat(stopped.failureCause()).isEmpty();
            assertThat(g.eviction(issue).timeline().pausedTotal()).as("nothing paused").isZero();
            assertThat(g.eviction(issue).timeline().pause()).isEmpty();
            assertThat(g.botComment(issue, "was **stopped**")).contains("@alice").contains("deletion time");
            assertThat(g.stack.s3().listObjectsV2(b -> b.bucket("offboard-exports").prefix("exports/globex/"))
                    .contents()).as("no archive of the tenant").isEmpty();
            assertThat(g.bot.context().getBean(io.offboard.lifecycle.store.AuditLog.class).entries(g.id(issue)))
                    .anySatisfy(entry -> assertThat(entry.action()).isEqualTo("export.canceled"));
        }
    }
}
