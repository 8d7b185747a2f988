package io.offboard.bot.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.offboard.bot.config.WebhookSettings;
import io.offboard.lifecycle.store.DedupeStore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes verified deliveries off the request thread and processes them in the background: parse, drop
 * bot senders, drop deliveries seen before (by GitHub delivery id, across restarts and replicas), then
 * hand to the routed handler. Deliveries about the same issue are processed one at a time.
 */
@Singleton
public class DeliveryDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryDispatcher.class);
    /** GitHub redelivers for at most a few days; a week covers manual redeliveries too. */
    static final Duration REMEMBER_DELIVERIES = Duration.ofDays(7);
    private static final int ISSUE_LOCK_STRIPES = 64;

    private final EventRouter router;
    private final DedupeStore dedupe;
    private final ObjectMapper json = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final ThreadPoolExecutor workers;
    // A fixed array of locks instead of one per issue: bounded memory, and collisions only cost a little waiting.
    private final ReentrantLock[] issueLocks = new ReentrantLock[ISSUE_LOCK_STRIPES];
    private final AtomicInteger pending = new AtomicInteger();

    public DeliveryDispatcher(EventRouter router, DedupeStore dedupe, WebhookSettings settings) {
        this.router = router;
        this.dedupe = dedupe;
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

    /** Queues a delivery; false when the queue is full (the caller answers 503 so GitHub retries later). */
    public boolean submit(Delivery delivery) {
        pending.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    process(delivery);
                } finally {
                    pending.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException full) {
            pending.decrementAndGet();
            return false;
        }
    }

    /** Deliveries accepted and not yet finished. */
    public int pending() {
        return pending.get();
    }

    /** Waits until every accepted delivery is processed (demo and tests). */
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

    void process(Delivery delivery) {
        WebhookEvent event;
        try {
            event = json.readValue(delivery.body(), WebhookEvent.class);
        } catch (IOException e) {
            LOG.warn("delivery {} ({}) is not a readable {} payload: {}", delivery.id(), delivery.event(),
                    delivery.event(), e.getMessage());
            return;
        }
        var handler = router.route(delivery.event(), event.action());
        if (handler.isEmpty() || !handler.get().concerns(event)) {
            return;
        }
        if (event.senderAccount().isEmpty()) {
            LOG.warn("delivery {} ({}) names no sender: ignored, nothing is decided without one", delivery.id(),
                    delivery.event());
            return;
        }
        if (event.senderAccount().map(WebhookEvent.Account::isBot).orElse(false)) {
            LOG.debug("delivery {} sent by bot {}: ignored", delivery.id(), event.sender().login());
            return;
        }
        ReentrantLock lock = issueLocks[Math.floorMod(event.issueKey().hashCode(), issueLocks.length)];
        lock.lock();
        try {
            String key = "delivery:" + delivery.id();
            if (!dedupe.claimFirst(key, REMEMBER_DELIVERIES)) {
                LOG.info("delivery {} seen before: ignored", delivery.id());
                return;
            }
            try {
                handler.get().handle(event);
            } catch (Exception e) {
                // let a redelivery of this id try again; handlers are idempotent
                dedupe.release(key);
                LOG.error("delivery {} ({}.{} on {}) failed: {}", delivery.id(), delivery.event(), event.action(),
                        event.issueKey(), e.toString(), e);
            }
        } finally {
            lock.unlock();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
