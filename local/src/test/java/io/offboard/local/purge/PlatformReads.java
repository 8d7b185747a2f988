package io.offboard.local.purge;

import static io.offboard.local.platform.DemoPlatform.BACKUP;
import static io.offboard.local.platform.DemoPlatform.EVT_CHANGELOG;
import static io.offboard.local.platform.DemoPlatform.EVT_USAGE;
import static io.offboard.local.platform.DemoPlatform.ORD_ATTACHMENTS;
import static io.offboard.local.platform.DemoPlatform.ORD_ORDERS;
import static io.offboard.local.platform.DemoPlatform.PLATFORM_ACCESS;
import static io.offboard.local.platform.DemoPlatform.UAS_ORGS;
import static io.offboard.local.platform.DemoPlatform.UAS_USERS;
import static io.offboard.local.platform.DemoPlatform.USM_SESSIONS;

import io.offboard.exporter.source.ItemJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Independent reads of the demo platform with the raw SDK (full consistent scans, full version listings), to check
 * the purge with something other than the purge's own lookups.
 */
final class PlatformReads {

    /** Every demo table that holds tenant items, and the attribute naming the tenant. */
    static final Map<String, String> TENANT_ATTRIBUTE = orderedMap(
            UAS_ORGS, "orgcode", UAS_USERS, "orgcode", ORD_ORDERS, "orgcode", EVT_CHANGELOG, "tenant_ref",
            USM_SESSIONS, "orgcode", PLATFORM_ACCESS, "orgcode");

    /** Every demo bucket that holds tenant objects, and the tenant's prefix with {@code %s} for the orgcode. */
    static final Map<String, String> TENANT_PREFIX = orderedMap(
            ORD_ATTACHMENTS, "%s/", EVT_USAGE, "orgcode=%s/", BACKUP, "%s/");

    private PlatformReads() {
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** Every item of a table, by a consistent full scan. */
    static List<Map<String, AttributeValue>> scan(DynamoDbClient dynamo, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (ScanResponse page : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true))) {
            items.addAll(page.items());
        }
        return items;
    }

    /** Items of {@code table} whose tenant attribute is {@code tenant} ({@code null}: items without one). */
    static long items(DynamoDbClient dynamo, String table, String tenant) {
        String attribute = TENANT_ATTRIBUTE.get(table);
        return scan(dynamo, table).stream().filter(item -> {
            AttributeValue value = item.get(attribute);
            return tenant == null ? value == null : value != null && tenant.equals(value.s());
        }).count();
    }

    /** Versions plus delete markers under a prefix. */
    static long versions(S3Client s3, String bucket, String prefix) {
        long count = 0;
        for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(prefix))) {
            count += page.versions().size() + page.deleteMarkers().size();
        }
        return count;
    }

    /** Incomplete multipart uploads under a prefix. */
    static long uploads(S3Client s3, String bucket, String prefix) {
        return s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads().stream().count();
    }

    static long deleteMarkers(S3Client s3, String bucket, String prefix) {
        long count = 0;
        for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(prefix))) {
            count += page.deleteMarkers().size();
        }
        return count;
    }

    /** Versions plus delete markers in the bucket outside every demo tenant's prefix. */
    static long platformVersions(S3Client s3, String bucket, List<String> tenants) {
        long count = 0;
        for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket))) {
            for (ObjectVersion v : page.versions()) {
                count += underTenant(bucket, v.key(), tenants) ? 0 : 1;
            }
            for (DeleteMarkerEntry m : page.deleteMarkers()) {
                count += underTenant(bucket, m.key(), tenants) ? 0 : 1;
            }
        }
        return count;
    }

    private static boolean underTenant(String bucket, String key, List<String> tenants) {
        String prefix = TENANT_PREFIX.get(bucket);
        return prefix != null && tenants.stream().anyMatch(t -> key.startsWith(String.format(prefix, t)));
    }

    /** A table's content, item by item in canonical JSON, sorted: equal snapshots mean byte-for-byte equal items. */
    static List<String> snapshot(DynamoDbClient dynamo, String table) {
        return scan(dynamo, table).stream()
                .map(item -> new String(ItemJson.bytes(item), StandardCharsets.UTF_8))
                .sorted()
                .toList();
    }

    /**
     * A bucket's content: every version (key, version id, latest, size, ETag, content type, user metadata and the
     * SHA-256 of the bytes read back) and every delete marker.
     */
    static List<String> snapshot(S3Client s3, String bucket) {
        List<String> lines = new ArrayList<>();
        for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket))) {
            for (ObjectVersion v : page.versions()) {
                ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> {
                    b.bucket(bucket).key(v.key());
                    if (v.versionId() != null && !v.versionId().equals("null")) {
                        b.versionId(v.versionId());
                    }
                });
                lines.add(String.join("|", "version", v.key(), String.valueOf(v.versionId()),
                        String.valueOf(v.isLatest()), String.valueOf(v.size()), v.eTag(),
                        object.response().contentType(), new TreeMap<>(object.response().metadata()).toString(),
                        sha256(object.asByteArrayUnsafe())));
            }
            for (DeleteMarkerEntry m : page.deleteMarkers()) {
                lines.add(String.join("|", "marker", m.key(), m.versionId(), String.valueOf(m.isLatest())));
            }
        }
        lines.sort(null);
        return lines;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
