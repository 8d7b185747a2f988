package io.offboard.exporter.export;

import java.io.IOException;

/**
 * A registry source could not be read (or its data not written into the archive): a platform-side failure,
 * named by its service and table or bucket so the owner and the operator see where, and so the retention
 * countdown can be paused. {@link #source()} is what may be shown to the owner: it names the source and nothing
 * of its content (no object key, no exception text); {@link #getMessage()} and the cause carry the details for the
 * log and the audit entry.
 */
public class SourceFailedException extends IOException {

    /** What kind of source failed. */
    public enum Kind {
        TABLE("DynamoDB table"),
        BUCKET("S3 bucket");

        private final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    private final String service;
    private final Kind kind;
    private final String name;

    public SourceFailedException(String service, Kind kind, String name, Throwable cause) {
        super(kind.words + " " + name + " of service " + service + " could not be read: " + details(cause), cause);
        this.service = service;
        this.kind = kind;
        this.name = name;
    }

    /** For the owner, e.g. {@code S3 bucket `g3n-ord-attachments` of service `ord`}. */
    public String source() {
        return kind.words + " `" + name + "` of service `" + service + "`";
    }

    public String service() {
        return service;
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** Every message of the cause chain: for the log and the audit entry only. */
    public static String details(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (out.length() > 0) {
                out.append(" <- ");
            }
            out.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) {
                out.append(": ").append(c.getMessage());
            }
            if (out.length() > 2000) {
                break;
            }
        }
        return out.toString();
    }
}
