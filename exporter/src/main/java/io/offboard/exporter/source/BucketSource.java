package io.offboard.exporter.source;

import io.offboard.exporter.archive.BagArchiveWriter;
import io.offboard.exporter.registry.Registry;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * A tenant's objects in one registry bucket: everything under the bucket's prefix for the tenant.
 *
 * <p>{@link #listLatest} lists, for every key, its latest version when that version is an object (a key whose latest
 * version is a delete marker is skipped: the tenant deleted it), from {@code ListObjectVersions}, so it works the
 * same on versioned, suspended and never-versioned buckets. Keys come in S3's listing order, ascending by their
 * UTF-8 bytes; the listing is streamed page by page (memory does not grow with the number of objects) and checked
 * to be in that order. Keys are listed URL-encoded, so a key with characters XML cannot carry is listed too. {@link #listAllVersions} lists every version and delete marker, for the purge.
 */
public final class BucketSource {

    /**
     * The latest version of a live object.
     *
     * @param versionId    the version to read ({@code null} or {@code "null"} on a never-versioned bucket)
     * @param eTag         the ETag without its quotes
     * @param lastModified when that version was written
     */
    public record ObjectEntry(String key, String versionId, long size, String eTag, Instant lastModified) {
    }

    /**
     * One version or delete marker.
     *
     * @param deleteMarker whether this is a delete marker (then size is 0 and eTag null)
     * @param latest       whether it is the key's current version
     */
    public record VersionEntry(String key, String versionId, boolean deleteMarker, boolean latest, long size,
                               String eTag, Instant lastModified) {
    }

    /**
     * S3's listing order, UTF-8 byte order: for well-formed strings (every S3 key) that is code point order,
     * which the bag's path comparator gives without encoding both keys on every comparison.
     */
    private static final Comparator<String> UTF8_ORDER = BagArchiveWriter.PATH_ORDER;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** The tenant's part of a registry bucket ({@link Registry.Bucket#prefixFor}). */
    public BucketSource(S3Client s3, Registry.Bucket bucket, String orgcode) {
        this(s3, bucket.name(), tenantPrefix(bucket, orgcode));
    }

    /** Everything under {@code prefix} in {@code bucket}. */
    public BucketSource(S3Client s3, String bucket, String prefix) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    private static String tenantPrefix(Registry.Bucket bucket, String orgcode) {
        if (orgcode == null || orgcode.isBlank()) {
            throw new IllegalArgumentException("blank orgcode");
        }
        String prefix = bucket.prefixFor(orgcode);
        if (prefix.isEmpty() || prefix.equals(bucket.prefix())) {
            // a prefix without {orgcode} would select every tenant's objects
            throw new IllegalArgumentException("bucket " + bucket.name() + ": prefix " + bucket.prefix()
                    + " does not contain {orgcode}");
        }
        return prefix;
    }

    public String bucket() {
        return bucket;
    }

    public String prefix() {
        return prefix;
    }

    /** The latest live version of every key under the prefix, in key order. */
    public Stream<ObjectEntry> listLatest() {
        return listLatest(null);
    }

    /**
     * As {@link #listLatest()}, starting after {@code afterKey} (exclusive; {@code null} from the start): resume a
     * listing from the last key done.
     */
    public Stream<ObjectEntry> listLatest(String afterKey) {
        OrderCheck order = new OrderCheck(afterKey);
        return pages(afterKey).flatMap(page -> page.versions().stream())
                // isLatest is always set by S3; a server that leaves it out on an unversioned bucket has one
                // version per key, which is then the latest
                .filter(v -> !Boolean.FALSE.equals(v.isLatest()))
                .peek(v -> order.check(v.key()))
                .map(v -> new ObjectEntry(v.key(), v.versionId(), v.size() == null ? 0 : v.size(),
                        unquote(v.eTag()), v.lastModified()));
    }

    /**
     * Every object version and delete marker under the prefix: keys in listing order, and per key the current one
     * first, then older ones newest first.
     */
    public Stream<VersionEntry> listAllVersions() {
        return pages(null).flatMap(page -> {
            List<VersionEntry> entries = new ArrayList<>(page.versions().size() + page.deleteMarkers().size());
            for (ObjectVersion v : page.versions()) {
                entries.add(new VersionEntry(v.key(), v.versionId(), false, !Boolean.FALSE.equals(v.isLatest()),
                        v.size() == null ? 0 : v.size(), unquote(v.eTag()), v.lastModified()));
            }
            for (DeleteMarkerEntry m : page.deleteMarkers()) {
                entries.add(new VersionEntry(m.key(), m.versionId(), true, Boolean.TRUE.equals(m.isLatest()), 0, null,
                        m.lastModified()));
            }
            entries.sort(Comparator.comparing(VersionEntry::key, UTF8_ORDER)
                    .thenComparing(VersionEntry::latest, Comparator.reverseOrder())
                    .thenComparing(VersionEntry::lastModified, Comparator.nullsLast(Comparator.reverseOrder())));
            return entries.stream();
        });
    }

    /** The content of one object version. The caller closes the stream. */
    public InputStream open(ObjectEntry object) {
        return open(object.key(), object.versionId());
    }

    /** The content of {@code key} at {@code versionId} ({@code null} or {@code "null"}: the current object). */
    public InputStream open(String key, String versionId) {
        boolean versioned = versionId != null && !versionId.equals("null");
        return s3.getObject(b -> {
            b.bucket(bucket).key(key);
            if (versioned) {
                b.versionId(versionId);
            }
        });
    }

    private Stream<ListObjectVersionsResponse> pages(String afterKey) {
        // keys come URL-encoded (the SDK decodes them): XML 1.0 cannot carry every character a key may hold
        // (control characters), and a listing of such a key would not parse
        ListObjectVersionsRequest.Builder request = ListObjectVersionsRequest.builder().bucket(bucket).prefix(prefix)
                .encodingType(EncodingType.URL);
        if (afterKey != null) {
            request.keyMarker(afterKey);
        }
        return s3.listObjectVersionsPaginator(request.build()).stream();
    }

    private static String unquote(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }

    /** Keys must come strictly ascending: the export's entry order (and its determinism) relies on it. */
    private static final class OrderCheck {
        private String previous;

        OrderCheck(String afterKey) {
            this.previous = afterKey;
        }

        void check(String key) {
            if (previous != null && UTF8_ORDER.compare(previous, key) >= 0) {
                throw new IllegalStateException("the S3 listing is not in key order: " + key + " after " + previous);
            }
            previous = key;
        }
    }
}
