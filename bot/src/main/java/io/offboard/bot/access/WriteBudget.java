package io.offboard.bot.access;

import io.micrometer.core.instrument.MeterRegistry;
import io.offboard.bot.config.OffboardSettings;
import io.offboard.lifecycle.access.Actor;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.store.WriteBudgets;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many replies and reactions one person can make the bot write on one issue per hour
 * ({@code OFFBOARD_PERSON_WRITES_PER_HOUR}), shared by every replica. What is over budget is dropped, counted
 * ({@code offboard.person.writes.dropped}) and logged. Journey messages (status, cutover, reminders, receipt) and
 * the outbox never pass through here: nobody can silence them by spending a budget.
 */
@Singleton
public class WriteBudget {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBudget.class);
    private static final Duration WINDOW = Duration.ofHours(1);

    private final WriteBudgets budgets;
    private final int perHour;
    private final MeterRegistry meters;

    public WriteBudget(WriteBudgets budgets, OffboardSettings settings, MeterRegistry meters) {
        this.budgets = budgets;
        this.perHour = settings.personWritesPerHour();
        this.meters = meters;
    }

    /** Spends one write that {@code actor} causes on {@code issue}; false (and counted) when over budget. */
    public boolean allow(EvictionId issue, Actor actor, String what) {
        if (budgets.spend(issue + ":" + actor.id(), perHour, WINDOW)) {
            return true;
        }
        meters.counter("offboard.person.writes.dropped", "kind", what).increment();
        LOG.warn("{} caused more than {} writes on {} within an hour: {} dropped", actor, perHour, issue, what);
        return false;
    }
}
