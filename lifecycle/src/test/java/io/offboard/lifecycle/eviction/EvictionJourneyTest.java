package io.offboard.lifecycle.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.lifecycle.eviction.EvictionJourney.Decision;
import io.offboard.lifecycle.eviction.EvictionJourney.DueAction;
import io.offboard.lifecycle.eviction.OutboxMessage.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every transition of the journey and every refusal, with a clock the test moves. */
class EvictionJourneyTest {

    static final Instant FILED = Instant.parse("2026-12-01T09:00:00Z");
    static final Instant EVICTION_DAY = Instant.parse("2027-01-15T00:00:00Z");

    final MovableClock clock = new MovableClock(FILED);
    final EvictionJourney journey = new EvictionJourney(clock);

    static Eviction filed() {
        return Eviction.accepted(new EvictionId("platform/infra", 12),
                new FormFields("acme", "@alice", "2027-01-15", "needs GPUs"), Map.of("alice", 501L), "olivia", FILED);
    }

    static Eviction changed(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Changed.class);
        return ((Decision.Changed) decision).next();
    }

    static String refusal(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Refused.class);
        return ((Decision.Refused) decision).why();
    }

    Eviction cutOver() {
        clock.set(EVICTION_DAY.plusSeconds(60));
        return changed(journey.cutover(filed()));
    }

    static List<String> templates(Eviction e) {
        return e.outbox().stream().filter(m -> m.kind() == Kind.COMMENT).map(OutboxMessage::template).toList();
    }

    @Test
    void beforeTheEvictionDateNothingIsDueAndTheCutoverIndexIsTheDate() {
        Eviction e = filed();
        assertThat(journey.due(e, EVICTION_DAY.minusMillis(1))).isEmpty();
        assertThat(journey.due(e, EVICTION_DAY)).contains(DueAction.CUTOVER);
        assertThat(EvictionJourney.nextDue(e)).contains(EVICTION_DAY);
        assertThat(journey.cutover(e)).isInstanceOf(Decision.Unchanged.class);
    }

    @Test
    void cutoverFreezesRecordsTheSnapshotTimeAndAnnouncesTheExactDeletionTime() {
        Eviction e = cutOver();
        assertThat(e.state()).isEqualTo(EvictionState.CUTOVER);
        assertThat(e.timeline().cutoverAt()).contains(EVICTION_DAY.plusSeconds(60));
        assertThat(e.outbox()).extracting(OutboxMessage::kind)
                .containsExactly(Kind.COMMENT, Kind.DISPATCH_TEARDOWN, Kind.LABEL, Kind.REFRESH_STATUS);
        // the hard wall counts from the eviction date, not from when the sweep ran the cutover
        assertThat(e.outbox().get(0).facts()).containsEntry("deletionAt", "2027-02-14T00:00:00Z")
                .containsEntry("snapshotAt", "2027-01-15T00:01:00Z");
        assertThat(e.outbox().get(1).facts()).containsEntry("tenant", "acme").containsEntry("issue", "platform/infra#12");
        assertThat(journey.deletionDue(e, clock.instant())).contains(Instant.parse("2027-02-14T00:00:00Z"));
        // a second sweep finds nothing more to cut over
        assertThat(journey.cutover(e)).isInstanceOf(Decision.Unchanged.class);
    }

    @Test
    void aLateCutoverDoesNotMoveTheDeletion() {
        // the sweeps were down for three days: the cutover runs late, the deletion does not move
        clock.set(EVICTION_DAY.plus(Duration.ofDays(3)).plusSeconds(420));
        Eviction e = changed(journey.cutover(filed()));
        assertThat(e.timeline().cutoverAt()).contains(clock.instant());
        assertThat(journey.deletionDue(e, clock.instant())).contains(Instant.parse("2027-02-14T00:00:00Z"));
        assertThat(e.outbox().get(0).facts()).containsEntry("deletionAt", "2027-02-14T00:00:00Z");

        // and sweeps down for the whole window: the cutover, then the purge at once
        clock.set(Instant.parse("2027-02-20T00:00:00Z"));
        Eviction missed = changed(journey.cutover(filed()));
        assertThat(journey.due(missed, clock.instant())).contains(DueAction.PURGE);
    }

    @Test
    void cancelOnlyBeforeCutover() {
        Eviction canceled = changed(journey.cancel(filed(), "olivia"));
        assertThat(canceled.state()).isEqualTo(EvictionState.CANCELED);
        assertThat(canceled.state().holdsTenant()).isFalse();
        assertThat(canceled.outbox()).extracting(OutboxMessage::kind)
                .containsExactly(Kind.COMMENT, Kind.LABEL, Kind.REFRESH_STATUS);
        assertThat(canceled.outbox().get(1).facts()).containsEntry("label", EvictionJourney.LABEL_CANCELED);
        assertThat(journey.cancel(canceled, "olivia")).isInstanceOf(Decision.Unchanged.class);
        assertThat(EvictionJourney.nextDue(canceled)).isEmpty();

        assertThat(refusal(journey.cancel(cutOver(), "olivia"))).contains("clock is hard").contains("2027-02-14T00:00:00Z");
    }

    @Test
    void deletionIsDueThirtyDaysAfterCutoverWithRemindersAtSevenAndOneDay() {
        Eviction e = cutOver();
        Instant deadline = Instant.parse("2027-02-14T00:00:00Z");
        assertThat(EvictionJourney.nextDue(e)).contains(deadline.minus(Duration.ofDays(7)));
        assertThat(journey.due(e, deadline.minus(Duration.ofDays(7)).minusMillis(1))).isEmpty();

        clock.set(deadline.minus(Duration.ofDays(7)));
        assertThat(journey.due(e, clock.instant())).contains(DueAction.REMIND);
        e = changed(journey.remind(e));
        assertThat(e.outbox().get(e.outbox().size() - 1).facts()).containsEntry("days", "7");
        assertThat(journey.remind(e)).isInstanceOf(Decision.Unchanged.class);
        assertThat(EvictionJourney.nextDue(e)).contains(deadline.minus(Duration.ofDays(1)));

        clock.set(deadline.minus(Duration.ofDays(1)));
        e = changed(journey.remind(e));
        assertThat(e.outbox().get(e.outbox().size() - 1).facts()).containsEntry("days", "1");
        assertThat(EvictionJourney.nextDue(e)).contains(deadline);

        clock.set(deadline.minusMillis(1));
        assertThat(journey.due(e, clock.instant())).isEmpty();
        clock.set(deadline);
        assertThat(journey.due(e, clock.instant())).contains(DueAction.PURGE);
    }

    @Test
    void aMissedSevenDayReminderIsNotPostedAfterTheOneDayOne() {
        Eviction e = cutOver();
        clock.set(Instant.parse("2027-02-13T12:00:00Z"));
        e = changed(journey.remind(e));
        assertThat(templates(e).stream().filter("reminder"::equals)).hasSize(1);
        assertThat(e.timeline().remindersSent()).containsExactlyInAnyOrder(Timeline.Reminder.values());
        assertThat(journey.due(e, clock.instant())).isEmpty();
    }

    @Test
    void ownerDoneStopsRemindersButMovesNoClock() {
        Eviction e = cutOver();
        clock.advance(Duration.ofDays(2));
        e = changed(journey.ownerDone(e, "alice"));
        assertThat(e.outbox()).anySatisfy(m -> assertThat(m.facts()).containsEntry("label", EvictionJourney.LABEL_OWNER_DONE));
        assertThat(journey.ownerDone(e, "alice")).isInstanceOf(Decision.Unchanged.class);
        Instant deadline = Instant.parse("2027-02-14T00:00:00Z");
        assertThat(journey.deletionDue(e, clock.instant())).contains(deadline);
        assertThat(EvictionJourney.nextDue(e)).contains(deadline);
        assertThat(journey.due(e, deadline.minus(Duration.ofDays(1)))).isEmpty();
        assertThat(journey.due(e, deadline)).contains(DueAction.PURGE);
    }

    @Test
    void anAutomaticPauseShiftsDeletionByThePausedTimeAndEndsWithACleanExport() {
        Eviction e = cutOver();
        clock.advance(Duration.ofDays(10));
        e = changed(journey.exportFailed(e, "table ord_orders unreadable", false));
        assertThat(templates(e)).contains("paused");
        // paused: no purge however long it lasts; the bot retries the export a day later
        assertThat(journey.due(e, Instant.parse("2027-12-31T00:00:00Z"))).isNotEqualTo(java.util.Optional.of(DueAction.PURGE));
        assertThat(EvictionJourney.nextDue(e)).contains(clock.instant().plus(Duration.ofDays(1)));
        assertThat(journey.exportFailed(e, "again", false)).isInstanceOf(Decision.Unchanged.class);

        Instant pausedAt = clock.instant();
        clock.advance(Duration.ofDays(3));
        // an export requested before the pause does not end it
        assertThat(journey.cleanExport(e, pausedAt.minusSeconds(1))).isInstanceOf(Decision.Unchanged.class);
        e = changed(journey.cleanExport(e, clock.instant().minusSeconds(30)));
        assertThat(e.timeline().pause()).isEmpty();
        assertThat(e.timeline().pausedTotal()).isEqualTo(Duration.ofDays(3));
        Instant shifted = Instant.parse("2027-02-17T00:00:00Z");
        assertThat(journey.deletionDue(e, clock.instant())).contains(shifted);
        assertThat(EvictionJourney.nextDue(e)).contains(shifted.minus(Duration.ofDays(7)));
        assertThat(e.outbox().stream().filter(m -> "resumed".equals(m.template())).findFirst().orElseThrow().facts())
                .containsEntry("deletionAt", shifted.toString()).containsEntry("pausedFor", "PT72H")
                .containsEntry("timeLeft", Duration.between(clock.instant(), shifted).toString());
    }

    @Test
    void aDeclaredPauseNeedsExportFixedThenACleanExport() {
        Eviction e = cutOver();
        e = changed(journey.exportFailed(e, "owner found truncated parquet; our bug", true));
        clock.advance(Duration.ofDays(1));
        assertThat(journey.cleanExport(e, clock.instant())).isInstanceOf(Decision.Unchanged.class);
        clock.advance(Duration.ofDays(1));
        e = changed(journey.exportFixed(e, "olivia"));
        assertThat(journey.exportFixed(e, "olivia")).isInstanceOf(Decision.Unchanged.class);
        Instant fixedAt = clock.instant();
        assertThat(journey.cleanExport(e, fixedAt.minusSeconds(1))).isInstanceOf(Decision.Unchanged.class);
        clock.advance(Duration.ofHours(5));
        e = changed(journey.cleanExport(e, fixedAt.plusSeconds(1)));
        assertThat(e.timeline().pausedTotal()).isEqualTo(Duration.ofDays(2).plusHours(5));
        assertThat(refusal(journey.exportFixed(e, "olivia"))).contains("not paused");
    }

    @Test
    void aPauseBeforeTheEvictionDateCountsOnlyFromThatDate() {
        clock.set(EVICTION_DAY.minus(Duration.ofDays(5)));
        Eviction e = changed(journey.exportFailed(filed(), "registry gap: table x", false));
        // the cutover sweep runs a day late: the pause still counts from the eviction date, not from the cutover
        clock.set(EVICTION_DAY.plus(Duration.ofDays(1)));
        e = changed(journey.cutover(e));
        assertThat(journey.due(e, EVICTION_DAY.plus(Duration.ofDays(40)))).isNotEqualTo(java.util.Optional.of(DueAction.PURGE));
        clock.set(EVICTION_DAY.plus(Duration.ofDays(2)));
        e = changed(journey.cleanExport(e, clock.instant()));
        assertThat(e.timeline().pausedTotal()).isEqualTo(Duration.ofDays(2));
        assertThat(journey.deletionDue(e, clock.instant())).contains(EVICTION_DAY.plus(Duration.ofDays(32)));
    }

    @Test
    void whilePausedTheOperatorsAreRemindedWeeklyAndTheBotRetriesTheExportDaily() {
        Eviction e = cutOver();
        Instant since = clock.instant();
        e = changed(journey.exportFailed(e, "table ord_orders unreadable", false));
        assertThat(journey.exportRetried(e)).as("not before a day").isInstanceOf(Decision.Unchanged.class);

        for (int day = 1; day <= 6; day++) {
            clock.set(since.plus(Duration.ofDays(day)));
            assertThat(journey.due(e, clock.instant())).contains(DueAction.RETRY_EXPORT);
            e = changed(journey.exportRetried(e));
            assertThat(journey.due(e, clock.instant())).isEmpty();
            assertThat(EvictionJourney.nextDue(e)).contains(clock.instant().plus(Duration.ofDays(1)));
        }
        clock.set(since.plus(Duration.ofDays(7)));
        assertThat(journey.due(e, clock.instant())).contains(DueAction.REMIND_PAUSED);
        e = changed(journey.remindPaused(e));
        OutboxMessage reminder = e.outbox().get(e.outbox().size() - 2);
        assertThat(reminder.template()).isEqualTo("paused-reminder");
        assertThat(reminder.facts()).containsEntry("pausedFor", "PT168H")
                .containsEntry("reason", "table ord_orders unreadable");
        assertThat(journey.due(e, clock.instant())).contains(DueAction.RETRY_EXPORT);
        assertThat(EvictionJourney.nextDue(e)).contains(clock.instant());
        e = changed(journey.exportRetried(e));
        assertThat(EvictionJourney.nextDue(e)).contains(clock.instant().plus(Duration.ofDays(1)));
        clock.set(since.plus(Duration.ofDays(14)));
        assertThat(journey.due(e, clock.instant())).contains(DueAction.REMIND_PAUSED);
    }

    @Test
    void aDeclaredPauseIsRetriedByTheBotOnlyAfterExportFixed() {
        Eviction e = cutOver();
        e = changed(journey.exportFailed(e, "owner found truncated parquet; our bug", true));
        clock.advance(Duration.ofDays(3));
        assertThat(journey.due(e, clock.instant())).isEmpty();
        e = changed(journey.exportFixed(e, "olivia"));
        assertThat(journey.due(e, clock.instant())).contains(DueAction.RETRY_EXPORT);
        e = changed(journey.exportRetried(e));
        assertThat(EvictionJourney.nextDue(e)).contains(clock.instant().plus(Duration.ofDays(1)));
    }

    @Test
    void legalHoldBlocksThePurgeUntilLiftedThenItIsDueAtOnce() {
        Eviction e = cutOver();
        e = changed(journey.legalHoldOn(e, "olivia", "litigation 2027-17"));
        assertThat(journey.legalHoldOn(e, "olivia", "again")).isInstanceOf(Decision.Unchanged.class);
        clock.set(Instant.parse("2027-03-01T00:00:00Z"));
        assertThat(journey.due(e, clock.instant())).isEmpty();
        assertThat(EvictionJourney.nextDue(e)).isEmpty();
        e = changed(journey.legalHoldOff(e, "olivia"));
        assertThat(journey.due(e, clock.instant())).contains(DueAction.PURGE);
        assertThat(EvictionJourney.nextDue(e)).get().matches(at -> !at.isAfter(clock.instant()));
        assertThat(journey.legalHoldOff(e, "olivia")).isInstanceOf(Decision.Unchanged.class);
    }

    @Test
    void purgeRunsToPurgedAndRetriesAfterResiduals() {
        Eviction e = cutOver();
        clock.set(Instant.parse("2027-02-14T00:00:00Z"));
        e = changed(journey.startPurge(e));
        assertThat(e.state()).isEqualTo(EvictionState.PURGING);
        assertThat(journey.startPurge(e)).isInstanceOf(Decision.Unchanged.class);
        assertThat(journey.due(e, clock.instant())).contains(DueAction.PURGE);
        assertThat(refusal(journey.cancel(e, "olivia"))).contains("clock is hard");

        e = changed(journey.purgeIncomplete(e, "ord_orders: 1 item"));
        assertThat(e.state()).isEqualTo(EvictionState.PURGING);
        assertThat(e.timeline().purgeAttempts()).isEqualTo(1);
        assertThat(templates(e)).contains("purge-incomplete");

        e = changed(journey.purged(e, "purge-1"));
        assertThat(e.state()).isEqualTo(EvictionState.PURGED);
        assertThat(e.state().holdsTenant()).isFalse();
        assertThat(e.outbox()).extracting(OutboxMessage::kind).contains(Kind.CLOSE_ISSUE);
        assertThat(e.outbox()).anySatisfy(m -> assertThat(m.facts()).containsEntry("label", EvictionJourney.LABEL_PURGED));
        assertThat(EvictionJourney.nextDue(e)).isEmpty();
        assertThat(refusal(journey.ownerDone(e, "alice"))).contains("already been deleted");
        assertThat(refusal(journey.legalHoldOn(e, "olivia", "late"))).contains("already been deleted");
        assertThat(journey.purged(e, "purge-1")).isInstanceOf(Decision.Unchanged.class);
    }

    @Test
    void anIncompletePurgeIsRetriedWithGrowingDelaysAndAlertsRarely() {
        Eviction e = cutOver();
        clock.set(Instant.parse("2027-02-14T00:00:00Z"));
        e = changed(journey.startPurge(e));
        int comments = 0;
        for (int attempt = 1; attempt <= 12; attempt++) {
            e = changed(journey.purgeIncomplete(e, "ord_orders: 1 item")).atRevision(attempt + 10);
            Duration delay = EvictionJourney.purgeRetryDelay(attempt);
            assertThat(journey.due(e, clock.instant().plus(delay).minusMillis(1))).isEmpty();
            assertThat(journey.due(e, clock.instant().plus(delay))).contains(DueAction.PURGE);
            assertThat(EvictionJourney.nextDue(e)).contains(clock.instant().plus(delay));
            clock.advance(delay);
            comments = (int) templates(e).stream().filter("purge-incomplete"::equals).count();
        }
        assertThat(comments).as("alerts on attempts 1, 5 and 10 only").isEqualTo(3);
        assertThat(EvictionJourney.purgeRetryDelay(1)).isEqualTo(Duration.ofMinutes(15));
        assertThat(EvictionJourney.purgeRetryDelay(3)).isEqualTo(Duration.ofHours(1));
        assertThat(EvictionJourney.purgeRetryDelay(12)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void purgeStepsAndPausesAreRefusedOutsideTheirStates() {
        Eviction live = filed();
        assertThat(refusal(journey.purgeIncomplete(live, "x"))).contains("not been cut over");
        assertThat(refusal(journey.purged(live, "report"))).contains("not been cut over");
        assertThat(journey.startPurge(live)).isInstanceOf(Decision.Unchanged.class);
        Eviction frozen = cutOver();
        assertThat(journey.startPurge(frozen)).as("before the deadline").isInstanceOf(Decision.Unchanged.class);
        clock.set(Instant.parse("2027-02-14T00:00:00Z"));
        Eviction purging = changed(journey.startPurge(frozen));
        assertThat(refusal(journey.exportFailed(purging, "too late", true))).contains("purge of the tenant's data is under way");
        Eviction canceled = changed(journey.cancel(filed(), "olivia"));
        assertThat(refusal(journey.legalHoldOn(canceled, "olivia", "x"))).contains("canceled");
        assertThat(refusal(journey.ownerDone(canceled, "alice"))).contains("canceled");
    }

    @Test
    void aHoldPlacedDuringThePurgeStopsIt() {
        Eviction e = cutOver();
        clock.set(Instant.parse("2027-02-15T00:00:00Z"));
        e = changed(journey.startPurge(e));
        e = changed(journey.legalHoldOn(e, "olivia", "subpoena"));
        assertThat(journey.due(e, clock.instant())).isEmpty();
        assertThat(EvictionJourney.nextDue(e)).isEmpty();
    }

    @Test
    void invalidFormsHaveNothingDueAndCannotBeMarkedDone() {
        Eviction invalid = Eviction.invalid(new EvictionId("platform/infra", 3),
                new FormFields("acme", "@alice", "2020-01-01", "x"), List.of("date in the past"), "olivia", FILED);
        assertThat(EvictionJourney.nextDue(invalid)).isEmpty();
        assertThat(refusal(journey.ownerDone(invalid, "alice"))).contains("problems");
        assertThat(refusal(journey.exportFailed(invalid, "x", true))).contains("problems");
        assertThat(changed(journey.cancel(invalid, "olivia")).state()).isEqualTo(EvictionState.CANCELED);
    }

    @Test
    void messageIdsNeverRepeatWithinARecord() {
        Eviction e = filed();
        e = changed(journey.ownerDone(e, "alice")).atRevision(2);
        e = changed(journey.legalHoldOn(e, "olivia", "litigation")).atRevision(3);
        assertThat(e.outbox()).extracting(OutboxMessage::id).doesNotHaveDuplicates();
        Eviction delivered = e.delivered(e.outbox().get(0).id());
        assertThat(delivered.outbox()).hasSize(e.outbox().size() - 1);
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
