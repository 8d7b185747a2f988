package io.offboard.lifecycle.eviction;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The deadline arithmetic of seed 003: cutover at 00:00 UTC of the eviction date, permanent deletion
 * 30 days later, shifted only by time the countdown spent paused for a platform-side failure. The deletion is
 * counted from the eviction date, never from when a sweep happened to run the cutover: a late sweep moves nothing.
 */
public final class RetentionWindow {

    /** Fixed by seed 003; there is no extension. */
    public static final Duration LENGTH = Duration.ofDays(30);

    private RetentionWindow() {
    }

    /** The moment the tenant is frozen when nobody cuts over early. */
    public static Instant scheduledCutover(LocalDate evictionDate) {
        return evictionDate.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Deletion is due at 00:00 UTC of the eviction date + 30 days + total paused time. */
    public static Instant deletionDue(LocalDate evictionDate, Duration pausedTotal) {
        return scheduledCutover(evictionDate).plus(LENGTH).plus(pausedTotal);
    }

    /** The deletion date announced before cutover, assuming the countdown is never paused. */
    public static Instant plannedDeletion(LocalDate evictionDate) {
        return deletionDue(evictionDate, Duration.ZERO);
    }
}
