package io.offboard.exporter.export;

/**
 * Told as an export moves on; a comment or a terminal shows it. Called one call at a time, from the exporting
 * thread or from the threads reading the sources, so an implementation needs no locking of its own.
 */
public interface ExportProgress {

    /**
     * @param percent        0..100, by sources read (reading is 90 %) then bytes packed
     * @param currentService the service being read or packed
     */
    void update(int percent, String currentService);

    /** A page of rows reached the spool file but not yet the checkpoint (tests stop the worker here). */
    default void pageSpooled(String source) {
    }

    ExportProgress NONE = (percent, service) -> { };
}
