package io.offboard.exporter.purge;

import java.util.List;
import java.util.Objects;

/**
 * One tenant's purge.
 *
 * @param purgeId        names the stored progress: the same id resumes, a new id starts over
 * @param tenant         the orgcode
 * @param extraLocations where else the tenant's data is kept (its export archives), besides the registry
 */
public record PurgeRequest(String purgeId, String tenant, List<ExtraLocation> extraLocations) {
    public PurgeRequest {
        Objects.requireNonNull(purgeId, "purgeId");
        Objects.requireNonNull(tenant, "tenant");
        if (purgeId.isBlank()) {
            throw new IllegalArgumentException("blank purge id");
        }
        extraLocations = extraLocations == null ? List.of() : List.copyOf(extraLocations);
    }

    public PurgeRequest(String purgeId, String tenant) {
        this(purgeId, tenant, List.of());
    }
}
