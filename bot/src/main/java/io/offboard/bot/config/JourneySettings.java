package io.offboard.bot.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The eviction journey's settings. How often {@code serve} sweeps ({@code offboard.sweep-interval},
 * OFFBOARD_SWEEP_INTERVAL, 5m) is read by the timer's {@code @Scheduled} itself.
 *
 * @param infraRepository where the {@code tenant-teardown} repository_dispatch goes (owner/name);
 *                        empty: the repository of the eviction issue; OFFBOARD_INFRA_REPOSITORY
 * @param sweepLease      how long a sweep holds a record; a holder that died is taken over after this
 */
// prefix "offboard" so that the documented OFFBOARD_* names bind
@ConfigurationProperties("offboard")
public record JourneySettings(
        @Bindable(defaultValue = "") String infraRepository,
        @Bindable(defaultValue = "15m") Duration sweepLease) {
}
