package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * @param infraRepository where the {@code tenant-teardown} repository_dispatch goes (owner/name);
 *                        empty: the repository of the eviction issue; OFFBOARD_INFRA_REPOSITORY
 * @param sweepInterval   how often {@code serve} sweeps for due work; OFFBOARD_SWEEP_INTERVAL
 * @param sweepLease      how long a sweep holds a record; a holder that died is taken over after this
 */
// prefix "offboard" so that the documented OFFBOARD_* names bind
@ConfigurationProperties("offboard")
public record JourneySettings(
        @Bindable(defaultValue = "") String infraRepository,
        @Bindable(defaultValue = "5m") Duration sweepInterval,
        @Bindable(defaultValue = "15m") Duration sweepLease) {
}
