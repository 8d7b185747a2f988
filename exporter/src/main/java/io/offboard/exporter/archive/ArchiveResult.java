package io.offboard.exporter.archive;

/**
 * What a {@link BagArchiveWriter} wrote to its sink, computed while writing.
 *
 * @param sha256 lower-case hex SHA-256 of every byte written to the sink (what {@code sha256sum} prints)
 * @param bytes  number of bytes written to the sink
 */
public record ArchiveResult(String sha256, long bytes) {
}
