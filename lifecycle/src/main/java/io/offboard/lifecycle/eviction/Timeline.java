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
        Optional<Pause> pause,
        Duration pausedTotal,
        Optional<Hold> legalHold,
        Optional<Mark> ownerDone,
        Set<Reminder> remindersSent,
        Optional<Instant> purgeStartedAt,
        int purgeAttempts,
        Optional<Instant> endedAt) {

    public static final Timeline EMPTY = new Timeline(Optional.empty(), Optional.empty(),
            Duration.ZERO, Optional.empty(), Optional.empty(), Set.of(), Optional.empty(), 0, Optional.empty());

    public Timeline {
        remindersSent = remindersSent.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(remindersSent));
    }

    /** Who did something, and when (from the store's clock, never from a comment's timestamp). */
    public record Mark(String by, Instant at) {
    }

    /** A legal hold and why. */
    public record Hold(String by, String reason, Instant since) {
    }

    /**
     * An open pause of the retention countdown for a platform-side export failure.
     *
     * @param declared   true when an operator declared it ({@code /export-failed}): it then ends only after
     *                   {@code /export-fixed} and a clean export; an automatic pause ends at the next clean export
     * @param fixedAt    when an operator said {@code /export-fixed}
     * @param remindedAt when the operators were last reminded that the countdown is paused
     * @param retriedAt  when the bot last started an export of its own to end the pause
     */
    public record Pause(Instant since, String reason, boolean declared, Optional<Instant> fixedAt,
                        Optional<Instant> remindedAt, Optional<Instant> retriedAt) {

        /** A pause opened now: not fixed, not reminded of, not retried. */
        public static Pause opened(Instant since, String reason, boolean declared) {
            return new Pause(since, reason, declared, Optional.empty(), Optional.empty(), Optional.empty());
        }

        Pause fixed(Instant at) {
            return new Pause(since, reason, declared, Optional.of(at), remindedAt, retriedAt);
        }

        Pause reminded(Instant at) {
            return new Pause(since, reason, declared, fixedAt, Optional.of(at), retriedAt);
        }

        Pause retried(Instant at) {
            return new Pause(since, reason, declared, fixedAt, remindedAt, Optional.of(at));
        }
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
        return new Timeline(Optional.of(at), pause, pausedTotal, legalHold, ownerDone, remindersSent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withPause(Optional<Pause> newPause, Duration newPausedTotal) {
        return new Timeline(cutoverAt, newPause, newPausedTotal, legalHold, ownerDone, remindersSent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withLegalHold(Optional<Hold> hold) {
        return new Timeline(cutoverAt, pause, pausedTotal, hold, ownerDone, remindersSent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withOwnerDone(Mark done) {
        return new Timeline(cutoverAt, pause, pausedTotal, legalHold, Optional.of(done), remindersSent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withRemindersSent(Set<Reminder> sent) {
        return new Timeline(cutoverAt, pause, pausedTotal, legalHold, ownerDone, sent,
                purgeStartedAt, purgeAttempts, endedAt);
    }

    Timeline withPurge(Optional<Instant> startedAt, int attempts) {
        return new Timeline(cutoverAt, pause, pausedTotal, legalHold, ownerDone, remindersSent,
                startedAt, attempts, endedAt);
    }

    Timeline withEndedAt(Instant at) {
        return new Timeline(cutoverAt, pause, pausedTotal, legalHold, ownerDone, remindersSent,
                purgeStartedAt, purgeAttempts, Optional.of(at));
    }
}
