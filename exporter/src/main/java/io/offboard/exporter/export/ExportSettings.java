package io.offboard.exporter.export;

/**
 * @param partBytes    a table's rows go to one file until it would pass this size, then to numbered parts
 * @param scanSegments parallel-scan segments for tables found only by a filtered scan
 * @param pageSize     items per DynamoDB page (null: the service's 1 MB pages). 1000 by default: the same
 *                     order of size as 1 MB on real DynamoDB, and DynamoDB Local re-reads the rest of the
 *                     partition for every unlimited page, which made large exports quadratic there
 * @param threads      compression threads
 * @param sources      sources read at the same time, each on its own thread (the archive does not depend on it)
 * @param readAhead    pages per table segment read while the previous ones are converted and written, at least 1;
 *                     with {@code sources} it bounds the pages held in memory
 * @param objectReads  S3 objects of up to 1 MiB read at the same time, ahead of the one being written (at most
 *                     32 MiB ahead); 1 reads every object only when its turn comes. The archive does not depend on it
 */
public record ExportSettings(long partBytes, int scanSegments, Integer pageSize, int threads, int sources,
                             int readAhead, int objectReads) {

    public ExportSettings {
        if (sources < 1 || readAhead < 1 || objectReads < 1) {
            throw new IllegalArgumentException("sources, readAhead and objectReads must be at least 1");
        }
    }

    public static ExportSettings defaults() {
        return new ExportSettings(256L * 1024 * 1024, 4, 1000, Runtime.getRuntime().availableProcessors(), 3, 1, 8);
    }

    public ExportSettings withPartBytes(long bytes) {
        return new ExportSettings(bytes, scanSegments, pageSize, threads, sources, readAhead, objectReads);
    }

    public ExportSettings withPageSize(Integer size) {
        return new ExportSettings(partBytes, scanSegments, size, threads, sources, readAhead, objectReads);
    }

    public ExportSettings withSources(int count) {
        return new ExportSettings(partBytes, scanSegments, pageSize, threads, count, readAhead, objectReads);
    }

    public ExportSettings withReadAhead(int pages) {
        return new ExportSettings(partBytes, scanSegments, pageSize, threads, sources, pages, objectReads);
    }

    public ExportSettings withObjectReads(int count) {
        return new ExportSettings(partBytes, scanSegments, pageSize, threads, sources, readAhead, count);
    }
}
