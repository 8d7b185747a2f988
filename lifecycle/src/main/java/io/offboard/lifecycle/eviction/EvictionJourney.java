package io.offboard.lifecycle.eviction;

import io.offboard.lifecycle.eviction.Timeline.Hold;
import io.offboard.lifecycle.eviction.Timeline.Mark;
import io.offboard.lifecycle.eviction.Timeline.Pause;
import io.offboard.lifecycle.eviction.Timeline.Reminder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The eviction state machine of seed 003, in one place: every transition, the state it needs, what it
 * records and what it must announce. Commands (from people) and steps (from sweeps) both come here; each
 * returns a {@link Decision} and never performs I/O. The caller stores a {@link Decision.Changed} record
 * with a conditional write, and the record's outbox carries the comments the change owes the issue.
 *
 * <pre>
 * NOTICE ──eviction date (00:00 UTC)──▶ CUTOVER ──deadline──▶ PURGING ──verified──▶ PURGED
 *   │                 deadline = eviction date 00:00 UTC + 30 days + paused time, whenever the cutover ran
 *   └──/cancel──▶ CANCELED          (no early cutover, no cancel, no extension after cutover: the clock is hard)
 * </pre>
 *
 * Orthogonal: a pause of the countdown (platform-side export failure; ends with a clean export; only time from
 * the eviction date on counts; the operators are reminded every 7 days, and the bot retries the export itself:
 * daily for a pause it detected, after {@code /export-fixed} for a declared one), a legal hold (blocks the purge),
 * the owner's {@code /done} (stops reminders, moves no clock). Reminders 7 days and 1 day before deletion, each
 * once.
 */
public final class EvictionJourney {

    /** While the countdown is paused, the operators are reminded this often. */
    public static final Duration PAUSE_REMINDER_EVERY = Duration.ofDays(7);
    /** While a pause the bot detected lasts, it retries the export this often (after a fix: at once, then this often). */
    public static final Duration EXPORT_RETRY_EVERY = Duration.ofDays(1);

    public static final String LABEL_OWNER_DONE = "eviction/owner-done";
    public static final String LABEL_FROZEN = "eviction/frozen";
    public static final String LABEL_PURGED = "eviction/purged";
    public static final String LABEL_CANCELED = "eviction/canceled";

    private final Clock clock;

    public EvictionJourney(Clock clock) {
        this.clock = clock;
    }

    /** What a command or step decided. */
    public sealed interface Decision {
        /** The record changed: store {@code next} conditionally, then deliver its outbox. */
        record Changed(Eviction next) implements Decision {
        }

        /** Nothing to do: it already happened (a repeat, or another sweep was first). */
        record Unchanged(String why) implements Decision {
        }

        /** Not allowed now; {@code why} is said to the person who asked. */
        record Refused(String why) implements Decision {
        }
    }

    /** The work a sweep finds due for a record. */
    public enum DueAction {
        CUTOVER,
        REMIND,
        PURGE,
        /** Tell the operators the countdown is still paused, and why. */
        REMIND_PAUSED,
        /** Start an export of the bot's own: a clean one ends the pause. */
        RETRY_EXPORT
    }

    // ---------------------------------------------------------------------------------------------- commands

    /** {@code /cancel}: ends the eviction, only before cutover. */
    public Decision cancel(Eviction e, String by) {
        Instant now = clock.instant();
        return switch (e.state()) {
            case NOTICE, INVALID -> change(e, EvictionState.CANCELED, e.timeline().withEndedAt(now), now,
                    comment(e, 0, "canceled", Map.of("actor", by)),
                    OutboxMessage.label(messageId(e, 1), LABEL_CANCELED),
                    refresh(e, 2));
            case CANCELED -> new Decision.Unchanged("already canceled");
            case CUTOVER, PURGING -> new Decision.Refused("the tenant was cut over at "
                    + e.timeline().cutoverAt().orElseThrow() + "; after cutover the 30-day clock is hard and "
                    + "cannot be canceled. Deletion is due at " + deletionDue(e, now) + ".");
            case PURGED -> new Decision.Refused("the tenant's data has already been deleted");
        };
    }

