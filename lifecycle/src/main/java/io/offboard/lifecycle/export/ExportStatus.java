package io.offboard.lifecycle.export;

/** An export's life (the UTL export-only statuses of seed 002). */
public enum ExportStatus {
    REQUESTED,
    EXPORTING,
    /**
     * The deletion time came while it ran: its worker is to stop (it still holds the tenant's export claim, so no
     * purge deletes under a worker that may still write). The UTL API shows it as exporting.
     */
    CANCELING,
    EXPORTED,
    FAILED,
    CANCELED;

    public boolean running() {
        return this == REQUESTED || this == EXPORTING || this == CANCELING;
    }
}
