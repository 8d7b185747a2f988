package io.offboard.lifecycle.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.lifecycle.eviction.EvictionJourney.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random walks through the journey: whatever happens, the due index ({@link EvictionJourney#nextDue}) and
 * the sweep's view ({@link EvictionJourney#due}) agree, so a sweep that reads only the index misses nothing
 * and never loops on a record with nothing to do; and deletion never comes earlier than 30 days after the eviction date.
 */
class EvictionJourneyPropertiesTest {

    enum Step { WAIT_HOURS, WAIT_DAYS, CANCEL, FAIL_AUTO, FAIL_DECLARED, FIXED, CLEAN_EXPORT,
        HOLD_ON, HOLD_OFF, DONE, SWEEP }

    @Provide
    Arbitrary<List<Step>> walks() {
        // time and sweeps weigh more so that most walks get past cutover and into the retention window
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Step.WAIT_DAYS)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Step.WAIT_HOURS)),
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Step.SWEEP)),
                net.jqwik.api.Tuple.of(8, Arbitraries.of(Step.class))).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 400)
    void theDueIndexAndTheSweepAgree(@ForAll("walks") List<Step> walk) {
        EvictionJourneyTest.MovableClock clock = new EvictionJourneyTest.MovableClock(EvictionJourneyTest.FILED);
        EvictionJourney journey = new EvictionJourney(clock);
        Eviction e = EvictionJourneyTest.filed();
        long revision = 1;
        for (Step step : walk) {
            Decision d = apply(journey, clock, e, step);
            if (d instanceof Decision.Changed changed) {
                e = changed.next().atRevision(++revision);
            }
            checkAgreement(journey, e, clock.instant());
        }
    }

    private static void checkAgreement(EvictionJourney journey, Eviction e, Instant now) {
        Optional<Instant> next = EvictionJourney.nextDue(e);
        if (next.isEmpty()) {
            assertThat(journey.due(e, now)).as("nothing indexed, nothing due at %s for %s", now, e).isEmpty();
            assertThat(journey.due(e, now.plus(Duration.ofDays(400)))).as("nothing indexed, nothing due later").isEmpty();
            return;
        }
        Instant at = next.get();
        assertThat(journey.due(e, at)).as("due at its indexed time %s: %s", at, e).isPresent();
        assertThat(journey.due(e, at.minusMillis(1))).as("not due before %s: %s", at, e).isEmpty();
        // the hard wall: never earlier than 30 days after 00:00 UTC of the eviction date, whenever the cutover ran
        assertThat(journey.deletionDue(e, now).orElseThrow())
                .isAfterOrEqualTo(RetentionWindow.plannedDeletion(e.evictionDate()));
    }

    private static Decision apply(EvictionJourney journey, EvictionJourneyTest.MovableClock clock, Eviction e, Step step) {
        return switch (step) {
            case WAIT_HOURS -> { clock.advance(Duration.ofHours(7)); yield new Decision.Unchanged("time passes"); }
            case WAIT_DAYS -> { clock.advance(Duration.ofDays(6)); yield new Decision.Unchanged("time passes"); }
            case CANCEL -> journey.cancel(e, "olivia");
            case FAIL_AUTO -> journey.exportFailed(e, "source unreadable", false);
            case FAIL_DECLARED -> journey.exportFailed(e, "owner found corruption", true);
            case FIXED -> journey.exportFixed(e, "olivia");
            case CLEAN_EXPORT -> journey.cleanExport(e, clock.instant());
            case HOLD_ON -> journey.legalHoldOn(e, "olivia", "litigation");
            case HOLD_OFF -> journey.legalHoldOff(e, "olivia");
            case DONE -> journey.ownerDone(e, "alice");
            case SWEEP -> sweep(journey, clock.instant(), e);
        };
    }

    /** What a sweep does: the one step that is due. */
    private static Decision sweep(EvictionJourney journey, Instant now, Eviction e) {
        return journey.due(e, now).map(action -> switch (action) {
            case CUTOVER -> journey.cutover(e);
            case REMIND -> journey.remind(e);
            case PURGE -> e.state() == EvictionState.PURGING ? journey.purged(e, "report") : journey.startPurge(e);
            case REMIND_PAUSED -> journey.remindPaused(e);
            case RETRY_EXPORT -> journey.exportRetried(e);
        }).orElse(new Decision.Unchanged("nothing due"));
    }
}
