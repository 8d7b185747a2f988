package io.offboard.exporter.purge;

/**
 * Told after every recorded batch (and when a source is finished), so a long purge can show progress. Called on
 * the purging thread after the progress is saved: an exception thrown here stops the purge at a resumable point.
 */
@FunctionalInterface
public interface PurgeListener {

    PurgeListener NONE = (source, counts, sourceDone) -> { };

    /**
     * @param source     {@link PurgeSource#id()}
     * @param counts     deleted from that source so far (found so far, for a dry run)
     * @param sourceDone whether the source is finished
     */
    void progress(String source, PurgeCounts counts, boolean sourceDone);
}