    /**
     * A platform-side export failure pauses the countdown: automatically when an export fails for a platform
     * reason or finds a registry gap ({@code declared = false}), or by an operator's {@code /export-failed}.
     */
    public Decision exportFailed(Eviction e, String reason, boolean declared) {
        Instant now = clock.instant();
        if (!e.state().exportable()) {
            return refusedForState(e, "pause the countdown of");
        }
        Optional<Pause> open = e.timeline().pause();
        if (open.isPresent()) {
            if (declared && !open.get().declared()) {
                // an operator confirms an automatic pause: from now on it also needs /export-fixed to end
                Pause confirmed = new Pause(open.get().since(), reason, true, Optional.empty(),
                        open.get().remindedAt(), open.get().retriedAt());
                return change(e, e.state(), e.timeline().withPause(Optional.of(confirmed), e.timeline().pausedTotal()),
                        now, refresh(e, 0));
            }
            return new Decision.Unchanged("the countdown is already paused since " + open.get().since());
        }
        Pause pause = Pause.opened(now, reason, declared);
        return change(e, e.state(), e.timeline().withPause(Optional.of(pause), e.timeline().pausedTotal()), now,
                comment(e, 0, "paused", Map.of("reason", reason, "declared", Boolean.toString(declared))),
                refresh(e, 1));
    }

    /** {@code /export-fixed}: the countdown resumes when the next clean export completes. */
    public Decision exportFixed(Eviction e, String by) {
        Instant now = clock.instant();
        Optional<Pause> open = e.timeline().pause();
        if (open.isEmpty()) {
            return new Decision.Refused("the retention countdown is not paused");
        }
        if (open.get().fixedAt().isPresent()) {
            return new Decision.Unchanged("already marked fixed at " + open.get().fixedAt().get());
        }
        Pause fixed = open.get().fixed(now);
        return change(e, e.state(), e.timeline().withPause(Optional.of(fixed), e.timeline().pausedTotal()), now,
                comment(e, 0, "export-fixed", Map.of("actor", by)), refresh(e, 1));
    }

    /**
     * A clean export of the tenant completed. It ends an automatic pause if it was requested after the
     * pause began, and a declared pause if it was requested after {@code /export-fixed}.
     */
    public Decision cleanExport(Eviction e, Instant exportRequestedAt) {
        Instant now = clock.instant();
        Optional<Pause> open = e.timeline().pause();
        if (open.isEmpty()) {
            return new Decision.Unchanged("the countdown is not paused");
        }
        Pause pause = open.get();
        boolean afterPause = !exportRequestedAt.isBefore(pause.since());
        boolean afterFix = !pause.declared()
                || pause.fixedAt().map(fixed -> !exportRequestedAt.isBefore(fixed)).orElse(false);
        if (!afterPause || !afterFix) {
            return new Decision.Unchanged(pause.declared() && pause.fixedAt().isEmpty()
                    ? "an operator paused the countdown; it resumes after `/export-fixed` and a clean export"
                    : "that export was requested before the pause or the fix");
        }
        Duration counted = countedPause(e, pause, now);
        Duration total = e.timeline().pausedTotal().plus(counted);
        return changeAnnouncing(e, e.state(), e.timeline().withPause(Optional.empty(), total), now, next -> List.of(
                comment(e, 0, "resumed", Map.of("pausedFor", counted.toString(), "deletionAt", deletionAt(next, now),
                        "timeLeft", deletionDue(next, now).map(d -> Duration.between(now, d))
                                .filter(d -> !d.isNegative()).orElse(Duration.ZERO).toString())),
                refresh(e, 1)));
    }

    /** {@code /legal-hold on <reason>}: the purge waits while the hold is on. */
    public Decision legalHoldOn(Eviction e, String by, String reason) {
        Instant now = clock.instant();
        if (!e.state().holdsTenant()) {
            return refusedForState(e, "hold");
        }
        if (e.timeline().legalHold().isPresent()) {
            return new Decision.Unchanged("a legal hold is already on since " + e.timeline().legalHold().get().since());
        }
        return change(e, e.state(), e.timeline().withLegalHold(Optional.of(new Hold(by, reason, now))), now,
                comment(e, 0, "legal-hold-on", Map.of("actor", by, "reason", reason)), refresh(e, 1));
    }

