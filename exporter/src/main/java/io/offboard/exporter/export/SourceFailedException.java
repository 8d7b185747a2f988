package io.offboard.exporter.export;

import java.io.IOException;

/**
 * A registry source could not be read (or written into the archive): a platform-side failure, named by
 * its source so the owner and the operator see where, and so the retention countdown can be paused.
 */
public class SourceFailedException extends IOException {

    private final String source;

    public SourceFailedException(String source, Throwable cause) {
        super(source + " could not be read: " + rootMessage(cause), cause);
        this.source = source;
    }

    /** e.g. {@code ord/ord_orders} or {@code ord/s3/g3n-ord-attachments}. */
    public String source() {
        return source;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
