package io.offboard.exporter.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;

/**
 * Writes export rows (see {@link ExportRow}) to one file of a table. A writer never closes the stream it was given:
 * the caller owns it (a spool file, a tar entry, a multipart part). Splitting a table into parts is the caller's
 * job: it watches {@link #bytesWritten()} and starts a new writer past its limit.
 */
public interface RowWriter extends Closeable {

    /** Appends one row. */
    void write(ObjectNode row) throws IOException;

    /** Rows written so far. */
    long rowsWritten();

    /**
     * Bytes of output so far: exact for JSONL; for Parquet the bytes already on the stream plus the writer's
     * estimate of the row group it still buffers (exact once finished).
     */
    long bytesWritten();

    /**
     * Completes the file (Parquet: the last row group and the footer), flushes the stream and returns the totals.
     * Idempotent: a second call returns the same totals.
     */
    Written finish() throws IOException;

    /** Same as {@link #finish()}. */
    @Override
    default void close() throws IOException {
        finish();
    }

    /** What a finished writer produced. */
    record Written(long rows, long bytes) {
    }
}
