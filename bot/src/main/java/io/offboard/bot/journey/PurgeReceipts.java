package io.offboard.bot.journey;

import io.offboard.bot.template.Templates;
import io.offboard.lifecycle.text.UserText;
import io.offboard.exporter.copies.HeldCopy;
import io.offboard.exporter.copies.TableCopies;
import io.offboard.exporter.purge.PurgeCounts;
import io.offboard.exporter.purge.PurgeReport;
import io.offboard.exporter.purge.PurgeSource;
import io.offboard.exporter.purge.Tier;
import io.offboard.exporter.registry.Registry;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The deletion receipt's rows, from the stored verification report (never from memory); times come from the record.
 * It says only what the report shows: what was deleted and re-read, which copies the purge cannot delete item by item
 * still hold the deleted data and until when, and what could not be looked at.
 */
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
        scope.put("copies", report.heldCopies().stream().map(PurgeReceipts::copy).toList());
        List<String> unread = new ArrayList<>();
        unread(report.tableCopies(), TableCopies::pitrUnreadable, "point-in-time recovery", unread);
        unread(report.tableCopies(), TableCopies::backupsUnreadable, "backups", unread);
        long notLookedAt = notLookedAt(report);
        if (notLookedAt > 0) {
            unread.add("point-in-time recovery and backups of " + plural(notLookedAt, "table")
                    + " **were not looked at** (the verification report predates that check)");
        }
        scope.put("unread", unread);
        scope.put("noCopies", report.heldCopies().isEmpty() && unread.isEmpty());
        scope.put("tableCount", report.tableCopies().size());
        scope.put("defect", report.heldCopies().stream().anyMatch(HeldCopy::beyondAllowance));
        // said plainly on the receipt: what the registry leaves in place, and why
        scope.put("exclusions", registry.exclusions().stream().map(x -> Map.of(
                "resource", x.table() != null ? x.table() : x.bucket(),
                "reason", x.reason())).toList());
        scope.put("closing", closing(report));
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

    /** One copy that still holds the deleted data, with when it stops holding it. */
    static String copy(HeldCopy c) {
        String what = c.kind() == HeldCopy.Kind.POINT_IN_TIME_RECOVERY
                ? "`" + c.table() + "`: point-in-time recovery (" + c.windowLabel()
                + ") can restore the deleted items until **" + Templates.minute(c.expires()) + "**"
                : "`" + c.table() + "`: " + c.backupKind() + " " + UserText.quote(c.name()) + ", taken "
                + (c.created() == null ? "at an unknown time" : Templates.minute(c.created())) + ": "
                + (c.expires() != null ? "expires **" + Templates.minute(c.expires()) + "**"
                : "AWS_BACKUP".equals(c.type()) ? "**no expiry DynamoDB knows of** (its AWS Backup plan decides): "
                + "delete it by hand" : "**no expiry: delete it by hand**");
        return what + (c.beyondAllowance()
                ? " — beyond the registry's allowance of " + HeldCopy.span(c.allowance())
                : " (within the registry's allowance of " + HeldCopy.span(c.allowance()) + ")");
    }

    /** One line per reason: the tables whose {@code what} could not be read for it. */
    private static void unread(List<TableCopies> tables, Function<TableCopies, String> why, String what,
                               List<String> lines) {
        Map<String, List<String>> byReason = tables.stream().filter(t -> why.apply(t) != null)
                .collect(Collectors.groupingBy(why, LinkedHashMap::new,
                        Collectors.mapping(t -> "`" + t.table() + "`", Collectors.toList())));
        byReason.forEach((reason, names) -> lines.add(what + " of " + (names.size() == 1 ? "table " : "tables ")
                + String.join(", ", names) + " **could not be read** (" + UserText.prose(reason)
                + "): whether it holds the deleted items is not known"));
    }

    /** Purged tables whose copies the report has nothing on (reports stored before the check existed). */
    private static long notLookedAt(PurgeReport report) {
        List<String> read = report.tableCopies().stream().map(TableCopies::table).toList();
        return report.sources().stream().filter(s -> PurgeSource.KIND_DYNAMODB.equals(s.kind()))
                .filter(s -> !read.contains(s.resource())).count();
    }

    /** The receipt's last word: exactly what the verification looked at, what it found, and what it did not see. */
    static String closing(PurgeReport report) {
        long tables = report.sources().stream().filter(s -> PurgeSource.KIND_DYNAMODB.equals(s.kind())).count();
        long buckets = report.sources().stream()
                .filter(s -> PurgeSource.KIND_S3.equals(s.kind()) && s.tier() != Tier.EXPORT_ARCHIVES).count();
        boolean archives = report.sources().stream().anyMatch(s -> s.tier() == Tier.EXPORT_ARCHIVES);
        StringBuilder text = new StringBuilder(report.passed() ? "Verified by" : "Checked by");
        text.append(" a consistent re-read of ").append(plural(tables, "table")).append(", ")
                .append(plural(buckets, "bucket"))
                .append(" (every object version, delete marker and unfinished upload under the tenant's prefix)");
        if (archives) {
            text.append(" and the export archives");
        }
        if (report.workFiles() != null) {
            text.append(", and of the export work files on ").append(UserText.quote(report.workFiles().host()));
        }
        text.append(report.passed()
                ? ": nothing of `" + report.tenant() + "` remains in them."
                : ": " + report.residuals() + " residual entries of `" + report.tenant() + "` were found in them, "
                + "so its data is not all deleted yet.");
        long held = report.heldCopies().size();
        if (held > 0) {
            text.append(" Still held: ").append(held == 1 ? "1 copy" : held + " copies")
                    .append(" the purge cannot delete item by item, listed above with when ")
                    .append(held == 1 ? "it expires." : "each expires.");
        }
        List<String> notVerified = new ArrayList<>();
        long pitrUnread = report.tableCopies().stream().filter(t -> !t.pitrReadable()).count();
        long backupsUnread = report.tableCopies().stream().filter(t -> !t.backupsReadable()).count();
        if (pitrUnread > 0 || backupsUnread > 0) {
            boolean endpoint = report.tableCopies().stream()
                    .flatMap(t -> java.util.stream.Stream.of(t.pitrUnreadable(), t.backupsUnreadable()))
                    .filter(java.util.Objects::nonNull).allMatch(r -> r.startsWith("the endpoint does not implement"));
            List<String> parts = new ArrayList<>();
            if (pitrUnread > 0) {
                parts.add("point-in-time recovery of " + plural(pitrUnread, "table"));
            }
            if (backupsUnread > 0) {
                parts.add("backups of " + plural(backupsUnread, "table"));
            }
            notVerified.add(String.join(" and ", parts)
                    + (endpoint ? " (the endpoint could not answer)" : " (they could not be read, see above)"));
        }
        long notLookedAt = notLookedAt(report);
        if (notLookedAt > 0) {
            notVerified.add("point-in-time recovery and backups of " + plural(notLookedAt, "table")
                    + " (not looked at)");
        }
        notVerified.add(report.workFiles() == null ? "export work files on local disk"
                : "export work files on other hosts of the bot (each deletes its own when an export ends)");
        text.append(" Not verified: ").append(String.join("; ", notVerified)).append(".");
        return text.toString();
    }
}
