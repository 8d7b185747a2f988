package io.offboard.exporter.archive;

import java.util.Locale;

/** How the tar of an export archive is compressed. */
public enum Compression {
    /** A single gzip member, compressed in parallel (see {@link ParallelGzipOutputStream}). The default. */
    GZIP(".tar.gz"),
    /** One zstd frame (level 3, content checksum), compressed by zstd's own worker threads. */
    ZSTD(".tar.zst");

    private final String extension;

    Compression(String extension) {
        this.extension = extension;
    }

    /** The archive file name extension, with its leading dot: {@code .tar.gz} or {@code .tar.zst}. */
    public String extension() {
        return extension;
    }

    /** Parses {@code gzip} or {@code zstd} (case-insensitive, surrounding blanks ignored). */
    public static Compression parse(String value) {
        if (value != null) {
            switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "gzip":
                    return GZIP;
                case "zstd":
                    return ZSTD;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("unknown compression '" + value + "': expected gzip or zstd");
    }
}
