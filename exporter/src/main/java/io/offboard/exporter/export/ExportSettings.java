package io.offboard.exporter.export;

/**
 * @param partBytes    a table's rows go to one file until it would pass this size, then to numbered parts
 * @param scanSegments parallel-scan segments for tables found only by a filtered scan
 * @param pageSize     DynamoDB page size (null: the service's default, 1 MB pages)
 * @param threads      compression threads
 */
public record ExportSettings(long partBytes, int scanSegments, Integer pageSize, int threads) {

    public static ExportSettings defaults() {
        return new ExportSettings(256L * 1024 * 1024, 4, null, Runtime.getRuntime().availableProcessors());
    }

    public ExportSettings withPartBytes(long bytes) {
        return new ExportSettings(bytes, scanSegments, pageSize, threads);
    }

    public ExportSettings withPageSize(Integer size) {
        return new ExportSettings(partBytes, scanSegments, size, threads);
    }
}
