package io.offboard.lifecycle.export;

/** An export's life (the UTL export-only statuses of seed 002). */
public enum ExportStatus {
    REQUESTED,
    EXPORTING,
    EXPORTED,
    FAILED,
    CANCELED;

    public boolean running() {
        return this == REQUESTED || this == EXPORTING;
    }
}
