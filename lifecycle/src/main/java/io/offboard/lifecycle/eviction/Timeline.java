package io.offboard.lifecycle.eviction;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The stored facts every clock of an eviction is computed from (seed 003: "clocks come only from stored
 * timestamps"). Nothing here is derived from comment times or from the bot's own activity.
 *
 * @param cutoverAt       when the tenant was frozen: the snapshot time of every later export
 * @param cutoverRequest  an operator's early {@code /cutover}, waiting for (or given) its confirmation
 * @param pause           the open pause of the retention countdown, if any
 * @param pausedTotal     countdown time spent paused in closed pauses (only time after cutover counts)
 * @param legalHold       an operator's legal hold: the purge waits while it is on
 * @param ownerDone       the owner's {@code /done}
 * @param remindersSent   deletion reminders already posted (each is posted once)
 * @param purgeStartedAt  when the purge first started (it resumes from its checkpoint after a crash)
 * @param purgeAttempts   purges that ended with residuals (each is retried)
 * @param endedAt         when the eviction reached an end: purged or canceled
 */
public record Timeline(
        Optional<Instant> cutoverAt,
        Optional<CutoverRequest> cutoverRequest,
        Optional<Pause> pause,
        Duration pausedTotal,
        Optional<Hold> legalHold,
        Optional<Mark> ownerDone,
        Set<Reminder> remindersSent,
        Optional<Instant> purgeStartedAt,
        int purgeAttempts,
        Optional<Instant> endedAt) {

    public static final Timeline EMPTY = new Timeline(Optional.empty(), Optional.empty(), Optional.empty(),
            Duration.ZERO, Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 0, Optional.empty());

    public Timeline {
        remindersSent = remindersSent.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(remindersSent));
    }

    /** Who did something, and when (from the store's clock, never from a comment's timestamp). */
    public record Mark(String by, Instant at) {
    }

    /** An early cutover asked for by {@code by} at {@code at}; {@code confirmedAt} once confirmed. */
    public record CutoverRequest(String by, Instant at, Optional<Instant> confirmedAt) {
    }

    /** A legal hold and why. */
    public record Hold(String by, String reason, Instant since) {
    }

    /**
     * An open pause of the retention countdown for a platform-side export failure.
     *
     * @param declared  true when an operator declared it ({@code /export-failed}): it then ends only after
     *                  {@code /export-fixed} and a clean export; an automatic pause ends at the next clean export
     * @param fixedAt   when an operator said {@code /export-fixed}
     */
    public record Pause(Instant since, String reason, boolean declared, Optional<Instant> fixedAt) {
    }

    /** The two reminders of seed 003's journey, by how long before deletion they are posted. */
    public enum Reminder {
        SEVEN_DAYS(Duration.ofDays(7)),
        ONE_DAY(Duration.ofDays(1));

        private final Duration before;

        Reminder(Duration before) {
            this.before = before;
        }

        public Duration before() {
            return before;
        }

        public long days() {
            return before.toDays();
        }
    }

    Timeline withCutoverAt(Instant at) {
        return new Timeline(Optional.of(at), cutoverRequest, pause, pausedTotal, legalHold, ownerDone, remindersSent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withCutoverRequest(Optional<CutoverRequest> request) {
        return new Timeline(cutoverAt, request, pause, pausedTotal, legalHold, ownerDone, remindersSent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withPause(Optional<Pause> newPause, Duration newPausedTotal) {
        return new Timeline(cutoverAt, cutoverRequest, newPause, newPausedTotal, legalHold, ownerDone, remindersSent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withLegalHold(Optional<Hold> hold) {
        return new Timeline(cutoverAt, cutoverRequest, pause, pausedTotal, hold, ownerDone, remindersSent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withOwnerDone(Mark done) {
        return new Timeline(cutoverAt, cutoverRequest, pause, pausedTotal, legalHold, Optional.of(done), remindersSent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withRemindersSent(Set<Reminder> sent) {
        return new Timeline(cutoverAt, cutoverRequest, pause, pausedTotal, legalHold, ownerDone, sent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withPurge(Optional<Instant> startedAt, int attempts) {
        return new Timeline(cutoverAt, cutoverRequest, pause, pausedTotal, legalHold, ownerDone, remindersSent,
                startedAt, attempts, endedAt);
    }

    Timeline withEndedAt(Instant at) {
        return new Timeline(cutoverAt, cutoverRequest, pause, pausedTotal, legalHold, ownerDone, remindersSent,
                purgeStartedAt, purgeAttempts, Optional.of(at));
    }
}
