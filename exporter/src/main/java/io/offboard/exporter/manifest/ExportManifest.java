package io.offboard.exporter.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * {@code data/manifest.json} of an export archive: what was exported from where, how many items and bytes,
 * in which files. The offline verifier checks the files against these counts.
 *
 * @param exportedAtUtc the data's as-of time: the export's start while the tenant is live, the snapshot
 *                      time after cutover; every row carries the same value
 * @param snapshot      true when the data is the frozen final snapshot (after cutover)
 */
public record ExportManifest(
        String orgcode,
        String format,
        Instant exportedAtUtc,
        boolean snapshot,
        String registryVersion,
        List<ServiceSummary> services,
        Totals totals,
        CostSummary costSummary) {

    public ExportManifest {
        services = List.copyOf(services);
    }

    /** Per service: every source read for the tenant. */
    public record ServiceSummary(String service, List<SourceSummary> sources, CostSummary costSummary) {
        public ServiceSummary {
            sources = List.copyOf(sources);
        }

        /** Table items of the service, all its tables together. */
        public long tableItems() {
            return count(SourceSummary.DYNAMODB);
        }

        /** S3 objects of the service, all its buckets together. */
        public long objectCount() {
            return count(SourceSummary.S3);
        }

        private long count(String kind) {
            return sources.stream().filter(s -> s.kind().equals(kind)).mapToLong(SourceSummary::items).sum();
        }
    }

    /**
     * One source: a DynamoDB table ({@code kind = dynamodb}; {@code items} rows over {@code files}) or an S3
     * bucket prefix ({@code kind = s3}; {@code items} objects, one file each, listed in the key map).
     *
     * @param files  paths inside the bag, relative to {@code data/}: a table's files; empty for a bucket, whose
     *               files the key map lists (however many objects it has, this file stays small)
     * @param bytes  bytes of the exported files of this source (for a bucket: of its objects)
     * @param keyMap for a bucket, its key map relative to {@code data/}
     *               ({@code <service>/s3/<bucket>~keys.jsonl}: one line per object, in key order, with the
     *               original key, its path, size, SHA-256 and version); absent for a table. Archives written
     *               before key maps listed a bucket's objects in {@code files} instead.
     */
    public record SourceSummary(String kind, String name, String findBy, String prefix, long items, long bytes,
                                List<String> files, @JsonInclude(JsonInclude.Include.NON_NULL) String keyMap) {
        public SourceSummary {
            files = files == null ? List.of() : List.copyOf(files);
        }

        /** A table's summary, or a bucket's in the older layout without a key map. */
        public SourceSummary(String kind, String name, String findBy, String prefix, long items, long bytes,
                             List<String> files) {
            this(kind, name, findBy, prefix, items, bytes, files, null);
        }

        public static final String DYNAMODB = "dynamodb";
        public static final String S3 = "s3";
    }

    public record Totals(long items, long objects, long bytes, long files) {
    }

    /**
     * What reading the tenant cost, for org-level attribution: DynamoDB read capacity consumed (as reported by
     * the service, or estimated at 4 KB per unit), S3 GET requests and bytes transferred.
     */
    public record CostSummary(double dynamodbReadUnits, long s3GetRequests, long s3BytesRead) {
        public CostSummary plus(CostSummary other) {
            return new CostSummary(dynamodbReadUnits + other.dynamodbReadUnits, s3GetRequests + other.s3GetRequests,
                    s3BytesRead + other.s3BytesRead);
        }

        public static final CostSummary ZERO = new CostSummary(0, 0, 0);
    }

    /** Sorted keys, snake_case, ISO instants: the same manifest always serialises to the same bytes. */
    public static ObjectMapper mapper() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addModule(new JavaTimeModule())
                .build();
    }

    public byte[] toJson() throws IOException {
        return mapper().writeValueAsBytes(this);
    }

    public static ExportManifest read(InputStream json) throws IOException {
        return mapper().readValue(json, ExportManifest.class);
    }
}
