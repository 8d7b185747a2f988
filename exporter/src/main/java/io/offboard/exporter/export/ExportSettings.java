package io.offboard.exporter.export;

/**
 * @param partBytes    a table's rows go to one file until it would pass this size, then to numbered parts
 * @param scanSegments parallel-scan segments for tables found only by a filtered scan
 * @param pageSize     items per DynamoDB page (null: the service's 1 MB pages). 1000 by default: the same
 *                     order of size as 1 MB on real DynamoDB, and DynamoDB Local re-reads the rest of the
 *                     partition for every unlimited page, which made large exports quadratic there
 * @param threads      compression threads
 */
public record ExportSettings(long partBytes, int scanSegments, Integer pageSize, int threads) {

    public static ExportSettings defaults() {
        return new ExportSettings(256L * 1024 * 1024, 4, 1000, Runtime.getRuntime().availableProcessors());
    }

    public ExportSettings withPartBytes(long bytes) {
        return new ExportSettings(bytes, scanSegments, pageSize, threads);
    }

    public ExportSettings withPageSize(Integer size) {
        return new ExportSettings(partBytes, scanSegments, size, threads);
    }
}
