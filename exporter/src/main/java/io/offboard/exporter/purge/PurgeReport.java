package io.offboard.exporter.purge;

import io.offboard.exporter.copies.HeldCopy;
import io.offboard.exporter.copies.TableCopies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The verification report of a purge, kept permanently and rendered into the deletion receipt: per source and per
 * (service, tier) what the purge deleted and what a consistent re-read still found. {@link #passed()} only when
 * nothing was found. Serialise with {@link #toJson()} / {@link #fromJson}; the totals and {@code passed} are
 * stored too (for whoever reads the JSON alone) and checked against the per-source lines when read back.
 *
 * @param verifiedAt when the re-read finished
 * @param sources    every source, in purge order
 * @param byServiceAndTier the sources summed per service and tier, in order of first appearance
 * @param workFiles  the tenant's export work files on the host that ran the purge, when the caller looked
 *                   ({@code null} otherwise)
 * @param tableCopies what DynamoDB keeps of each purged table besides its items (point-in-time recovery, backups),
 *                   as read at the verification, or why it could not be read
 * @param heldCopies the copies among them that still hold what the purge deleted, with when each expires; they do not
 *                   fail the verification (the purge cannot delete them item by item) but are a platform defect
 *                   beyond the registry's allowance, named on the receipt
 */
public record PurgeReport(
        String purgeId,
        String tenant,
        String registryVersion,
        Instant verifiedAt,
        List<SourceResult> sources,
        List<ServiceTier> byServiceAndTier,
        PurgeCounts deleted,
        long residuals,
        boolean passed,
        WorkFiles workFiles,
        List<TableCopies> tableCopies,
        List<HeldCopy> heldCopies) {

    /** At most this many residual entries are named per source. */
    public static final int MAX_SAMPLES = 5;

    public PurgeReport {
        Objects.requireNonNull(purgeId, "purgeId");
        Objects.requireNonNull(tenant, "tenant");
        sources = List.copyOf(sources);
        List<ServiceTier> expected = summarize(sources);
        PurgeCounts expectedDeleted = sources.stream().map(SourceResult::deleted).reduce(PurgeCounts.ZERO, PurgeCounts::plus);
        long expectedResiduals = sources.stream().mapToLong(SourceResult::residuals).sum();
        if (byServiceAndTier == null) {
            byServiceAndTier = expected;
        }
        deleted = deleted == null ? expectedDeleted : deleted;
        if (!byServiceAndTier.equals(expected) || !deleted.equals(expectedDeleted) || residuals != expectedResiduals
                || passed != (expectedResiduals == 0)) {
            throw new IllegalArgumentException("purge report " + purgeId + ": totals or passed do not match its sources");
        }
        byServiceAndTier = List.copyOf(byServiceAndTier);
        tableCopies = tableCopies == null ? List.of() : List.copyOf(tableCopies);
        heldCopies = heldCopies == null ? List.of() : List.copyOf(heldCopies);
    }

    /** A report from its per-source lines; the totals and {@code passed} follow from them. */
    public static PurgeReport of(String purgeId, String tenant, String registryVersion, Instant verifiedAt,
                                 List<SourceResult> sources) {
        return of(purgeId, tenant, registryVersion, verifiedAt, sources, List.of(), List.of());
    }

    /** A report from its per-source lines and what was read of the tables' copies. */
    public static PurgeReport of(String purgeId, String tenant, String registryVersion, Instant verifiedAt,
                                 List<SourceResult> sources, List<TableCopies> tableCopies, List<HeldCopy> heldCopies) {
        long residuals = sources.stream().mapToLong(SourceResult::residuals).sum();
        return new PurgeReport(purgeId, tenant, registryVersion, verifiedAt, sources, null, null, residuals,
                residuals == 0, null, tableCopies, heldCopies);
    }

    /** The same report, saying what was done with the tenant's export work files on the host that ran it. */
    public PurgeReport withWorkFiles(WorkFiles files) {
        return new PurgeReport(purgeId, tenant, registryVersion, verifiedAt, sources, byServiceAndTier, deleted,
                residuals, passed, files, tableCopies, heldCopies);
    }

    /**
     * The spool and checkpoints of the tenant's exports kept on local disk: on {@code host}, {@code removed}
     * directories were deleted and none is left (the purge fails otherwise). Other hosts of the bot delete their own
     * when an export ends, fails, or was taken over and ended elsewhere; they are not looked at here.
     */
    public record WorkFiles(String host, long removed) {
        public WorkFiles {
            Objects.requireNonNull(host, "host");
        }
    }

    /**
     * One source.
     *
     * @param deleted          what the purge deleted from it (all runs of this purge id together)
     * @param residuals        entries the verification still found (items, or versions plus delete markers)
     * @param residualSamples  up to {@link #MAX_SAMPLES} of them: a DynamoDB key or an S3 key and version
     */
    public record SourceResult(String source, String service, Tier tier, String kind, String resource, String prefix,
                               PurgeCounts deleted, long residuals, List<String> residualSamples) {
        public SourceResult {
            residualSamples = residualSamples == null ? List.of() : List.copyOf(residualSamples);
        }

        /** Where, as people read it: a table's name, or {@code bucket/prefix}. */
        public String location() {
            return prefix == null || prefix.isEmpty() ? resource : resource + "/" + prefix;
        }
    }

    /** One service in one tier. */
    public record ServiceTier(String service, Tier tier, PurgeCounts deleted, long residuals) {
    }

    /** The result of one source ({@link PurgeSource#id()}), or {@code null}. */
    public SourceResult source(String source) {
        return sources.stream().filter(s -> s.source().equals(source)).findFirst().orElse(null);
    }

    public String toJson() {
        return PurgeJson.write(this);
    }

    public static PurgeReport fromJson(String json) {
        return PurgeJson.read(json, PurgeReport.class);
    }

    private static List<ServiceTier> summarize(List<SourceResult> sources) {
        record Group(String service, Tier tier) {
        }
        Map<Group, ServiceTier> groups = new LinkedHashMap<>();
        for (SourceResult s : sources) {
            groups.merge(new Group(s.service(), s.tier()), new ServiceTier(s.service(), s.tier(), s.deleted(), s.residuals()),
                    (a, b) -> new ServiceTier(a.service(), a.tier(), a.deleted().plus(b.deleted()),
                            a.residuals() + b.residuals()));
        }
        return new ArrayList<>(groups.values());
    }
}
