package io.offboard.exporter.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ParallelGzipOutputStreamTest {

    private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;

    @Test
    void sizesAroundBlockBoundariesRoundTripIdenticallyForAnyThreadCount() throws IOException {
        byte[] data = ArchiveTestSupport.jsonl(7, 3 * BLOCK + 1000);
        for (int size : new int[] {0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, 3 * BLOCK + 17}) {
            byte[] input = Arrays.copyOf(data, size);
            byte[] one = gzip(input, 1, ParallelGzipOutputStream.OUTPUT_SIZE, 1);
            assertThat(gunzip(one)).as("size %d", size).isEqualTo(input);
            for (int threads : new int[] {2, 3, 8}) {
                assertThat(gzip(input, threads, ParallelGzipOutputStream.OUTPUT_SIZE, 4093))
                        .as("size %d, %d threads", size, threads).isEqualTo(one);
            }
        }
    }

    @Test
    void outputLargerThanItsBufferSpillsWithoutChangingTheStream() throws IOException {
        byte[] input = ArchiveTestSupport.random(8, 2 * BLOCK + 5000); // incompressible: stored blocks
        byte[] normal = gzip(input, 2, ParallelGzipOutputStream.OUTPUT_SIZE, 65536);
        assertThat(gzip(input, 2, 1000, 65536)).isEqualTo(normal);
        assertThat(gzip(input, 1, 1000, 65536)).isEqualTo(normal);
        assertThat(gunzip(normal)).isEqualTo(input);
    }

    private static byte[] gzip(byte[] input, int threads, int outputSize, int writeSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, threads, outputSize)) {
            for (int off = 0; off < input.length; off += writeSize) {
                gz.write(input, off, Math.min(writeSize, input.length - off));
                if (off % (3 * writeSize) == 0) {
                    gz.flush(); // flushes never change the stream
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }
}
