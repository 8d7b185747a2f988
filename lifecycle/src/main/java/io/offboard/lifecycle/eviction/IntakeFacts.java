package io.offboard.lifecycle.eviction;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What had to be looked up about a well-formed form before it can be accepted.
 *
 * @param tenantKnown       the tenant exists on the platform
 * @param unknownOwners     owner handles GitHub does not know
 * @param ownerIds          the numeric GitHub id of every owner GitHub knows, by lower-case login
 * @param otherOpenEviction another open eviction already holds the tenant
 */
public record IntakeFacts(
        boolean tenantKnown,
        Set<String> unknownOwners,
        Map<String, Long> ownerIds,
        Optional<EvictionId> otherOpenEviction) {

    public IntakeFacts {
        unknownOwners = Set.copyOf(unknownOwners);
        ownerIds = Map.copyOf(ownerIds);
    }
}
