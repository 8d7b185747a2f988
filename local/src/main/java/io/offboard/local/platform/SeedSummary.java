package io.offboard.local.platform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@link DemoPlatform} wrote, so tests can compare exports, purges and verification reports against it.
 * Every map is ordered and unmodifiable; a count that is absent is zero.
 *
 * <p>Tenant data covers every table that holds a tenant's items, <em>including</em> the tenant directory
 * ({@code uas_orgs}) and the registry's exclusions ({@code usm_sessions}, {@code platform_access}): subtract what
 * the registry excludes when comparing with an export. Protected resources ({@code ops_main},
 * {@code g3nmhsadmin_*}, the doc/mcp buckets) hold no tenant data and appear only in {@link #platformItems()} and
 * {@link #platformObjectVersions()}.
 *
 * @param items                  tenant → table → items
 * @param objects                tenant → bucket → objects whose latest version is not a delete marker (what a
 *                               plain listing shows under the tenant's prefix)
 * @param versions               tenant → bucket → every object version plus every delete marker under the
 *                               tenant's prefix (what ListObjectVersions shows; an unversioned bucket has one
 *                               version per object)
 * @param objectBytes            tenant → bucket → bytes of the latest live objects
 * @param versionBytes           tenant → bucket → bytes of every stored version (delete markers count 0)
 * @param platformItems          table → items that belong to no tenant (platform events, operator users,
 *                               protected tables)
 * @param platformObjectVersions bucket → versions and delete markers outside every tenant's prefix
 */
public record SeedSummary(
        Map<String, Map<String, Long>> items,
        Map<String, Map<String, Long>> objects,
        Map<String, Map<String, Long>> versions,
        Map<String, Map<String, Long>> objectBytes,
        Map<String, Map<String, Long>> versionBytes,
        Map<String, Long> platformItems,
        Map<String, Long> platformObjectVersions) {

    public SeedSummary {
        items = freeze(items);
        objects = freeze(objects);
        versions = freeze(versions);
        objectBytes = freeze(objectBytes);
        versionBytes = freeze(versionBytes);
        platformItems = Collections.unmodifiableMap(new LinkedHashMap<>(platformItems));
        platformObjectVersions = Collections.unmodifiableMap(new LinkedHashMap<>(platformObjectVersions));
    }

    /** The seeded tenants (orgcodes), in seeding order. */
    public Set<String> tenants() {
        return items.keySet();
    }

    public long items(String tenant, String table) {
        return items.getOrDefault(tenant, Map.of()).getOrDefault(table, 0L);
    }

    public long objects(String tenant, String bucket) {
        return objects.getOrDefault(tenant, Map.of()).getOrDefault(bucket, 0L);
    }

    public long versions(String tenant, String bucket) {
        return versions.getOrDefault(tenant, Map.of()).getOrDefault(bucket, 0L);
    }

    public long objectBytes(String tenant, String bucket) {
        return objectBytes.getOrDefault(tenant, Map.of()).getOrDefault(bucket, 0L);
    }

    public long versionBytes(String tenant, String bucket) {
        return versionBytes.getOrDefault(tenant, Map.of()).getOrDefault(bucket, 0L);
    }

    /** A tenant's items over every table. */
    public long totalItems(String tenant) {
        return items.getOrDefault(tenant, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** A tenant's versions and delete markers over every bucket. */
    public long totalVersions(String tenant) {
        return versions.getOrDefault(tenant, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Map<String, Long>> freeze(Map<String, Map<String, Long>> nested) {
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        nested.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        return Collections.unmodifiableMap(copy);
    }
}
