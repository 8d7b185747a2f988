package io.offboard.exporter.purge;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Retries the part of a batch a service left unprocessed (DynamoDB {@code UnprocessedItems}, S3 per-key errors):
 * at most {@link #maxAttempts()} requests in all, with exponential backoff and full jitter between them (seed
 * 001: 7 attempts, 100 ms to 5 s). The pause before attempt {@code n} is uniform in {@code [0, ceiling(n)]} with
 * {@code ceiling(n) = min(cap, base * 2^(n-2))}: full jitter spreads concurrent workers apart instead of having
 * them retry in step.
 */
public final class RetryPolicy {

    /** Sleeps; injected so tests can record the schedule instead of waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    public static final int ATTEMPTS = 7;
    public static final Duration BASE = Duration.ofMillis(100);
    public static final Duration CAP = Duration.ofSeconds(5);

    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;
    private final Sleeper sleeper;

    /**
     * @param random values in {@code [0, 1)}: the fraction of the ceiling to pause
     */
    public RetryPolicy(int maxAttempts, Duration base, Duration cap, DoubleSupplier random, Sleeper sleeper) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap: " + base + ", " + cap);
        }
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.random = Objects.requireNonNull(random, "random");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Seed 001's policy: 7 attempts, 100 ms base, 5 s cap, really sleeping. */
    public static RetryPolicy standard() {
        return new RetryPolicy(ATTEMPTS, BASE, CAP, () -> ThreadLocalRandom.current().nextDouble(),
                pause -> Thread.sleep(pause.toMillis(), (int) (pause.toNanos() % 1_000_000)));
    }

    /** The same policy with another random source and sleeper (tests). */
    public RetryPolicy with(DoubleSupplier random, Sleeper sleeper) {
        return new RetryPolicy(maxAttempts, base, cap, random, sleeper);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The longest pause before attempt {@code attempt} (2 to {@link #maxAttempts()}). */
    public Duration ceiling(int attempt) {
        if (attempt < 2 || attempt > maxAttempts) {
            throw new IllegalArgumentException("attempt " + attempt + " is not a retry of " + maxAttempts);
        }
        int doublings = attempt - 2;
        // past 2^62 the multiplication would overflow; the cap is far below that anyway
        if (doublings >= 62 || base.toNanos() > (cap.toNanos() >> doublings)) {
            return cap;
        }
        return base.multipliedBy(1L << doublings);
    }

    /** The pause before attempt {@code attempt}: full jitter, uniform in {@code [0, ceiling(attempt)]}. */
    public Duration pause(int attempt) {
        double fraction = random.getAsDouble();
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalStateException("random value outside [0, 1): " + fraction);
        }
        return Duration.ofNanos((long) (ceiling(attempt).toNanos() * fraction));
    }

    /** One try of a call that may fail; its exception decides whether another try is worth it. */
    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        T call() throws E;
    }

    /** Whether a failure may go away by itself, and the least time to wait before the next try (e.g. Retry-After). */
    @FunctionalInterface
    public interface Verdict<E extends Exception> {
        /** Empty: do not retry; otherwise the shortest pause the other side asked for (zero for none). */
        java.util.Optional<Duration> retryAfter(E failure);
    }

    /**
     * Calls {@code attempt} until it succeeds, {@code verdict} says a failure is final, or {@link #maxAttempts()}
     * tries were made; between tries the full-jitter pause, or longer if the failure asked for it. The last failure
     * is rethrown as is.
     */
    public <T, E extends Exception> T call(Attempt<T, E> attempt, Verdict<E> verdict) throws E {
        return call(attempt, verdict, (failure, pause) -> { });
    }

    /** Told of each retry about to happen (not of a failure that is final): the failure and the pause before it. */
    @FunctionalInterface
    public interface RetryListener<E extends Exception> {
        void retrying(E failure, Duration pause);
    }

    /** {@link #call(Attempt, Verdict)}, telling {@code listener} of every retry it is about to make. */
    public <T, E extends Exception> T call(Attempt<T, E> attempt, Verdict<E> verdict, RetryListener<E> listener)
            throws E {
        for (int n = 1; ; n++) {
            try {
                return attempt.call();
            } catch (Exception failure) {
                @SuppressWarnings("unchecked")
                E e = (E) failure; // Attempt throws only E (or unchecked, which are never retried)
                if (failure instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                java.util.Optional<Duration> after = verdict.retryAfter(e);
                if (after.isEmpty() || n >= maxAttempts) {
                    throw e;
                }
                Duration pause = pause(n + 1);
                Duration wait = after.get().compareTo(pause) > 0 ? after.get() : pause;
                listener.retrying(e, wait);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Sends {@code work}, then whatever the answer leaves unprocessed, until nothing is left or
     * {@link #maxAttempts()} requests were made.
     *
     * @param what    names the work in the failure message
     * @param attempt sends a batch and returns what it left unprocessed (empty when all went through)
     * @throws PurgeFailedException when something is still unprocessed after the last attempt (never a partial
     *                              success), or when interrupted while pausing
     */
    public <T> void run(String what, List<T> work, Function<List<T>, List<T>> attempt) {
        List<T> pending = work;
        for (int n = 1; !pending.isEmpty(); n++) {
            if (n > maxAttempts) {
                throw new PurgeFailedException(what + ": " + pending.size() + " of " + work.size()
                        + " still unprocessed after " + maxAttempts + " attempts");
            }
            if (n > 1) {
                try {
                    sleeper.sleep(pause(n));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PurgeFailedException(what + ": interrupted while waiting to retry", e);
                }
            }
            pending = List.copyOf(attempt.apply(pending));
        }
    }
}
