package io.offboard.exporter.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed on several cores that is still ONE ordinary gzip member (RFC 1952), readable by
 * {@code gzip -t}, {@code tar xzf} and {@link java.util.zip.GZIPInputStream}.
 *
 * <p>Hand-rolled because nothing on Maven Central produces a parallel single-member gzip stream (the JDK's
 * {@code GZIPOutputStream} and commons-compress are single-threaded; the parallel Java gzip libraries write
 * one member per block). It is the pigz scheme:
 * <ul>
 *   <li>the uncompressed stream is cut into fixed {@value #BLOCK_SIZE}-byte blocks, so block boundaries
 *       depend only on the data, never on write sizes or thread timing;</li>
 *   <li>each block is raw-deflated on its own (any thread) with the previous block's last 32 KiB as preset
 *       dictionary ({@link Deflater#setDictionary}), so back-references still reach across the boundary and
 *       the ratio stays within a fraction of a percent of single-threaded gzip;</li>
 *   <li>every block but the last ends with {@link Deflater#SYNC_FLUSH} (byte-aligned, no final bit), the last
 *       one with {@link Deflater#finish()}; their outputs concatenated in order are one valid deflate stream;</li>
 *   <li>the header has mtime 0, no name and a fixed OS byte; the trailer's CRC-32 and ISIZE are computed over
 *       the uncompressed bytes in order, on the writing thread.</li>
 * </ul>
 * Each block's deflate output is a pure function of (dictionary, block, level, flush mode), so the stream is
 * byte-identical across runs and thread counts, including one thread (compressed inline).
 *
 * <p>Memory is bounded: at most {@code max(8, 2 × threads)} blocks are in flight (8 so that a writing thread
 * descheduled for a moment does not leave the compressors idle) and the writer waits for the oldest when the
 * window is full. Blocks and outputs live in pooled direct buffers, reused for the whole stream:
 * deflating from and to direct buffers never pins a heap array, so the compression threads do not hold the
 * JVM's GC locker (with {@code byte[]} they do, for the length of every deflate call, which starves GC and
 * stalls every allocating thread of the process), and steady-state allocation is nil.
 *
 * <p>{@link #flush()} never cuts a block (that would make the output depend on flush calls); it only flushes
 * completed output downstream. Not thread-safe: one writer thread.
 */
final class ParallelGzipOutputStream extends OutputStream {

    static final int BLOCK_SIZE = 256 * 1024;
    static final int DICTIONARY_SIZE = 32 * 1024;
    static final int LEVEL = 6;
    /** Room for a block's deflate output in the worst case (stored blocks), with margin; spills past it anyway. */
    static final int OUTPUT_SIZE = BLOCK_SIZE + (BLOCK_SIZE >> 6) + 1024;
    /** RFC 1952 OS byte: 3 = Unix, as written by gzip and pigz on Linux. Fixed, whatever the host. */
    private static final byte OS_UNIX = 3;

    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final OutputStream out;
    private final ExecutorService pool;
    private final BlockingQueue<Deflater> deflaters;
    private final Deflater inline;
    private final int maxInFlight;
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** Free block buffers; never more than maxInFlight + 2 exist (in flight, last written, being filled). */
    private final ArrayDeque<ByteBuffer> freeBlocks = new ArrayDeque<>();
    /** Free output buffers; never more than maxInFlight + 1 exist. Handed to a task when it is submitted. */
    private final ArrayDeque<ByteBuffer> freeOutputs = new ArrayDeque<>();
    private final int outputSize;
    private final byte[] copyOut = new byte[64 * 1024];
    private final CRC32 crc = new CRC32();
    private long uncompressed;

    private ByteBuffer block;
    /** The block submitted last: the next block's dictionary. */
    private ByteBuffer previous;
    /** Threaded mode: the block of the last written output, recycled when the next output is written. */
    private ByteBuffer lastWritten;
    private boolean closed;

    private record InFlight(Future<Compressed> result, ByteBuffer block) {
    }

    /** A block's deflate output: {@code spill} (may be null) then {@code tail}, flipped for reading. */
    private record Compressed(byte[] spill, ByteBuffer tail) {
    }

    /**
     * @param out     receives the gzip stream; closed by {@link #close()}
     * @param threads compression threads; 1 compresses inline on the writing thread (same output)
     */
    ParallelGzipOutputStream(OutputStream out, int threads) throws IOException {
        this(out, threads, OUTPUT_SIZE);
    }

    /** {@code outputSize} below a block's compressed size exercises the spill path (tests). */
    ParallelGzipOutputStream(OutputStream out, int threads, int outputSize) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.out = out;
        if (threads == 1) {
            this.pool = null;
            this.deflaters = null;
            this.inline = new Deflater(LEVEL, true);
            this.maxInFlight = 0;
        } else {
            int poolId = POOL_IDS.incrementAndGet();
            AtomicInteger threadIds = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, "gzip-" + poolId + "-" + threadIds.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            this.pool = Executors.newFixedThreadPool(threads, factory);
            this.deflaters = new ArrayBlockingQueue<>(threads); // created on demand, one per busy thread at most
            this.inline = null;
            this.maxInFlight = Math.max(8, 2 * threads);
        }
        this.outputSize = outputSize;
        this.block = ByteBuffer.allocateDirect(BLOCK_SIZE);
        // ID1 ID2 CM=deflate FLG=0 | MTIME=0 | XFL=0 | OS
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, OS_UNIX});
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("gzip stream already closed");
        }
        Objects.checkFromIndexSize(off, len, b.length);
        crc.update(b, off, len);
        uncompressed += len;
        while (len > 0) {
            if (!block.hasRemaining()) {
                // only cut a full block once more data arrives: the last block is the one close() finishes
                submit(false);
            }
            int n = Math.min(len, block.remaining());
            block.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    /** Flushes completed blocks downstream; never cuts the current block. */
    @Override
    public void flush() throws IOException {
        if (closed) {
            return;
        }
        writeDoneBlocks(false);
        out.flush();
    }

    /** Compresses the last block, writes the trailer, then closes the downstream stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            submit(true);
            writeDoneBlocks(true);
            long c = crc.getValue();
            long n = uncompressed & 0xffffffffL;
            out.write(new byte[] {
                (byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
                (byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
            out.close();
        } finally {
            release();
        }
    }

    /** Stops the compression threads and frees the deflaters without writing anything more. */
    void abort() {
        if (!closed) {
            release();
        }
    }

    private void release() {
        closed = true;
        for (InFlight f : inFlight) {
            f.result.cancel(true);
        }
        inFlight.clear();
        if (pool != null) {
            pool.shutdownNow();
            // a deflater still held by a cancelled task is freed by its cleaner once dropped
            Deflater d;
            while ((d = deflaters.poll()) != null) {
                d.end();
            }
        } else {
            inline.end();
        }
        block = null;
        previous = null;
        lastWritten = null;
        freeBlocks.clear();
        freeOutputs.clear();
    }

    private void submit(boolean last) throws IOException {
        ByteBuffer data = block.flip();
        ByteBuffer dictionary = dictionaryOf(previous);
        if (pool == null) {
            write(deflate(inline, data, dictionary, last, output()));
            if (previous != null) {
                freeBlocks.add(previous.clear()); // it was the dictionary of the block just written
            }
            previous = data;
        } else {
            if (inFlight.size() >= maxInFlight) {
                writeHead();
            }
            ByteBuffer output = output();
            Future<Compressed> result = pool.submit(() -> {
                Deflater polled = deflaters.poll();
                Deflater d = polled != null ? polled : new Deflater(LEVEL, true);
                try {
                    return deflate(d, data, dictionary, last, output);
                } finally {
                    if (!deflaters.offer(d)) {
                        d.end();
                    }
                }
            });
            inFlight.add(new InFlight(result, data));
            writeDoneBlocks(false);
            previous = data;
        }
        if (!last) {
            ByteBuffer next = freeBlocks.poll();
            block = next != null ? next : ByteBuffer.allocateDirect(BLOCK_SIZE);
        }
    }

    private ByteBuffer output() {
        ByteBuffer free = freeOutputs.poll();
        return free != null ? free : ByteBuffer.allocateDirect(outputSize);
    }

    /** The last 32 KiB of a full block, as a view (the block is not reused while a task may read it). */
    private static ByteBuffer dictionaryOf(ByteBuffer previousBlock) {
        if (previousBlock == null) {
            return null;
        }
        return previousBlock.duplicate().limit(BLOCK_SIZE).position(BLOCK_SIZE - DICTIONARY_SIZE);
    }

    /** Writes the finished blocks at the head of the queue, in order; all of them (waiting) when {@code all}. */
    private void writeDoneBlocks(boolean all) throws IOException {
        while (!inFlight.isEmpty() && (all || inFlight.peekFirst().result.isDone())) {
            writeHead();
        }
    }

    private void writeHead() throws IOException {
        InFlight head = inFlight.removeFirst();
        Compressed c;
        try {
            c = head.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("gzip compression failed: " + e.getCause(), e.getCause());
        }
        write(c);
        // the block written before this one was this one's dictionary: nobody reads it any more; this one is
        // the dictionary of the next block, which may still be in flight or not even submitted
        if (lastWritten != null) {
            freeBlocks.add(lastWritten.clear());
        }
        lastWritten = head.block;
    }

    private void write(Compressed c) throws IOException {
        if (c.spill != null) {
            out.write(c.spill);
        }
        ByteBuffer tail = c.tail;
        while (tail.hasRemaining()) {
            int n = Math.min(copyOut.length, tail.remaining());
            tail.get(copyOut, 0, n);
            out.write(copyOut, 0, n);
        }
        freeOutputs.add(tail.clear());
    }

    /**
     * Raw-deflates one block: preset dictionary = the last 32 KiB of the previous (always full) block, then
     * SYNC_FLUSH, or FINISH for the last block. A pure function of its arguments. Direct buffers only: no heap
     * array is pinned while zlib runs.
     */
    private static Compressed deflate(Deflater d, ByteBuffer data, ByteBuffer dictionary, boolean last,
                                      ByteBuffer output) {
        d.reset();
        if (dictionary != null) {
            d.setDictionary(dictionary.duplicate());
        }
        d.setInput(data.duplicate());
        if (last) {
            d.finish();
        }
        byte[] spill = null;
        output.clear();
        while (true) {
            if (last) {
                d.deflate(output, Deflater.NO_FLUSH);
            } else {
                d.deflate(output, Deflater.SYNC_FLUSH);
            }
            boolean done = last ? d.finished() : output.hasRemaining();
            if (done) {
                break;
            }
            // output full (incompressible data past the margin): keep what we have on the heap, go on
            output.flip();
            int had = spill == null ? 0 : spill.length;
            spill = spill == null ? new byte[output.remaining()] : Arrays.copyOf(spill, had + output.remaining());
            output.get(spill, had, output.remaining());
            output.clear();
        }
        return new Compressed(spill, output.flip());
    }
}
