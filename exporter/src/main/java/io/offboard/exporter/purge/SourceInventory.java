package io.offboard.exporter.purge;

import io.offboard.exporter.registry.Registry;
import io.offboard.exporter.source.BucketSource;
import io.offboard.exporter.source.Checkpoint;
import io.offboard.exporter.source.TableSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Counts what a source holds for the tenant, with a few samples: the dry run's figures and, read consistently, the
 * verification's residuals. Reads keys only (DynamoDB projection; for S3 the version listing and the listing of
 * incomplete multipart uploads, each through its paginator).
 */
final class SourceInventory {

    /**
     * @param counts  what is there
     * @param samples up to the requested number of entries, described for a report
     */
    record Found(PurgeCounts counts, List<String> samples) {
    }

    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final TableSource.Options tableOptions;
    private final MultipartUploads uploads;

    SourceInventory(DynamoDbClient dynamo, S3Client s3, TableSource.Options tableOptions) {
        this.dynamo = dynamo;
        this.s3 = s3;
        this.tableOptions = tableOptions;
        this.uploads = new MultipartUploads(s3);
    }

    /**
     * @param consistent read what is certainly there now: strongly consistent reads, and for a GSI table a filtered
     *                   scan of the table itself on the index key (a GSI answers only eventually consistently).
     *                   Otherwise the purge's own lookup (the GSI query for a GSI table).
     * @param progress   told the counts so far after every page
     */
    Found find(PurgeSource source, String tenant, boolean consistent, int maxSamples, Consumer<PurgeCounts> progress) {
        if (source instanceof PurgeSource.TableItems items) {
            return findItems(items, tenant, consistent, maxSamples, progress);
        }
        return findVersions((PurgeSource.BucketPrefix) source, maxSamples, progress);
    }

    /** The lookup the purge deletes through: the registry's, reading the table's key attributes only. */
    TableSource finder(Registry.Table table, String tenant, List<String> keyAttributes) {
        return new TableSource(dynamo, table, tenant, tableOptions).withProjection(keyAttributes);
    }

    private Found findItems(PurgeSource.TableItems source, String tenant, boolean consistent, int maxSamples,
                            Consumer<PurgeCounts> progress) {
        Registry.Table table = source.table();
        if (consistent && table.findBy() == Registry.FindBy.GSI) {
            table = new Registry.Table(table.name(), Registry.FindBy.SCAN, null, null, table.key());
        }
        List<String> keyAttributes = TableDeleter.keyAttributes(dynamo, table.name());
        long count = 0;
        List<String> samples = new ArrayList<>();
        try (TableSource.Cursor pages = finder(table, tenant, keyAttributes).pages(Checkpoint.START)) {
            while (pages.hasNext()) {
                TableSource.Page page = pages.next();
                for (Map<String, AttributeValue> key : page.items()) {
                    count++;
                    if (samples.size() < maxSamples) {
                        samples.add(describe(keyAttributes, key));
                    }
                }
                progress.accept(PurgeCounts.ofItems(count));
            }
        }
        return new Found(PurgeCounts.ofItems(count), samples);
    }

    private Found findVersions(PurgeSource.BucketPrefix source, int maxSamples, Consumer<PurgeCounts> progress) {
        Tally tally = new Tally();
        List<String> samples = new ArrayList<>();
        try (Stream<BucketSource.VersionEntry> entries =
                     new BucketSource(s3, source.bucket(), source.prefix()).listAllVersions()) {
            entries.forEach(v -> {
                VersionRef ref = new VersionRef(v.key(), v.versionId(), v.deleteMarker(), v.size());
                tally.add(ref);
                if (samples.size() < maxSamples) {
                    samples.add(ref.describe());
                }
                if (tally.entries() % 1000 == 0) {
                    progress.accept(tally.counts());
                }
            });
        }
        // parts of an unfinished upload are tenant data too, and no version listing shows them
        uploads.list(source.bucket(), source.prefix()).forEach(upload -> {
            tally.add(upload);
            if (samples.size() < maxSamples) {
                samples.add(upload.describe());
            }
        });
        progress.accept(tally.counts());
        return new Found(tally.counts(), samples);
    }

    /** A key as {@code {orgcode=acme, order_id=ORD-00003}}, hash key first. */
    static String describe(List<String> keyAttributes, Map<String, AttributeValue> key) {
        return keyAttributes.stream()
                .map(name -> name + "=" + value(key.get(name)))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String value(AttributeValue value) {
        if (value == null) {
            return "?";
        }
        return switch (value.type()) {
            case S -> value.s();
            case N -> value.n();
            case B -> "b64:" + Base64.getEncoder().encodeToString(value.b().asByteArrayUnsafe());
            default -> Objects.toString(value);
        };
    }

    /**
     * Versions, markers and bytes of S3 entries, distinct keys for entries that come in key order, and incomplete
     * uploads (not objects: they do not count as keys).
     */
    static final class Tally {
        private long objects;
        private long versions;
        private long markers;
        private long bytes;
        private long uploads;
        private String lastKey;

        Tally() {
        }

        /** Continues a count whose last key was {@code lastKey} (a key's versions may span batches). */
        Tally(String lastKey) {
            this.lastKey = lastKey;
        }

        void add(VersionRef ref) {
            if (!ref.key().equals(lastKey)) {
                objects++;
                lastKey = ref.key();
            }
            if (ref.deleteMarker()) {
                markers++;
            } else {
                versions++;
                bytes += ref.size();
            }
        }

        void add(UploadRef upload) {
            uploads++;
        }

        long entries() {
            return versions + markers;
        }

        String lastKey() {
            return lastKey;
        }

        PurgeCounts counts() {
            return new PurgeCounts(0, objects, versions, markers, bytes, uploads);
        }
    }
}
