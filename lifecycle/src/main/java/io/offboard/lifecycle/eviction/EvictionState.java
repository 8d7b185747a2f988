package io.offboard.lifecycle.eviction;

/**
 * Where an eviction stands in the journey of seed 003: the notice period while the tenant is live,
 * cutover (frozen, export-only), purging and purged on day 30, plus the two ends that never reach a purge.
 */
public enum EvictionState {
    /** The issue form did not validate; the status comment lists the problems until an edit fixes them. */
    INVALID,
    /** Phase A: accepted, tenant still live, exports read live data. */
    NOTICE,
    /** Phase B/C: tenant frozen in export-only mode; the 30-day retention window runs. */
    CUTOVER,
    /** Day 30: the purge of every tier is under way. */
    PURGING,
    /** Everything deleted and verified; the receipt is posted. */
    PURGED,
    /** Ended by an operator before cutover. */
    CANCELED;

    /** An open eviction holds its tenant: no second eviction of the same tenant may be filed. */
    public boolean holdsTenant() {
        return this == NOTICE || this == CUTOVER || this == PURGING;
    }

    /**
     * The tenant's data is still there to export (live, or frozen after cutover), and a platform-side export
     * failure can still pause the countdown: not once the purge has begun, nor for a form never accepted.
     */
    public boolean exportable() {
        return this == NOTICE || this == CUTOVER;
    }
}
