package io.offboard.exporter.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * JSON Lines: one compact JSON object per row, UTF-8, keys sorted at every level ({@link CanonicalJson}), each line
 * ended by {@code \n} (the last one too), nothing else. The same rows always give the same bytes.
 */
public final class JsonlWriter implements RowWriter {

    private final CountingStream out;
    private final JsonGenerator generator;
    private long rows;
    private Written written;

    /** Writes to {@code out}, which stays open. */
    public JsonlWriter(OutputStream out) throws IOException {
        this.out = new CountingStream(out);
        this.generator = CanonicalJson.factory().createGenerator(this.out);
        this.generator.setRootValueSeparator(null);
    }

    @Override
    public void write(ObjectNode row) throws IOException {
        if (written != null) {
            throw new IllegalStateException("writer is finished");
        }
        CanonicalJson.write(row, generator);
        generator.writeRaw('\n');
        rows++;
    }

    @Override
    public long rowsWritten() {
        return rows;
    }

    @Override
    public long bytesWritten() {
        return written != null ? written.bytes() : out.count + generator.getOutputBuffered();
    }

    @Override
    public Written finish() throws IOException {
        if (written == null) {
            generator.close(); // flushes; the target stays open (AUTO_CLOSE_TARGET is off)
            out.flush();
            written = new Written(rows, out.count);
        }
        return written;
    }

    /** Counts what passes through; never closes the stream below. */
    static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
