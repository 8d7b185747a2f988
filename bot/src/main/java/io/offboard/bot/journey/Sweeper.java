package io.offboard.bot.journey;

import io.offboard.bot.config.JourneySettings;
import io.offboard.exporter.platform.TenantAccess;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionJourney.Decision;
import io.offboard.lifecycle.eviction.EvictionJourney.DueAction;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.LeaseStore;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies everything due: cutovers on the eviction date, reminders, purges at the deadline (and purges
 * that were interrupted), and messages GitHub did not take earlier. Due records come from the store's
 * due index, so a sweep costs what is due, not what has ever been filed. Each record is worked on under
 * its lease, and every change is a conditional write, so any number of sweeps (replicas, Actions runs)
 * may run at once and each step still happens once.
 */
@Singleton
public class Sweeper {

    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

    private final EvictionStore store;
    private final EvictionJourney journey;
    private final LeaseStore leases;
    private final OutboxDelivery delivery;
    private final TenantAccess access;
    private final PurgeStep purge;
    private final AuditLog audit;
    private final JourneySettings settings;
    private final Clock clock;

    public Sweeper(EvictionStore store, EvictionJourney journey, LeaseStore leases, OutboxDelivery delivery,
                   TenantAccess access, PurgeStep purge, AuditLog audit, JourneySettings settings, Clock clock) {
        this.store = store;
        this.journey = journey;
        this.leases = leases;
        this.delivery = delivery;
        this.access = access;
        this.purge = purge;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** What one pass did, for the CLI's output and the logs. */
    public record SweepReport(int due, int worked, int busy, int failed, List<String> actions) {
        @Override
        public String toString() {
            return due + " due, " + worked + " worked on, " + busy + " held by another sweep, " + failed + " failed"
                    + (actions.isEmpty() ? "" : ": " + String.join("; ", actions));
        }
    }

    /** One pass over everything due now. */
    public SweepReport sweep() {
        List<EvictionId> due = store.dueBy(clock.instant());
        int worked = 0;
        int busy = 0;
        int failed = 0;
        List<String> actions = new java.util.ArrayList<>();
        for (EvictionId id : due) {
            try {
                Optional<List<String>> done = process(id);
                if (done.isEmpty()) {
                    busy++;
                } else {
                    worked++;
                    done.get().forEach(a -> actions.add(id + " " + a));
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.error("sweep of {} failed; the next sweep tries again: {}", id, e.toString(), e);
            }
        }
        return new SweepReport(due.size(), worked, busy, failed, actions);
    }

    /**
     * Works on one record under its lease: delivers waiting messages, then takes each due step once.
     * Empty when another sweep holds the record.
     */
    public Optional<List<String>> process(EvictionId id) {
        String key = JourneyChanges.leaseKey(id);
        String holder = JourneyChanges.newHolder();
        if (!leases.acquire(key, holder, settings.sweepLease())) {
            return Optional.empty();
        }
        List<String> actions = new java.util.ArrayList<>();
        try {
            Optional<Eviction> found = store.find(id);
            if (found.isEmpty()) {
                return Optional.of(actions);
            }
            Eviction e = delivery.deliver(found.get());
            Set<DueAction> taken = EnumSet.noneOf(DueAction.class);
            Optional<DueAction> next;
            // each kind of step at most once per pass: a purge that found residuals waits for the next sweep
            while ((next = journey.due(e, clock.instant())).isPresent() && taken.add(next.get())) {
                e = switch (next.get()) {
                    case CUTOVER -> cutover(e);
                    case REMIND -> remind(e);
                    case PURGE -> purge.run(e, key, holder);
                };
                actions.add(next.get().name().toLowerCase());
                e = delivery.deliver(e);
            }
            return Optional.of(actions);
        } finally {
            leases.release(key, holder);
        }
    }

    /** Freeze first (idempotent), then record the cutover: a crash in between only repeats the freeze. */
    private Eviction cutover(Eviction e) {
        access.freeze(e.tenant(), clock.instant(), e.id().toString());
        audit.append(e.id(), "offboard", "platform.frozen", e.tenant() + " set to " + TenantAccess.EXPORT_ONLY);
        Eviction stored = store.update(e, changed(journey.cutover(e), e));
        audit.append(e.id(), "offboard", "eviction.cutover", "snapshot at " + stored.timeline().cutoverAt().orElseThrow());
        return stored;
    }

    private Eviction remind(Eviction e) {
        Eviction stored = store.update(e, changed(journey.remind(e), e));
        audit.append(e.id(), "offboard", "eviction.reminded", "reminders sent: " + stored.timeline().remindersSent());
        return stored;
    }

    static Eviction changed(Decision decision, Eviction current) {
        if (decision instanceof Decision.Changed changed) {
            return changed.next();
        }
        throw new IllegalStateException("expected a change of " + current.id() + " but: " + decision);
    }
}