    /** {@code /legal-hold off}: a purge whose deadline has passed runs at the next sweep. */
    public Decision legalHoldOff(Eviction e, String by) {
        Instant now = clock.instant();
        if (e.timeline().legalHold().isEmpty()) {
            return new Decision.Unchanged("there is no legal hold");
        }
        return changeAnnouncing(e, e.state(), e.timeline().withLegalHold(Optional.empty()), now, next -> List.of(
                comment(e, 0, "legal-hold-off", Map.of("actor", by, "deletionAt", deletionAt(next, now))),
                refresh(e, 1)));
    }

    /** The owner's {@code /done}: recorded and acknowledged; no clock moves. */
    public Decision ownerDone(Eviction e, String by) {
        Instant now = clock.instant();
        if (!e.state().holdsTenant()) {
            return refusedForState(e, "mark done");
        }
        if (e.timeline().ownerDone().isPresent()) {
            return new Decision.Unchanged("done was already recorded at " + e.timeline().ownerDone().get().at());
        }
        return change(e, e.state(), e.timeline().withOwnerDone(new Mark(by, now)), now,
                comment(e, 0, "done", Map.of("actor", by, "deletionAt", deletionAt(e, now))),
                OutboxMessage.label(messageId(e, 1), LABEL_OWNER_DONE), refresh(e, 2));
    }

    // ------------------------------------------------------------------------------------------------- steps

    /**
     * The cutover, once the caller has set the tenant to export-only in the platform: records the snapshot
     * time and announces it. A pause opened before cutover counts only from here.
     */
    public Decision cutover(Eviction e) {
        Instant now = clock.instant();
        if (due(e, now).filter(DueAction.CUTOVER::equals).isEmpty()) {
            return new Decision.Unchanged("no cutover is due");
        }
        // an open pause keeps its own start (a clean export is judged against it); only time after cutover counts
        return changeAnnouncing(e, EvictionState.CUTOVER, e.timeline().withCutoverAt(now), now, frozen -> List.of(
                comment(e, 0, "cutover", Map.of("tenant", e.tenant(), "snapshotAt", now.toString(),
                        "deletionAt", deletionAt(frozen, now))),
                new OutboxMessage(messageId(e, 1), OutboxMessage.Kind.DISPATCH_TEARDOWN,
                        Map.of("tenant", e.tenant(), "issue", e.id().toString())),
                OutboxMessage.label(messageId(e, 2), LABEL_FROZEN),
                refresh(e, 3)));
    }

    /** The countdown has been paused for another week: the operators are told how long, and what failed. */
    public Decision remindPaused(Eviction e) {
        Instant now = clock.instant();
        if (due(e, now).filter(DueAction.REMIND_PAUSED::equals).isEmpty()) {
            return new Decision.Unchanged("no reminder of the pause is due");
        }
        Pause pause = e.timeline().pause().orElseThrow();
        return change(e, e.state(), e.timeline().withPause(Optional.of(pause.reminded(now)),
                        e.timeline().pausedTotal()), now,
                comment(e, 0, "paused-reminder", Map.of("since", pause.since().toString(),
                        "pausedFor", Duration.between(pause.since(), now).toString(), "reason", pause.reason(),
                        "declared", Boolean.toString(pause.declared()),
                        "fixed", Boolean.toString(pause.fixedAt().isPresent()))),
                refresh(e, 1));
    }

    /** The bot starts an export of its own to end the pause: recorded, so the next is a day later. */
    public Decision exportRetried(Eviction e) {
        Instant now = clock.instant();
        if (due(e, now).filter(DueAction.RETRY_EXPORT::equals).isEmpty()) {
            return new Decision.Unchanged("no export retry is due");
        }
        Pause pause = e.timeline().pause().orElseThrow();
        return change(e, e.state(), e.timeline().withPause(Optional.of(pause.retried(now)),
                e.timeline().pausedTotal()), now);
    }

