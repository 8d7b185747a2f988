package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.offboard.bot.journey.DynamoPurgeCheckpoints;
import io.offboard.bot.journey.PurgeStep;
import io.offboard.exporter.purge.ExtraLocation;
import io.offboard.exporter.purge.PurgeListener;
import io.offboard.exporter.purge.PurgeOptions;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.exporter.purge.PurgeRequest;
import io.offboard.exporter.purge.TenantPurge;
import io.offboard.exporter.registry.Registry;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.store.BotTables;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.local.platform.DemoPlatform;
import io.offboard.local.platform.TenantFootprint;
import io.offboard.local.support.BotFixture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A day-30 purge that dies part-way (a sweep killed between two batches) is finished by the next sweep from
 * its checkpoint in the purges table: every entry deleted, none counted twice, one receipt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PurgeResumeEndToEndTest {

    private static final String REPO = BotFixture.REPO;
    /** Excluded from the purge by the registry: the access record (export-only) and expired login sessions. */
    private static final List<String> LEFT_BY_DESIGN = List.of(DemoPlatform.PLATFORM_ACCESS,
            DemoPlatform.USM_SESSIONS + " (expired, removed by TTL)");

    private BotFixture f;

    @BeforeAll
    void start() {
        f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "purge-resume-secret", List.of("alice"), planter);
    }

    @AfterAll
    void stop() {
        f.close();
    }

    /**
     * Stands for a platform job that writes one order of the tenant back while the purge runs (past the frozen
     * access mode, as a buggy job would): armed by a test, it fires once, after ord_orders was purged.
     */
    static final class ResidualPlanter implements PurgeListener {
        volatile String tenant;
        volatile software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo;

        @Override
        public void progress(String source, io.offboard.exporter.purge.PurgeCounts counts, boolean sourceDone) {
            String target = tenant;
            if (target != null && sourceDone && source.equals("dynamodb:" + DemoPlatform.ORD_ORDERS)) {
                tenant = null;
                dynamo.putItem(b -> b.tableName(DemoPlatform.ORD_ORDERS).item(Map.of(
                        "orgcode", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(target),
                        "order_id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("ORD-LATE-1"))));
            }
        }
    }

    private final ResidualPlanter planter = new ResidualPlanter();

    @Test
    void aPurgeKilledMidwayIsFinishedByTheNextSweepCountingEveryEntryOnce() throws Exception {
        int issue = f.file("acme", "@alice", "2027-01-15");
        EvictionId id = f.id(issue);
        f.clock.set(Instant.parse("2027-01-15T00:03:00Z"));
        f.bot.sweep();
        long before = tenantEntries();
        assertThat(before).isGreaterThan(80);

        // day 30: the sweep has recorded the purge's start and deleted some batches when its process dies
        f.clock.set(Instant.parse("2027-02-14T00:05:00Z"));
        EvictionStore store = f.bot.context().getBean(EvictionStore.class);
        EvictionJourney journey = f.bot.context().getBean(EvictionJourney.class);
        Eviction frozen = store.find(id).orElseThrow();
        Eviction purging = store.update(frozen, ((EvictionJourney.Decision.Changed) journey.startPurge(frozen)).next());
        AtomicInteger batches = new AtomicInteger();
        TenantPurge dying = TenantPurge.builder(f.stack.dynamo(), f.stack.s3(), f.bot.context().getBean(DynamoPurgeCheckpoints.class))
                .registry(Registry.bundled())
                .options(PurgeOptions.defaults().withBatches(5, 5))
                .listener((source, counts, done) -> {
                    if (batches.incrementAndGet() == 6) {
                        throw new IllegalStateException("the sweep's process was killed");
                    }
                })
                .build();
        assertThatThrownBy(() -> dying.run(new PurgeRequest(PurgeStep.purgeId(purging), "acme",
                List.of(new ExtraLocation("offboard-exports", "exports/acme/")))))
                .hasMessageContaining("killed");
        long midway = tenantEntries();
        assertThat(midway).as("part deleted, part left").isBetween(1L, before - 1);
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(EvictionState.PURGING);

        f.clock.advance(java.time.Duration.ofMinutes(20));
        assertThat(f.bot.sweep().actions()).containsExactly(id + " purge");

        assertThat(store.find(id).orElseThrow().state()).isEqualTo(EvictionState.PURGED);
        assertThat(tenantEntries()).as("nothing of acme left in any tier").isZero();
        PurgeReport report = storedReport(PurgeStep.purgeId(purging));
        assertThat(report.passed()).isTrue();
        assertThat(report.deleted().entries()).as("every entry counted once across the two runs").isEqualTo(before);
        assertThat(f.github.comments(REPO, issue).stream().filter(c -> c.body().contains("Deletion receipt")))
                .hasSize(1);
        // the other tenant is whole
        assertThat(TenantFootprint.of(f.stack.dynamo(), f.stack.s3(), "globex", f.clock.instant(), BotTables.DEFAULT_PREFIX))
                .containsEntry(DemoPlatform.ORD_ORDERS, 15L).containsEntry(DemoPlatform.UAS_USERS, 3L);
    }

    @Test
    void aResidualFoundByTheVerificationIsNeverReportedAsDoneTheIssueIsAlertedAndTheNextSweepFinishes()
            throws Exception {
        // the other test of this class may have moved the clock already: the date is ten days from whenever now is
        java.time.LocalDate date = f.clock.instant().atOffset(java.time.ZoneOffset.UTC).toLocalDate().plusDays(10);
        int issue = f.file("globex", "@alice", date.toString());
        EvictionId id = f.id(issue);
        EvictionStore store = f.bot.context().getBean(EvictionStore.class);
        f.clock.set(date.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(120));
        f.bot.sweep();
        f.clock.set(store.find(id).orElseThrow().timeline().cutoverAt().orElseThrow().plus(java.time.Duration.ofDays(30)));

        planter.dynamo = f.stack.dynamo();
        planter.tenant = "globex";
        assertThat(f.bot.sweep().actions()).containsExactly(id + " purge");
        Eviction incomplete = store.find(id).orElseThrow();
        assertThat(incomplete.state()).as("residuals: not purged").isEqualTo(EvictionState.PURGING);
        assertThat(incomplete.timeline().purgeAttempts()).isEqualTo(1);
        List<String> comments = f.github.comments(REPO, issue).stream().map(c -> c.body()).toList();
        assertThat(comments).noneMatch(b -> b.contains("Deletion receipt"));
        assertThat(comments).anyMatch(b -> b.contains("Deletion of `globex` not yet complete (attempt 1)")
                && b.contains("ord_orders: 1"));
        assertThat(comments).as("the residual's key stays in the stored report").noneMatch(b -> b.contains("ORD-LATE-1"));
        assertThat(storedReports(id.toString())).singleElement().satisfies(r -> {
            assertThat(r.passed()).isFalse();
            assertThat(r.source("dynamodb:ord_orders").residualSamples()).anyMatch(k -> k.contains("ORD-LATE-1"));
        });
        assertThat(f.github.issue(REPO, issue).state()).isEqualTo("open");

        f.clock.advance(java.time.Duration.ofMinutes(14));
        assertThat(f.bot.sweep().actions()).as("the retry waits 15 minutes").isEmpty();
        f.clock.advance(java.time.Duration.ofMinutes(1));
        assertThat(f.bot.sweep().actions()).containsExactly(id + " purge");
        assertThat(store.find(id).orElseThrow().state()).isEqualTo(EvictionState.PURGED);
        assertThat(f.github.comments(REPO, issue).stream().filter(c -> c.body().contains("Deletion receipt")))
                .singleElement().satisfies(c -> assertThat(c.body()).contains("Verification: passed"));
        assertThat(TenantFootprint.of(f.stack.dynamo(), f.stack.s3(), "globex", f.clock.instant(), BotTables.DEFAULT_PREFIX)
                .keySet()).allMatch(LEFT_BY_DESIGN::contains);
    }

    /** acme's items and object versions in every table and bucket, counted by scans, not by the registry. */
    private long tenantEntries() {
        return TenantFootprint.of(f.stack.dynamo(), f.stack.s3(), "acme", f.clock.instant(), BotTables.DEFAULT_PREFIX)
                .entrySet().stream().filter(e -> !LEFT_BY_DESIGN.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private PurgeReport storedReport(String purgeId) {
        List<PurgeReport> reports = storedReports(purgeId);
        assertThat(reports).hasSize(1);
        return reports.get(0);
    }

    /** The verification reports kept for purge ids starting with {@code prefix}. */
    private List<PurgeReport> storedReports(String prefix) {
        var items = f.stack.dynamo().scan(b -> b.tableName(new BotTables(BotTables.DEFAULT_PREFIX).purges())).items();
        return items.stream().map(i -> i.get("purge_id").s()).filter(k -> k.startsWith("report#" + prefix))
                .map(k -> f.bot.context().getBean(DynamoPurgeCheckpoints.class).report(k).orElseThrow()).toList();
    }
}
