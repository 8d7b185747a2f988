package io.offboard.exporter.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * JSON Lines: one compact JSON object per row, UTF-8, keys sorted at every level ({@link CanonicalJson}), each line
 * ended by {@code \n} (the last one too), nothing else. The same rows always give the same bytes.
 */
public final class JsonlWriter implements RowWriter {

    private final OutputStream out;
    private final JsonEncoder encoder = new JsonEncoder();
    private long rows;
    private long bytes;
    private Written written;

    /** Writes to {@code out}, which stays open (it is buffered here, and flushed by {@link #finish}). */
    public JsonlWriter(OutputStream out) {
        this.out = new BufferedOutputStream(new NonClosing(out), 64 * 1024);
    }

    @Override
    public void write(ObjectNode row) throws IOException {
        if (written != null) {
            throw new IllegalStateException("writer is finished");
        }
        encoder.reset().write(row).raw((byte) '\n').writeTo(out);
        bytes += encoder.size();
        rows++;
    }

    @Override
    public long rowsWritten() {
        return rows;
    }

    @Override
    public long bytesWritten() {
        return bytes;
    }

    @Override
    public Written finish() throws IOException {
        if (written == null) {
            out.flush();
            written = new Written(rows, bytes);
        }
        return written;
    }

    /** Passes everything through; closing only flushes. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
