package io.offboard.exporter.format;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Compressor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Page compression for {@link ParquetWriter} without parquet-hadoop's codec factory, which instantiates Hadoop
 * codecs through a Hadoop {@code Configuration} (loading {@code core-default.xml} and any {@code core-site.xml} on
 * the class path). Each codec is called directly, one page at a time:
 * ZSTD (zstd-jni, level {@value #ZSTD_LEVEL}, parquet-hadoop's default), SNAPPY (snappy-java, raw blocks), GZIP
 * (the JDK's zlib; the header's modification time is 0), LZ4_RAW (aircompressor, pure Java) and UNCOMPRESSED.
 * zstd-jni and snappy-java carry their native libraries inside their jars; nothing needs Hadoop's native library.
 * Every codec is deterministic: the same page gives the same bytes. Write-only.
 */
final class PageCodecs implements CompressionCodecFactory {

    static final int ZSTD_LEVEL = 3;

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case UNCOMPRESSED -> compressor(codec, bytes -> bytes);
            case ZSTD -> compressor(codec, bytes -> Zstd.compress(bytes, ZSTD_LEVEL));
            case SNAPPY -> compressor(codec, Snappy::compress);
            case GZIP -> compressor(codec, PageCodecs::gzip);
            case LZ4_RAW -> compressor(codec, PageCodecs::lz4);
            default -> throw new IllegalArgumentException("unsupported Parquet codec " + codec
                    + " (use ZSTD, SNAPPY, GZIP, LZ4_RAW or UNCOMPRESSED)");
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        throw new UnsupportedOperationException("the export only writes Parquet");
    }

    @Override
    public void release() {
    }

    private interface Compress {
        byte[] apply(byte[] bytes) throws IOException;
    }

    private static BytesInputCompressor compressor(CompressionCodecName codec, Compress compress) {
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return codec == CompressionCodecName.UNCOMPRESSED ? bytes
                        : BytesInput.from(compress.apply(bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {
            }
        };
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] lz4(byte[] bytes) {
        Lz4Compressor lz4 = new Lz4Compressor();
        byte[] out = new byte[lz4.maxCompressedLength(bytes.length)];
        int length = lz4.compress(bytes, 0, bytes.length, out, 0, out.length);
        return Arrays.copyOf(out, length);
    }
}
