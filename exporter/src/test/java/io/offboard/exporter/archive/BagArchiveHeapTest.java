package io.offboard.exporter.archive;

import static io.offboard.exporter.archive.ArchiveTestSupport.AS_OF;
import static io.offboard.exporter.archive.ArchiveTestSupport.BAG;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A payload far larger than anything the writer may hold, streamed from a generator (never in memory as a whole):
 * the heap live after GC, sampled while it is written, stays flat.
 */
class BagArchiveHeapTest {

    private static final long PAYLOAD = 200L << 20;
    private static final long SAMPLE_EVERY = 16L << 20;
    private static final long ALLOWED_GROWTH = 16L << 20;

    @ParameterizedTest
    @EnumSource(Compression.class)
    void heapDoesNotGrowWithThePayload(Compression compression) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        new Generator(0, null).read(); // its 4 MiB block of rows is not the writer's
        System.gc();
        long baseline = liveAfterGc();
        Generator generator = new Generator(PAYLOAD, memory);
        CountingSink sink = new CountingSink();
        long start = System.nanoTime();
        ArchiveResult result;
        try (BagArchiveWriter writer = new BagArchiveWriter(sink, compression, BAG, AS_OF, 2)) {
            writer.addPayload("big/rows.jsonl", PAYLOAD, generator);
            writer.addPayload("big/rows2.jsonl", 1000, new Generator(1000, null));
            result = writer.finish(Map.of());
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(result.bytes()).isEqualTo(sink.count).isLessThan(PAYLOAD / 3);
        assertThat(generator.samples).isGreaterThanOrEqualTo(10);
        long growth = generator.maxUsed - baseline;
        System.out.printf("%s: %d MiB payload in %.1f s, archive %d MiB, heap after GC at most %d MiB above baseline%n",
                compression, PAYLOAD >> 20, seconds, result.bytes() >> 20, growth >> 20);
        assertThat(growth).as("live heap growth while writing %d MiB", PAYLOAD >> 20).isLessThan(ALLOWED_GROWTH);
    }

    /**
     * Many small files (a tenant with a large number of S3 objects): the manifest's lines and the bookkeeping of
     * paths must not stay in memory, so the live heap is the same after the last file as after the first ones.
     */
    @org.junit.jupiter.api.Test
    void heapDoesNotGrowWithTheNumberOfFiles(@org.junit.jupiter.api.io.TempDir java.nio.file.Path spill) throws Exception {
        int files = 60_000;
        byte[] content = {'{', '}', '\n'};
        CountingSink sink = new CountingSink();
        long first = 0;
        long max = 0;
        try (BagArchiveWriter writer = new BagArchiveWriter(sink, Compression.GZIP, BAG, AS_OF, 2, spill)) {
            for (int i = 0; i < files; i++) {
                writer.addPayload(String.format("acme/s3/g3n-ord-attachments/acme/orders/ORD-%08d/attachment.json", i),
                        content.length, new java.io.ByteArrayInputStream(content));
                if (i == 5_000 || i == 30_000 || i == files - 1) {
                    System.gc();
                    long live = liveAfterGc();
                    if (i == 5_000) {
                        first = live;
                    }
                    max = Math.max(max, live);
                }
            }
            ArchiveResult result = writer.finish(Map.of());
            assertThat(result.bytes()).isEqualTo(sink.count);
        }
        System.out.printf("%d files: live heap after GC %d MiB after 5,000 files, at most %d MiB later%n", files,
                first >> 20, max >> 20);
        // the manifest alone is ~7 MiB of lines for these paths, their strings in a set about twice that
        assertThat(max - first).as("live heap growth over %d files", files).isLessThan(8L << 20);
        try (var left = java.nio.file.Files.list(spill)) {
            assertThat(left.count()).as("the spilled manifest is deleted").isZero();
        }
    }

    /**
     * Heap in use right after the last collection, summed over the heap pools: what survived it. (Plain "used"
     * also counts the regions other threads start filling between the collection and the reading.)
     */
    private static long liveAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }

    /** Realistic JSONL, produced on the fly by cycling a 4 MiB block of rows; samples the live heap now and then. */
    private static final class Generator extends InputStream {
        private static final byte[] ROWS = ArchiveTestSupport.jsonl(42, 4 << 20);
        private final long size;
        private final MemoryMXBean memory;
        private long pos;
        private long nextSample = SAMPLE_EVERY;
        long maxUsed;
        int samples;

        Generator(long size, MemoryMXBean memory) {
            this.size = size;
            this.memory = memory;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            if (memory != null && pos >= nextSample) {
                nextSample += SAMPLE_EVERY;
                System.gc();
                maxUsed = Math.max(maxUsed, liveAfterGc());
                samples++;
            }
            int at = (int) (pos % ROWS.length);
            int n = (int) Math.min(Math.min(len, ROWS.length - at), size - pos);
            System.arraycopy(ROWS, at, b, off, n);
            pos += n;
            return n;
        }
    }

    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
