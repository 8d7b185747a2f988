package io.offboard.exporter.purge;

import io.offboard.exporter.registry.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the registry, a tenant and its extra locations into the list of sources to purge, and refuses (before
 * anything is read or deleted) when a source would be a protected resource or a prefix could select another
 * tenant's keys.
 */
public final class PurgePlanner {

    /** Letters, digits, {@code _ . -}: an orgcode never carries a path separator or a template brace. */
    private static final Pattern ORGCODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    static final String BACKUPS_SERVICE = "backups";
    static final String EXPORTS_SERVICE = "exports";

    private PurgePlanner() {
    }

    /**
     * Registry services (tables, then buckets), backups, extra locations; the tenant directory table last, so the
     * tenant stays known until the rest of its data is gone.
     *
     * @throws ProtectedResourceException if any source is protected
     * @throws IllegalArgumentException   for a malformed orgcode or a prefix that does not confine the tenant
     */
    public static List<PurgeSource> sources(Registry registry, String tenant, List<ExtraLocation> extraLocations) {
        if (tenant == null || !ORGCODE.matcher(tenant).matches()) {
            throw new IllegalArgumentException("not an orgcode: " + tenant);
        }
        Map<String, PurgeSource> sources = new LinkedHashMap<>();
        PurgeSource directory = null;
        for (Registry.Service service : registry.services()) {
            for (Registry.Table table : service.tables()) {
                PurgeSource source = new PurgeSource.TableItems(service.name(), table);
                if (registry.tenantDirectory() != null && table.name().equals(registry.tenantDirectory().table())) {
                    directory = source;
                } else {
                    sources.putIfAbsent(source.id(), source);
                }
            }
            for (Registry.Bucket bucket : service.buckets()) {
                add(sources, new PurgeSource.BucketPrefix(service.name(), Tier.TENANT, bucket.name(),
                        bucket.prefixFor(tenant)), tenant);
            }
        }
        for (Registry.Bucket bucket : registry.backups()) {
            add(sources, new PurgeSource.BucketPrefix(BACKUPS_SERVICE, Tier.BACKUP, bucket.name(),
                    bucket.prefixFor(tenant)), tenant);
        }
        for (ExtraLocation extra : extraLocations) {
            add(sources, new PurgeSource.BucketPrefix(EXPORTS_SERVICE, Tier.EXPORT_ARCHIVES, extra.bucket(),
                    extra.prefix()), tenant);
        }
        if (directory != null) {
            sources.putIfAbsent(directory.id(), directory);
        }
        List<PurgeSource> list = List.copyOf(sources.values());
        refuseProtected(registry, list);
        return list;
    }

    private static void add(Map<String, PurgeSource> sources, PurgeSource.BucketPrefix source, String tenant) {
        if (!confinesTenant(source.prefix(), tenant)) {
            throw new IllegalArgumentException("prefix " + source.prefix() + " of bucket " + source.bucket()
                    + " does not confine tenant " + tenant + ": it must end with / and have " + tenant
                    + " (or key=" + tenant + ") as a whole path segment");
        }
        sources.putIfAbsent(source.id(), source);
    }

    /** "acme/", "orgcode=acme/", "exports/acme/": yes; "acme" (also acme-corp/...), "exports/": no. */
    static boolean confinesTenant(String prefix, String tenant) {
        if (prefix == null || !prefix.endsWith("/")) {
            return false;
        }
        for (String segment : prefix.split("/")) {
            if (segment.equals(tenant) || segment.endsWith("=" + tenant)) {
                return true;
            }
        }
        return false;
    }

    private static void refuseProtected(Registry registry, List<PurgeSource> sources) {
        Registry.Protected guard = registry.protectedResources();
        if (guard == null) {
            return;
        }
        List<String> hits = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (PurgeSource source : sources) {
            if (guard.covers(source.resource())) {
                hits.add(source.resource());
                named.add(source.id() + " (service " + source.service() + ", tier " + source.tier().label() + ")");
            }
        }
        if (!hits.isEmpty()) {
            throw new ProtectedResourceException(hits, "purge refused: " + String.join(", ", named)
                    + " would touch protected resource(s) " + hits
                    + "; protected tables and buckets are never read, written or deleted (seed 001)");
        }
    }
}
