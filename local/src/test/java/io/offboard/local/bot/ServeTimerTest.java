package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.local.support.BotFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timer inside {@code serve} sweeps by itself: nobody runs {@code offboard sweep} here. */
class ServeTimerTest {

    @Test
    void theServeTimerCutsOverOnTheEvictionDateWithoutAnyoneAsking() throws Exception {
        try (BotFixture f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "timer-secret", List.of("alice"),
                Map.of("offboard.timers.enabled", "true", "offboard.sweep-interval", "200ms",
                        "offboard.sweep-initial-delay", "0s"))) {
            int issue = f.file("acme", "@alice", "2027-01-15");
            assertThat(f.eviction(issue).state()).isEqualTo(EvictionState.NOTICE);
            f.clock.set(Instant.parse("2027-01-15T00:01:00Z"));
            await().atMost(Duration.ofSeconds(20)).until(() -> f.eviction(issue).state() == EvictionState.CUTOVER);
            await().atMost(Duration.ofSeconds(20)).until(() -> f.eviction(issue).outbox().isEmpty());
            assertThat(f.botComment(issue, "is frozen")).contains("2027-02-14 00:00 UTC");
        }
    }
}
