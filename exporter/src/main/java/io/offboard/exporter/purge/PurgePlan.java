package io.offboard.exporter.purge;

import java.util.List;

/**
 * A dry run: what a purge of the tenant would delete, per source, found the way the purge finds it. Nothing is
 * deleted or written to make it.
 */
public record PurgePlan(String tenant, String registryVersion, List<PlannedSource> sources) {

    public PurgePlan {
        sources = List.copyOf(sources);
    }

    /** One source and what it holds for the tenant now. */
    public record PlannedSource(String source, String service, Tier tier, String kind, String resource, String prefix,
                                PurgeCounts counts) {
    }

    public PurgeCounts total() {
        return sources.stream().map(PlannedSource::counts).reduce(PurgeCounts.ZERO, PurgeCounts::plus);
    }

    /** What one source ({@link PurgeSource#id()}) holds; zero for a source not in the plan. */
    public PurgeCounts counts(String source) {
        return sources.stream().filter(s -> s.source().equals(source)).map(PlannedSource::counts).findFirst()
                .orElse(PurgeCounts.ZERO);
    }
}
