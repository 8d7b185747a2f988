package io.offboard.exporter.export;

import java.util.Locale;

/** How table rows are written in the archive (seed 000: JSONL or Parquet). */
public enum ExportFormat {
    JSONL(".jsonl"),
    PARQUET(".parquet");

    private final String extension;

    ExportFormat(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExportFormat parse(String value) {
        for (ExportFormat format : values()) {
            if (format.id().equalsIgnoreCase(value.strip())) {
                return format;
            }
        }
        throw new IllegalArgumentException("format " + value + " is not one of jsonl, parquet");
    }
}
