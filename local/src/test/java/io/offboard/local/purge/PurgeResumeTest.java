package io.offboard.local.purge;

import static io.offboard.local.platform.DemoPlatform.ACME;
import static io.offboard.local.platform.DemoPlatform.GLOBEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.exporter.purge.InMemoryPurgeCheckpoints;
import io.offboard.exporter.purge.PurgeCheckpoints;
import io.offboard.exporter.purge.PurgeListener;
import io.offboard.exporter.purge.PurgeOptions;
import io.offboard.exporter.purge.PurgePlan;
import io.offboard.exporter.purge.PurgeProgress;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.exporter.purge.PurgeRequest;
import io.offboard.exporter.source.TableSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A purge killed again and again (its progress store failing, or its progress callback throwing) and resumed each
 * time by a new {@code TenantPurge}, as the next sweep would: it finishes, passes, and has counted every deleted entry
 * exactly once, equal to a single clean run on a freshly seeded platform.
 */
class PurgeResumeTest {

    /** Small batches and pages, so the purge has many batches to be killed between. */
    private static final PurgeOptions SMALL = PurgeOptions.defaults().withBatches(4, 3)
            .withTableOptions(TableSource.Options.defaults().withTotalSegments(3).withPageLimit(5));

    private static final class Crash extends RuntimeException {
        Crash(String message) {
            super(message);
        }
    }

    /** Fails every {@code every}-th save, before storing it: a process that dies at that point. */
    private static final class FailingCheckpoints implements PurgeCheckpoints {
        private final PurgeCheckpoints store;
        private final int every;
        private final AtomicInteger saves = new AtomicInteger();

        FailingCheckpoints(PurgeCheckpoints store, int every) {
            this.store = store;
            this.every = every;
        }

        @Override
        public Optional<PurgeProgress> load(String purgeId) {
            return store.load(purgeId);
        }

        @Override
        public void save(PurgeProgress progress) {
            if (saves.incrementAndGet() % every == 0) {
                throw new Crash("killed at save " + saves.get());
            }
            store.save(progress);
        }
    }

    @ParameterizedTest(name = "killed at every {0}th save")
    @ValueSource(ints = {3, 4, 5})
    void killedWhileSavingItResumesAndCountsEveryEntryOnce(int every) {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            InMemoryPurgeCheckpoints store = new InMemoryPurgeCheckpoints();
            FailingCheckpoints failing = new FailingCheckpoints(store, every);
            Outcome outcome = purgeUntilDone(fixture, failing, PurgeListener.NONE, store);
            // killed before a batch went out, and after one went out but before its result was stored
            assertThat(outcome.crashes).isGreaterThan(10);
            assertThat(outcome.resumedWithUnrecordedBatch).isPositive();
            assertThat(outcome.resumedWithoutUnrecordedBatch).isPositive();
            assertCountedOnce(fixture, outcome);
        }
    }

    @Test
    void stoppedByItsProgressCallbackItResumesAndCountsEveryEntryOnce() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            InMemoryPurgeCheckpoints store = new InMemoryPurgeCheckpoints();
            AtomicInteger calls = new AtomicInteger();
            PurgeListener stopper = (source, counts, done) -> {
                if (calls.incrementAndGet() % 4 == 0) {
                    throw new Crash("stopped after " + source + " reached " + counts);
                }
            };
            Outcome outcome = purgeUntilDone(fixture, store, stopper, store);
            assertThat(outcome.crashes).isGreaterThan(5);
            // the callback runs after the result is stored: nothing is ever left unrecorded
            assertThat(outcome.resumedWithUnrecordedBatch).isZero();
            assertCountedOnce(fixture, outcome);
        }
    }

    @Test
    void killedAfterAbortingUploadsButBeforeRecordingItAbortsThemAgainAndCountsEachOnce() {
        try (PurgeFixture fixture = PurgeFixture.start()) {
            InMemoryPurgeCheckpoints store = new InMemoryPurgeCheckpoints();
            // dies right after S3 aborted a batch of unfinished uploads, before the result was stored
            PurgeCheckpoints dyingAfterAbort = new PurgeCheckpoints() {
                boolean died;

                @Override
                public Optional<PurgeProgress> load(String purgeId) {
                    return store.load(purgeId);
                }

                @Override
                public void save(PurgeProgress progress) {
                    boolean abortPending = store.load(progress.purgeId())
                            .map(p -> p.pending() != null && !p.pending().uploads().isEmpty()).orElse(false);
                    if (!died && abortPending && progress.pending() == null) {
                        died = true;
                        throw new Crash("killed after aborting uploads");
                    }
                    store.save(progress);
                }
            };
            Outcome outcome = purgeUntilDone(fixture, dyingAfterAbort, PurgeListener.NONE, store);
            assertThat(outcome.crashes).isEqualTo(1);
            assertThat(outcome.resumedWithUnrecordedBatch).isEqualTo(1);
            assertCountedOnce(fixture, outcome);
        }
    }

    private record Outcome(PurgePlan plan, PurgeReport report, int crashes, int resumedWithUnrecordedBatch,
                           int resumedWithoutUnrecordedBatch) {
    }

    private static Outcome purgeUntilDone(PurgeFixture fixture, PurgeCheckpoints checkpoints, PurgeListener listener,
                                          InMemoryPurgeCheckpoints store) {
        PurgeRequest request = PurgeFixture.request("purge-resume", ACME);
        // the reference: what a clean run deletes (TenantPurgeTest: a dry run counts exactly that)
        PurgePlan plan = fixture.purge(new InMemoryPurgeCheckpoints()).options(SMALL).build().plan(request);
        int crashes = 0;
        int withPending = 0;
        int withoutPending = 0;
        for (int run = 1; run <= 2_000; run++) {
            try {
                PurgeReport report = fixture.purge(checkpoints).options(SMALL).listener(listener).build().run(request);
                return new Outcome(plan, report, crashes, withPending, withoutPending);
            } catch (Crash crash) {
                crashes++;
                if (store.load(request.purgeId()).map(p -> p.pending() != null).orElse(false)) {
                    withPending++;
                } else {
                    withoutPending++;
                }
            }
        }
        throw new AssertionError("the purge never finished");
    }

    private static void assertCountedOnce(PurgeFixture fixture, Outcome outcome) {
        PurgeReport report = outcome.report;
        assertThat(report.passed()).as(report.toJson()).isTrue();
        for (PurgePlan.PlannedSource source : outcome.plan.sources()) {
            assertThat(report.source(source.source()).deleted()).as(source.source()).isEqualTo(source.counts());
        }
        Map<String, PurgeFixture.Expected> deleted = new LinkedHashMap<>();
        report.sources().forEach(s -> deleted.put(s.source(), PurgeFixture.Expected.of(s.deleted())));
        assertThat(deleted).isEqualTo(fixture.expected(ACME));
        TenantPurgeTest.assertTenantIntact(fixture, GLOBEX);
        TenantPurgeTest.assertPlatformIntact(fixture);
    }
}