    /** The reminder that is due (the latest one whose time has come; an earlier unsent one is skipped). */
    public Decision remind(Eviction e) {
        Instant now = clock.instant();
        if (due(e, now).filter(DueAction.REMIND::equals).isEmpty()) {
            return new Decision.Unchanged("no reminder is due");
        }
        Instant deadline = deletionDue(e, now).orElseThrow();
        Reminder reminder = dueReminder(e, deadline, now).orElseThrow();
        Set<Reminder> sent = EnumSet.noneOf(Reminder.class);
        sent.addAll(e.timeline().remindersSent());
        Stream.of(Reminder.values()).filter(r -> r.before().compareTo(reminder.before()) >= 0).forEach(sent::add);
        // the time really left: a reminder sent late (after a legal hold was lifted) must not promise more
        long daysLeft = Math.max(1, (Duration.between(now, deadline).toHours() + 23) / 24);
        return change(e, e.state(), e.timeline().withRemindersSent(sent), now,
                comment(e, 0, "reminder", Map.of("days", Long.toString(Math.min(daysLeft, reminder.days())),
                        "deletionAt", deadline.toString())));
    }

    /** The deadline has passed, no hold, no pause: the purge begins (and resumes from its checkpoint). */
    public Decision startPurge(Eviction e) {
        Instant now = clock.instant();
        if (e.state() == EvictionState.PURGING) {
            return new Decision.Unchanged("the purge is already under way");
        }
        if (due(e, now).filter(DueAction.PURGE::equals).isEmpty()) {
            return new Decision.Unchanged("no purge is due");
        }
        return change(e, EvictionState.PURGING,
                e.timeline().withPurge(Optional.of(now), e.timeline().purgeAttempts()), now, refresh(e, 0));
    }

    /**
     * The purge attempt found residuals, or failed: the purge is not done. It is retried after a growing
     * delay ({@link #purgeRetryDelay}); the issue is alerted on the first attempt and then every
     * {@link #ALERT_EVERY} attempts, so a stubborn residual does not flood the thread.
     */
    public Decision purgeIncomplete(Eviction e, String what) {
        Instant now = clock.instant();
        if (e.state() != EvictionState.PURGING) {
            return refusedForState(e, "retry the purge of");
        }
        int attempts = e.timeline().purgeAttempts() + 1;
        Timeline timeline = e.timeline().withPurge(e.timeline().purgeStartedAt(), attempts);
        if (attempts != 1 && attempts % ALERT_EVERY != 0) {
            return change(e, EvictionState.PURGING, timeline, now);
        }
        return change(e, EvictionState.PURGING, timeline, now,
                comment(e, 0, "purge-incomplete", Map.of("residuals", what, "attempt", Integer.toString(attempts),
                        "retryAt", now.plus(purgeRetryDelay(attempts)).toString())));
    }

    /** Attempts between two alerts about a purge that does not complete. */
    public static final int ALERT_EVERY = 5;

