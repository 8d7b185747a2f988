package io.offboard.exporter.purge;

/**
 * The purge could not finish: a delete stayed unprocessed after every retry, S3 refused a key, or a deleted entry
 * is still listed. Nothing is reported as done; the stored progress lets a later run resume.
 */
public class PurgeFailedException extends RuntimeException {
    public PurgeFailedException(String message) {
        super(message);
    }

    public PurgeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
