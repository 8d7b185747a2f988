package io.offboard.lifecycle.export;

/**
 * Who a failed export is down to. Seed 003: only a platform-side failure (the tooling or the data hosting,
 * including a registry gap) pauses the retention countdown; a problem in the owner's own checking never does.
 */
public enum FailureCause {
    /** A source could not be read, the registry has a gap, the archive could not be stored. */
    PLATFORM,
    /** The request itself was wrong (unknown format, tenant already purged). */
    REQUEST
}
