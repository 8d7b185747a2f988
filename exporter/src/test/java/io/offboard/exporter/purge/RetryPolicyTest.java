package io.offboard.exporter.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The backoff schedule and the retry loop, with a recorded sleeper and a fixed random source: nothing waits. */
class RetryPolicyTest {

    private final List<Duration> slept = new ArrayList<>();

    private RetryPolicy policy(double random) {
        return RetryPolicy.standard().with(() -> random, slept::add);
    }

    @Test
    void theStandardPolicyIsSevenAttemptsFrom100MillisecondsDoublingUnderAFiveSecondCap() {
        RetryPolicy policy = RetryPolicy.standard();
        assertThat(policy.maxAttempts()).isEqualTo(7);
        List<Duration> ceilings = new ArrayList<>();
        for (int attempt = 2; attempt <= 7; attempt++) {
            ceilings.add(policy.ceiling(attempt));
        }
        assertThat(ceilings).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800), Duration.ofMillis(1600), Duration.ofMillis(3200));
        assertThatThrownBy(() -> policy.ceiling(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.ceiling(8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCeilingNeverPassesTheCap() {
        RetryPolicy long_ = new RetryPolicy(80, Duration.ofMillis(100), Duration.ofSeconds(5), () -> 0.5, slept::add);
        assertThat(long_.ceiling(7)).isEqualTo(Duration.ofMillis(3200));
        assertThat(long_.ceiling(8)).isEqualTo(Duration.ofSeconds(5));
        for (int attempt = 8; attempt <= 80; attempt++) {
            assertThat(long_.ceiling(attempt)).as("attempt " + attempt).isEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void fullJitterPausesAnywhereFromZeroToTheCeiling() {
        assertThat(policy(0.0).pause(4)).isEqualTo(Duration.ZERO);
        assertThat(policy(0.5).pause(4)).isEqualTo(Duration.ofMillis(200));
        Duration nearTop = policy(0.999_999).pause(7);
        assertThat(nearTop).isLessThan(Duration.ofMillis(3200)).isGreaterThan(Duration.ofMillis(3199));
        assertThatThrownBy(() -> policy(1.0).pause(2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBatchThatNeverGoesThroughFailsLoudlyAfterSevenAttemptsAndSixPauses() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> policy(0.5).run("deleting from t", List.of("a", "b", "c"), batch -> {
            attempts.incrementAndGet();
            return batch.size() == 3 ? List.of("c") : batch; // two go through, the third never
        })).isInstanceOf(PurgeFailedException.class)
                .hasMessageContaining("deleting from t")
                .hasMessageContaining("1 of 3 still unprocessed after 7 attempts");
        assertThat(attempts).hasValue(7);
        // half of every ceiling: 50, 100, 200, 400, 800, 1600 ms
        assertThat(slept).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(400), Duration.ofMillis(800), Duration.ofMillis(1600));
    }

    @Test
    void retriesOnlyWhatWasLeftAndStopsWhenNothingIs() {
        List<List<String>> sent = new ArrayList<>();
        policy(0.25).run("x", List.of("a", "b", "c"), batch -> {
            sent.add(batch);
            return sent.size() < 3 ? batch.subList(1, batch.size()) : List.of();
        });
        assertThat(sent).containsExactly(List.of("a", "b", "c"), List.of("b", "c"), List.of("c"));
        assertThat(slept).containsExactly(Duration.ofMillis(25), Duration.ofMillis(50));
    }

    @Test
    void nothingToSendMeansNoRequest() {
        policy(0.5).run("x", List.of(), batch -> {
            throw new AssertionError("no request expected");
        });
        assertThat(slept).isEmpty();
    }

    @Test
    void anInterruptedPauseFailsTheBatchAndKeepsTheInterrupt() {
        RetryPolicy interrupted = RetryPolicy.standard().with(() -> 0.5, pause -> {
            throw new InterruptedException();
        });
        try {
            assertThatThrownBy(() -> interrupted.run("x", List.of("a"), batch -> batch))
                    .isInstanceOf(PurgeFailedException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aPolicyNeedsAttemptsAndAnOrderedBaseAndCap() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(2), () -> 0, p -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(2), () -> 0, p -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
