package io.offboard.local.platform;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * What of a tenant the demo platform still holds, counted without the registry: every table is scanned whole
 * and every bucket's versions, delete markers and unfinished multipart uploads are listed whole, and anything naming
 * the tenant is counted.
 * The demo uses it to show, independently of the purge's own verification, that nothing is left.
 */
public final class TenantFootprint {

    private TenantFootprint() {
    }

    /**
     * Per table or bucket (offboard's own tables, named by {@code ownTablePrefix}, aside) ({@code s3://bucket}), how
     * many items / object versions name {@code tenant}; unfinished uploads as {@code s3://bucket (unfinished uploads)}.
     */
    public static Map<String, Long> of(DynamoDbClient dynamo, S3Client s3, String tenant, Instant now,
                                       String ownTablePrefix) {
        Map<String, Long> found = new LinkedHashMap<>();
        for (String table : dynamo.listTablesPaginator().tableNames()) {
            if (table.startsWith(ownTablePrefix)) {
                continue; // offboard's own records: the eviction's paper trail, not tenant data
            }
            long live = 0;
            long expired = 0;
            for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()) {
                if (!namesTenant(item, tenant)) {
                    continue;
                }
                AttributeValue expires = item.get("expires_at");
                if (expires != null && expires.n() != null && Long.parseLong(expires.n()) < now.getEpochSecond()) {
                    expired++;
                } else {
                    live++;
                }
            }
            if (live > 0) {
                found.put(table, live);
            }
            if (expired > 0) {
                found.put(table + " (expired, removed by TTL)", expired);
            }
        }
        for (var bucket : s3.listBuckets().buckets()) {
            long versions = 0;
            for (var page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket.name()).encodingType(EncodingType.URL))) {
                versions += page.versions().stream().map(ObjectVersion::key).filter(k -> keyNamesTenant(k, tenant)).count();
                versions += page.deleteMarkers().stream().filter(m -> keyNamesTenant(m.key(), tenant)).count();
            }
            if (versions > 0) {
                found.put("s3://" + bucket.name(), versions);
            }
            long uploads = s3.listMultipartUploadsPaginator(b -> b.bucket(bucket.name()).encodingType(EncodingType.URL)).uploads().stream()
                    .filter(u -> keyNamesTenant(u.key(), tenant)).count();
            if (uploads > 0) {
                found.put("s3://" + bucket.name() + " (unfinished uploads)", uploads);
            }
        }
        return found;
    }

    private static boolean namesTenant(Map<String, AttributeValue> item, String tenant) {
        return item.values().stream().anyMatch(v -> tenant.equals(v.s()));
    }

    /** {@code acme/...}, {@code orgcode=acme/...}, {@code exports/acme/...}: a path segment naming the tenant. */
    private static boolean keyNamesTenant(String key, String tenant) {
        for (String segment : key.split("/")) {
            if (segment.equals(tenant) || segment.endsWith("=" + tenant)) {
                return true;
            }
        }
        return false;
    }
}
