package io.offboard.lifecycle.eviction;

import java.util.Optional;
import java.util.Set;

/**
 * What had to be looked up about a well-formed form before it can be accepted.
 *
 * @param tenantKnown           the tenant exists on the platform
 * @param unknownOwners         owner handles GitHub does not know
 * @param otherOpenEviction     another open eviction already holds the tenant
 * @param filedByOperator       the issue was opened by an operator
 */
public record IntakeFacts(
        boolean tenantKnown,
        Set<String> unknownOwners,
        Optional<EvictionId> otherOpenEviction,
        boolean filedByOperator) {

    public IntakeFacts {
        unknownOwners = Set.copyOf(unknownOwners);
    }
}
