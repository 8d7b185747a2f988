package io.offboard.exporter.export;

import io.offboard.exporter.archive.ArchiveResult;
import io.offboard.exporter.manifest.ExportManifest;

/** A finished export: the archive's name, SHA-256 and size, and its manifest (counts per service and source). */
public record ExportOutcome(String archiveName, ArchiveResult archive, ExportManifest manifest) {
}
