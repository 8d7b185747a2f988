package io.offboard.bot.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.offboard.bot.config.WebhookSettings;
import io.offboard.lifecycle.store.DeliveryStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook deliveries from receipt to handled. A verified delivery that concerns the bot is stored
 * ({@link DeliveryStore}) before GitHub gets its 202; workers take deliveries from the store under a lease, so a
 * crash or a restart after the 202 loses nothing: the next process (or another replica) takes what is pending.
 * A delivery GitHub sends twice is stored once and handled once. Deliveries about the same issue are handled one
 * at a time in a process; handlers are idempotent, so a delivery handled again after a crash changes nothing twice.
 */
@Singleton
public class DeliveryDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);
    private static final int ISSUE_LOCK_STRIPES = 64;
    /** Tries of a delivery that keeps failing before it is recorded as failed for good (and logged). */
    static final int MAX_ATTEMPTS = 8;

    /** What became of a delivery at the door. */
    public enum Receipt {
        /** Stored; it will be handled. */
        STORED,
        /** Stored before (GitHub redelivered it): handled once. */
        SEEN_BEFORE,
        /** Nothing the bot acts on (another event, a bot's own, a comment without commands): not stored. */
        IGNORED
    }

    private final EventRouter router;
    private final DeliveryStore deliveries;
    private final Clock clock;
    /** How long a worker holds a delivery; one that died gives it up after this (a restart takes it up then). */
    private final Duration lease;
    private final ObjectMapper json = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final ThreadPoolExecutor workers;
    // A fixed array of locks instead of one per issue: bounded memory, and collisions only cost a little waiting.
    private final ReentrantLock[] issueLocks = new ReentrantLock[ISSUE_LOCK_STRIPES];
    private final AtomicInteger pending = new AtomicInteger();
    /** This process, as the holder of the deliveries it works on. */
    private final String worker = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

    public DeliveryDispatcher(EventRouter router, DeliveryStore deliveries, WebhookSettings settings, Clock clock) {
        this.router = router;
        this.deliveries = deliveries;
        this.clock = clock;
        this.lease = settings.deliveryLease();
        for (int i = 0; i < issueLocks.length; i++) {
            issueLocks[i] = new ReentrantLock();
        }
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()),
                r -> {
                    Thread t = new Thread(r, "webhook-worker-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Whether the event header names something the bot handles; everything else is acknowledged and dropped. */
    public boolean wants(String event) {
        return router.handlesEvent(event);
    }

    /**
     * Looks at a verified delivery and, if it concerns the bot, stores it and starts handling it. Throws if the
     * store cannot take it: the caller answers 503 and GitHub delivers again.
     */
    public Receipt accept(Delivery delivery) {
        if (interesting(delivery).isEmpty()) {
            return Receipt.IGNORED;
        }
        if (!deliveries.accept(delivery.id(), delivery.event(), delivery.body())) {
            LOG.info("delivery {} seen before: handled once", delivery.id());
            return Receipt.SEEN_BEFORE;
        }
        submit(delivery.id());
        return Receipt.STORED;
    }

    /** The event, parsed, if a handler acts on it: cheap, done before anything is stored. */
    private Optional<WebhookEvent> interesting(Delivery delivery) {
        WebhookEvent event;
        try {
            event = json.readValue(delivery.body(), WebhookEvent.class);
        } catch (IOException e) {
            LOG.warn("delivery {} ({}) is not a readable payload: {}", delivery.id(), delivery.event(), e.getMessage());
            return Optional.empty();
        }
        var handler = router.route(delivery.event(), event.action());
        if (handler.isEmpty() || !handler.get().concerns(event)) {
            return Optional.empty();
        }
        if (event.senderAccount().isEmpty()) {
            LOG.warn("delivery {} ({}) names no sender: ignored, nothing is decided without one", delivery.id(),
                    delivery.event());
            return Optional.empty();
        }
        if (event.senderAccount().get().isBot()) {
            LOG.debug("delivery {} sent by bot {}: ignored", delivery.id(), event.sender().login());
            return Optional.empty();
        }
        return Optional.of(event);
    }

    /** Starts handling a stored delivery on a worker thread; if the workers are saturated it waits in the store. */
    void submit(String deliveryId) {
        pending.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    handle(deliveryId);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException full) {
            pending.decrementAndGet();
            LOG.warn("delivery {} waits in the store: every worker is busy", deliveryId);
        }
    }

    /**
     * Takes up what is pending in the store: deliveries accepted by a process that died before handling them,
     * and deliveries whose retry time has come. Run at start and on a timer; returns how many were started.
     */
    public int recover() {
        int started = 0;
        for (String id : deliveries.takeable(workers.getQueue().remainingCapacity())) {
            submit(id);
            started++;
        }
        return started;
    }

    /** Deliveries accepted and not yet finished in this process. */
    public int pending() {
        return pending.get();
    }

    /** Waits until every delivery accepted by this process is handled (demo and tests). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    void handle(String deliveryId) {
        Optional<DeliveryStore.Taken> taken = deliveries.take(deliveryId, worker, lease);
        if (taken.isEmpty()) {
            return; // done, failed for good, or another worker holds it
        }
        DeliveryStore.Taken delivery = taken.get();
        WebhookEvent event;
        try {
            event = json.readValue(delivery.body(), WebhookEvent.class);
        } catch (IOException e) {
            deliveries.failed(deliveryId, worker, "unreadable payload: " + e.getMessage());
            return;
        }
        var handler = router.route(delivery.event(), event.action()).orElseThrow();
        ReentrantLock lock = issueLocks[Math.floorMod(event.issueKey().hashCode(), issueLocks.length)];
        lock.lock();
        try {
            handler.handle(event, new Attempt(deliveryId, delivery.attempt()));
            deliveries.done(deliveryId, worker);
        } catch (Exception e) {
            if (delivery.attempt() >= MAX_ATTEMPTS) {
                LOG.error("delivery {} ({}.{} on {}) failed {} times; given up: {}", deliveryId, delivery.event(),
                        event.action(), event.issueKey(), delivery.attempt(), e.toString(), e);
                deliveries.failed(deliveryId, worker, e.toString());
            } else {
                Instant retryAt = clock.instant().plus(backoff(delivery.attempt()));
                LOG.error("delivery {} ({}.{} on {}) failed (attempt {}), retried at {}: {}", deliveryId,
                        delivery.event(), event.action(), event.issueKey(), delivery.attempt(), retryAt, e.toString(), e);
                deliveries.retryLater(deliveryId, worker, retryAt);
            }
        } finally {
            lock.unlock();
        }
    }

    /** 30 s after the first failure, doubling, at most an hour: handlers are idempotent, so a retry is safe. */
    static Duration backoff(int attempt) {
        Duration delay = Duration.ofSeconds(30).multipliedBy(1L << Math.min(attempt - 1, 7));
        return delay.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : delay;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
