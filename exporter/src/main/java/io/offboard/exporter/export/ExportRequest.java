package io.offboard.exporter.export;

import io.offboard.exporter.archive.Compression;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * What to export.
 *
 * @param asOf     the data's as-of time written on every row: the export's start while the tenant is live,
 *                 the snapshot (cutover) time afterwards; also the archive's entry time, so two exports of
 *                 the same frozen snapshot are byte-identical
 * @param snapshot true after cutover, when the data is frozen
 */
public record ExportRequest(String orgcode, ExportFormat format, Compression compression, Instant asOf,
                            boolean snapshot) {

    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    public ExportRequest {
        Objects.requireNonNull(orgcode, "orgcode");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(asOf, "asOf");
    }

    /** {@code offboard-<orgcode>-<as-of UTC>}: the bag's directory and the archive's base name. */
    public String bagName() {
        return "offboard-" + orgcode + "-" + COMPACT.format(asOf);
    }

    public String archiveName() {
        return bagName() + compression.extension();
    }
}
