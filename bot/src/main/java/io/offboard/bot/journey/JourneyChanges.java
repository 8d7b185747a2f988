package io.offboard.bot.journey;

import io.offboard.bot.config.JourneySettings;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import io.offboard.lifecycle.eviction.EvictionJourney.Decision;
import io.offboard.lifecycle.store.EvictionStore;
import io.offboard.lifecycle.store.LeaseStore;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Applies a rule of the journey to the stored record: read, decide, write conditionally on the revision
 * (re-reading and deciding again if someone else changed it meanwhile), then deliver the record's outbox
 * under the record's lease.
 */
@Singleton
public class JourneyChanges {

    /** Identifies this process in lease holders, for operators reading the leases table. */
    private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();

    private final EvictionStore store;
    private final OutboxDelivery delivery;
    private final LeaseStore leases;
    private final JourneySettings settings;

    public JourneyChanges(EvictionStore store, OutboxDelivery delivery, LeaseStore leases, JourneySettings settings) {
        this.store = store;
        this.delivery = delivery;
        this.leases = leases;
        this.settings = settings;
    }

    /** The outcome of {@link #decide}: the decision taken on the freshest record, and that record as stored. */
    public record Applied(Decision decision, Eviction record) {
    }

    /** Decides on the freshest record and stores a change, then delivers its messages (under the lease). */
    public Applied decide(EvictionId id, Function<Eviction, Decision> rule) {
        Applied applied = store(id, rule);
        return applied.decision() instanceof Decision.Changed
                ? new Applied(applied.decision(), deliverUnderLease(applied.record()))
                : applied;
    }

    /**
     * As {@link #decide}, but only while holding the record's lease, so that no sweep step runs between the
     * rule's look at the world and the write (e.g. {@code /cancel} against a cutover half done). If a sweep
     * holds the record for longer than a short wait, the answer is a refusal asking to try again.
     */
    public Applied decideExclusively(EvictionId id, Function<Eviction, Decision> rule) throws InterruptedException {
        for (int wait = 0; ; wait++) {
            Optional<Applied> applied = underLease(id, lease -> {
                Applied stored = store(id, rule);
                return new Applied(stored.decision(), delivery.deliver(stored.record()));
            });
            if (applied.isPresent()) {
                return applied.get();
            }
            if (wait == 10) {
                return new Applied(new Decision.Refused("a sweep is working on this eviction right now; "
                        + "try again in a few minutes"), store.find(id).orElseThrow());
            }
            Thread.sleep(500);
        }
    }

    /**
     * Decides on the freshest record and stores a change, re-reading and deciding again if the record changed
     * in between; delivers nothing (a sweep holding the lease delivers after its step).
     */
    public Applied store(EvictionId id, Function<Eviction, Decision> rule) {
        Eviction current = store.find(id).orElseThrow(() -> new IllegalStateException("no eviction " + id));
        AtomicReference<Decision> decided = new AtomicReference<>();
        Eviction stored = store.modify(current, fresh -> {
            decided.set(rule.apply(fresh));
            return decided.get() instanceof Decision.Changed changed ? Optional.of(changed.next()) : Optional.empty();
        });
        return new Applied(decided.get(), stored);
    }

    /**
     * Delivers the record's outbox if no one else holds its lease; if someone does (a sweep working on it),
     * that holder or the next sweep delivers.
     */
    public Eviction deliverUnderLease(Eviction eviction) {
        return underLease(eviction.id(), lease -> delivery.deliver(store.find(eviction.id()).orElse(eviction)))
                .orElse(eviction);
    }

    /** The lease on one record held by one piece of work (two threads of one process never share one). */
    public record Lease(String key, String holder) {
    }

    /** Runs {@code work} while holding the record's lease; empty, without running it, if someone else holds it. */
    public <T> Optional<T> underLease(EvictionId id, Function<Lease, T> work) {
        Lease lease = new Lease("eviction:" + id, PROCESS + "/" + UUID.randomUUID());
        if (!renew(lease)) {
            return Optional.empty();
        }
        try {
            return Optional.of(work.apply(lease));
        } finally {
            leases.release(lease.key(), lease.holder());
        }
    }

    /** Extends a lease being held (long work does this as it goes); false if it has passed to someone else. */
    public boolean renew(Lease lease) {
        return leases.acquire(lease.key(), lease.holder(), settings.sweepLease());
    }
}
