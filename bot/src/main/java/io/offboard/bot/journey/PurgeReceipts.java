package io.offboard.bot.journey;

import io.offboard.exporter.purge.PurgeCounts;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.exporter.purge.PurgeSource;
import io.offboard.exporter.registry.Registry;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The deletion receipt's rows, from the stored verification report (never from memory); times come from the record. */
@Singleton
public class PurgeReceipts {

    private final DynamoPurgeCheckpoints store;
    private final Registry registry;

    public PurgeReceipts(DynamoPurgeCheckpoints store, Registry registry) {
        this.store = store;
        this.registry = registry;
    }

    public Map<String, Object> scope(String reportId) {
        PurgeReport report = store.report(reportId)
                .orElseThrow(() -> new IllegalStateException("purge report " + reportId + " is missing"));
        Map<String, Object> scope = new HashMap<>();
        scope.put("purgeId", report.purgeId());
        scope.put("verdict", report.passed() ? "passed" : "FAILED");
        scope.put("residuals", report.residuals());
        List<Map<String, Object>> rows = report.sources().stream().map(s -> {
            Map<String, Object> row = new HashMap<>();
            row.put("service", s.service());
            row.put("tier", s.tier().label());
            row.put("source", s.location());
            boolean table = PurgeSource.KIND_DYNAMODB.equals(s.kind());
            row.put("deleted", describe(s.deleted(), table));
            // table items are deleted by key without reading them: their size is not known, and not guessed
            row.put("bytes", table ? "n/a" : Long.toString(s.deleted().bytes()));
            row.put("uploads", table ? "n/a" : Long.toString(s.deleted().uploads()));
            row.put("residuals", s.residuals());
            return row;
        }).toList();
        scope.put("rows", rows);
        // said plainly on the receipt: what the registry leaves in place, and why
        scope.put("exclusions", registry.exclusions().stream().map(x -> Map.of(
                "resource", x.table() != null ? x.table() : x.bucket(),
                "reason", x.reason())).toList());
        return scope;
    }

    /** What was deleted from a table (items) or a bucket prefix (objects, their versions and delete markers). */
    static String describe(PurgeCounts counts, boolean table) {
        if (table) {
            return plural(counts.items(), "item");
        }
        return plural(counts.objects(), "object") + " (" + plural(counts.versions(), "version") + ", "
                + plural(counts.deleteMarkers(), "delete marker") + ")";
    }

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