    /** How long after an incomplete attempt the purge is tried again: 15 minutes, doubling, at most a day. */
    public static Duration purgeRetryDelay(int attempts) {
        if (attempts <= 0) {
            return Duration.ZERO;
        }
        Duration delay = Duration.ofMinutes(15).multipliedBy(1L << Math.min(attempts - 1, 10));
        return delay.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1) : delay;
    }

    /** Deleted and verified with zero residuals: the receipt, the label, and the issue closes. */
    public Decision purged(Eviction e, String reportId) {
        Instant now = clock.instant();
        if (e.state() == EvictionState.PURGED) {
            return new Decision.Unchanged("already purged");
        }
        if (e.state() != EvictionState.PURGING) {
            return refusedForState(e, "finish the purge of");
        }
        return change(e, EvictionState.PURGED, e.timeline().withEndedAt(now), now,
                comment(e, 0, "receipt", Map.of("report", reportId, "tenant", e.tenant(), "purgedAt", now.toString(),
                        "startedAt", e.timeline().purgeStartedAt().orElse(now).toString())),
                OutboxMessage.label(messageId(e, 1), LABEL_PURGED),
                new OutboxMessage(messageId(e, 2), OutboxMessage.Kind.CLOSE_ISSUE, Map.of()),
                refresh(e, 3));
    }

    // ------------------------------------------------------------------------------------------------ clocks

    /**
     * When the tenant's data will be deleted (seed 003's hard wall): 00:00 UTC of the eviction date + 30 days + the
     * time the countdown was paused (an open pause counted up to {@code now}), whenever the cutover sweep ran.
     */
    public Optional<Instant> deletionDue(Eviction e, Instant now) {
        if (e.evictionDate() == null) {
            return Optional.empty();
        }
        Duration open = e.timeline().pause().map(p -> countedPause(e, p, now)).orElse(Duration.ZERO);
        return Optional.of(RetentionWindow.deletionDue(e.evictionDate(), e.timeline().pausedTotal().plus(open)));
    }

    /** The step a sweep must take now, if any. */
    public Optional<DueAction> due(Eviction e, Instant now) {
        Timeline t = e.timeline();
        switch (e.state()) {
            case NOTICE -> {
                Optional<Instant> at = cutoverTime(e);
                if (at.isPresent() && !now.isBefore(at.get())) {
                    return Optional.of(DueAction.CUTOVER);
                }
                return pauseStep(t, now);
            }
            case CUTOVER -> {
                if (t.pause().isPresent()) {
                    return pauseStep(t, now);
                }
                if (t.legalHold().isPresent()) {
                    return Optional.empty();
                }
                Instant deadline = deletionDue(e, now).orElseThrow();
                if (!now.isBefore(deadline)) {
                    return Optional.of(DueAction.PURGE);
                }
                return dueReminder(e, deadline, now).map(r -> DueAction.REMIND);
            }
            case PURGING -> {
                // a purge under way is due again at once (to resume it); after an incomplete attempt, after a delay
                boolean resumable = t.legalHold().isEmpty() && !now.isBefore(purgeRetryAt(e));
                return resumable ? Optional.of(DueAction.PURGE) : Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** While paused: remind the operators weekly; retry the export (see {@link #exportRetryAt}). */
    private static Optional<DueAction> pauseStep(Timeline t, Instant now) {
        if (t.pause().isEmpty()) {
            return Optional.empty();
        }
        Pause pause = t.pause().get();
        if (!now.isBefore(pauseReminderAt(pause))) {
            return Optional.of(DueAction.REMIND_PAUSED);
        }
        return exportRetryAt(pause).filter(at -> !now.isBefore(at)).map(at -> DueAction.RETRY_EXPORT);
    }

    private static Instant pauseReminderAt(Pause pause) {
        return pause.remindedAt().orElse(pause.since()).plus(PAUSE_REMINDER_EVERY);
    }

    /**
     * When the bot next runs an export of its own to end a pause: for a pause it detected, a day after the pause
     * (or its last retry); for a declared one, at once after {@code /export-fixed}, then daily; never before.
     */
    private static Optional<Instant> exportRetryAt(Pause pause) {
        if (pause.declared()) {
            return pause.fixedAt().map(fixed -> pause.retriedAt().filter(r -> !r.isBefore(fixed))
                    .map(r -> r.plus(EXPORT_RETRY_EVERY)).orElse(fixed));
        }
        return Optional.of(pause.retriedAt().orElse(pause.since()).plus(EXPORT_RETRY_EVERY));
    }

    /**
     * The earliest time {@link #due} will return a step, for the store's due index; empty when only an event
     * (a command, a clean export) can make something due. Consistent with {@link #due}: at and after this
     * time a step is due, before it none is.
     */
    public static Optional<Instant> nextDue(Eviction e) {
        Timeline t = e.timeline();
        return switch (e.state()) {
            case NOTICE -> earliest(Stream.concat(cutoverTime(e).stream(), pauseTimes(t)));
            case CUTOVER -> {
                if (t.pause().isPresent()) {
                    yield earliest(pauseTimes(t));
                }
                if (t.legalHold().isPresent()) {
                    yield Optional.empty();
                }
                Instant deadline = RetentionWindow.deletionDue(e.evictionDate(), t.pausedTotal());
                List<Instant> candidates = new ArrayList<>();
                candidates.add(deadline);
                if (t.ownerDone().isEmpty()) {
                    Stream.of(Reminder.values()).filter(r -> !t.remindersSent().contains(r))
                            .map(r -> deadline.minus(r.before())).forEach(candidates::add);
                }
                yield earliest(candidates.stream());
            }
            case PURGING -> t.legalHold().isPresent() ? Optional.empty() : Optional.of(purgeRetryAt(e));
            default -> Optional.empty();
        };
    }

    private static Stream<Instant> pauseTimes(Timeline t) {
        return t.pause().stream().flatMap(p -> Stream.concat(Stream.of(pauseReminderAt(p)), exportRetryAt(p).stream()));
    }

    private static Optional<Instant> earliest(Stream<Instant> times) {
        return times.min(Instant::compareTo);
    }

    private static Instant purgeRetryAt(Eviction e) {
        return e.updatedAt().plus(purgeRetryDelay(e.timeline().purgeAttempts()));
    }

    private static Optional<Instant> cutoverTime(Eviction e) {
        return Optional.ofNullable(e.evictionDate()).map(RetentionWindow::scheduledCutover);
    }

    private static Optional<Reminder> dueReminder(Eviction e, Instant deadline, Instant now) {
        if (e.timeline().ownerDone().isPresent()) {
            return Optional.empty();
        }
        // the latest reminder whose time has come; Reminder values run from earliest to latest
        Optional<Reminder> due = Optional.empty();
        for (Reminder r : Reminder.values()) {
            if (!now.isBefore(deadline.minus(r.before())) && !e.timeline().remindersSent().contains(r)) {
                due = Optional.of(r);
            }
        }
        return due;
    }

    /** Paused time that moves the deadline: only the part from the eviction date (00:00 UTC) on counts. */
    private static Duration countedPause(Eviction e, Pause pause, Instant now) {
        if (e.evictionDate() == null) {
            return Duration.ZERO;
        }
        Instant evictionStart = RetentionWindow.scheduledCutover(e.evictionDate());
        Instant from = pause.since().isBefore(evictionStart) ? evictionStart : pause.since();
        return now.isAfter(from) ? Duration.between(from, now) : Duration.ZERO;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Decision change(Eviction e, EvictionState state, Timeline timeline, Instant now,
                                   OutboxMessage... messages) {
        return new Decision.Changed(e.changed(state, timeline, List.of(messages), now));
    }

    /** A change whose messages quote the changed record, e.g. the deletion time it leads to. */
    private static Decision changeAnnouncing(Eviction e, EvictionState state, Timeline timeline, Instant now,
                                             Function<Eviction, List<OutboxMessage>> messagesAbout) {
        Eviction next = e.changed(state, timeline, List.of(), now);
        return new Decision.Changed(e.changed(state, timeline, messagesAbout.apply(next), now));
    }

    /** The deletion time as a message fact. */
    private String deletionAt(Eviction e, Instant now) {
        return deletionDue(e, now).map(Instant::toString).orElse("");
    }

    private static Decision refusedForState(Eviction e, String verb) {
        String why = switch (e.state()) {
            case INVALID -> "the eviction form still has problems (see the status comment)";
            case NOTICE -> "the tenant has not been cut over yet";
            case CUTOVER -> "the tenant was already cut over at " + e.timeline().cutoverAt().orElseThrow();
            case PURGING -> "the purge of the tenant's data is under way";
            case PURGED -> "the tenant's data has already been deleted";
            case CANCELED -> "the eviction was canceled";
        };
        return new Decision.Refused("cannot " + verb + " this eviction: " + why);
    }

    /** Message ids are unique per record: the revision the change will be stored at, and a position. */
    private static String messageId(Eviction e, int position) {
        return "r" + (e.revision() + 1) + "." + position;
    }

    private static OutboxMessage comment(Eviction e, int position, String template, Map<String, String> facts) {
        return OutboxMessage.comment(messageId(e, position), template, facts);
    }

    private static OutboxMessage refresh(Eviction e, int position) {
        return new OutboxMessage(messageId(e, position), OutboxMessage.Kind.REFRESH_STATUS, Map.of());
    }
}
