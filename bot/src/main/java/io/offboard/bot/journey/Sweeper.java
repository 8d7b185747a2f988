package io.offboard.bot.journey;

import io.offboard.exporter.platform.TenantAccess;
import java.io.IOException;

import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionJourney.DueAction;
import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.lifecycle.store.AuditLog;
import io.offboard.lifecycle.store.ExportStore;
import io.offboard.lifecycle.store.EvictionStore;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
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
    private final OutboxDelivery delivery;
    private final JourneyChanges changes;
    private final TenantAccess access;
    private final PurgeStep purge;
    private final ExportFence fence;
    private final ExportRetry exports;
    private final AuditLog audit;
    private final Clock clock;

    public Sweeper(EvictionStore store, EvictionJourney journey, OutboxDelivery delivery,
                   JourneyChanges changes, TenantAccess access, PurgeStep purge, ExportFence fence,
                   ExportRetry exports, AuditLog audit, Clock clock) {
        this.store = store;
        this.journey = journey;
        this.delivery = delivery;
        this.changes = changes;
        this.access = access;
        this.purge = purge;
        this.fence = fence;
        this.exports = exports;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What one pass did, for the CLI's output and the logs.
     *
     * @param undelivered records whose messages GitHub has not taken yet (they stay for the next sweep)
     */
    public record SweepReport(int due, int worked, int busy, int failed, int undelivered, List<String> actions) {
        public boolean ok() {
            return failed == 0 && undelivered == 0;
        }

        @Override
        public String toString() {
            return due + " due, " + worked + " worked on, " + busy + " held by another sweep, " + failed + " failed, "
                    + undelivered + " with messages GitHub has not taken yet"
                    + (actions.isEmpty() ? "" : ": " + String.join("; ", actions));
        }
    }

    /** What was done to one record: the steps taken, and whether messages are still waiting for GitHub. */
    public record Worked(List<String> actions, boolean undelivered) {
    }

    /** One pass over everything due now. */
    public SweepReport sweep() {
        List<EvictionId> due = store.dueBy(clock.instant());
        int worked = 0;
        int busy = 0;
        int failed = 0;
        int undelivered = 0;
        List<String> actions = new ArrayList<>();
        for (EvictionId id : due) {
            try {
                Optional<Worked> done = process(id);
                if (done.isEmpty()) {
                    busy++;
                    continue;
                }
                worked++;
                done.get().actions().forEach(a -> actions.add(id + " " + a));
                if (done.get().undelivered()) {
                    undelivered++;
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.error("sweep of {} failed; the next sweep tries again: {}", id, e.toString(), e);
            }
        }
        return new SweepReport(due.size(), worked, busy, failed, undelivered, actions);
    }

    /**
     * Works on one record under its lease: delivers waiting messages, then takes each due step once, each on
     * the freshest record. Empty when another sweep holds the record.
     */
    public Optional<Worked> process(EvictionId id) {
        return changes.underLease(id, lease -> work(id, lease));
    }

    private Worked work(EvictionId id, JourneyChanges.Lease lease) {
        List<String> actions = new ArrayList<>();
        Optional<Eviction> found = store.find(id);
        if (found.isEmpty()) {
            return new Worked(actions, false);
        }
        Eviction e = delivery.deliver(found.get());
        Set<DueAction> taken = EnumSet.noneOf(DueAction.class);
        Optional<DueAction> next;
        // each kind of step at most once per pass: a purge that found residuals waits for its retry time
        while ((next = journey.due(e, clock.instant())).isPresent() && taken.add(next.get())) {
            Optional<Eviction> after = switch (next.get()) {
                case CUTOVER -> Optional.of(cutover(e));
                case REMIND -> Optional.of(remind(e));
                case REMIND_PAUSED -> Optional.of(remindPaused(e));
                case RETRY_EXPORT -> Optional.of(retryExport(e));
                case PURGE -> purgeWhenNoExportRuns(e, lease);
            };
            if (after.isEmpty()) {
                actions.add(next.get().name().toLowerCase() + " waits for a running export");
                break;
            }
            actions.add(next.get().name().toLowerCase());
            e = delivery.deliver(after.get());
        }
        return new Worked(actions, !e.outbox().isEmpty());
    }

    /** Freeze first (idempotent), then record the cutover: a crash in between only repeats the freeze. */
    private Eviction cutover(Eviction e) {
        access.freeze(e.tenant(), clock.instant(), e.id().toString());
        audit.append(e.id(), "offboard", "platform.frozen", e.tenant() + " set to " + TenantAccess.EXPORT_ONLY);
        Eviction stored = changes.store(e.id(), journey::cutover).record();
        stored.timeline().cutoverAt().ifPresent(at -> audit.append(e.id(), "offboard", "eviction.cutover", "snapshot at " + at));
        return stored;
    }

    private Eviction remind(Eviction e) {
        Eviction stored = changes.store(e.id(), journey::remind).record();
        audit.append(e.id(), "offboard", "eviction.reminded", "reminders sent: " + stored.timeline().remindersSent());
        return stored;
    }

    private Eviction remindPaused(Eviction e) {
        Eviction stored = changes.store(e.id(), journey::remindPaused).record();
        audit.append(e.id(), "offboard", "eviction.pause-reminded", "paused since "
                + e.timeline().pause().map(p -> p.since().toString()).orElse("?"));
        return stored;
    }

    /**
     * While the countdown is paused the bot tries a clean export itself (daily, or after {@code /export-fixed}):
     * recorded first, so a crash or a failing start is retried a day later, not in a loop.
     */
    private Eviction retryExport(Eviction e) {
        Eviction stored = changes.store(e.id(), journey::exportRetried).record();
        String why = stored.timeline().pause().flatMap(p -> p.fixedAt()).isPresent()
                ? "an operator said the problem is fixed" : "its daily retry";
        try {
            audit.append(e.id(), "offboard", "export.retried", exports.start(stored, why));
        } catch (IOException | RuntimeException failed) {
            LOG.warn("the export retry of {} could not start ({}); the next one is a day later", e.id(), failed.toString());
            audit.append(e.id(), "offboard", "export.retry-failed", failed.toString());
        }
        return stored;
    }

    /**
     * At the deletion time the purge begins whatever runs: the eviction moves to purging (no export can be claimed
     * from then on), a running export is canceled, and the deletion starts once no worker of it can still write.
     */
    private Optional<Eviction> purgeWhenNoExportRuns(Eviction e, JourneyChanges.Lease lease) {
        Eviction purging = e.state() == EvictionState.CUTOVER ? purge.begin(e) : e;
        if (purging.state() != EvictionState.PURGING) {
            return Optional.of(purging); // something changed meanwhile (a legal hold): nothing is deleted
        }
        if (!fence.clear(purging)) {
            return Optional.empty();
        }
        return Optional.of(purge.run(purging, lease));
    }
}
