package io.offboard.bot.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.bot.github.AppClient;
import io.offboard.bot.github.AppHookDeliveries;
import io.offboard.bot.github.AppHookDeliveries.HookDelivery;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which deliveries a run asks GitHub for again: events (GUIDs) with no 2xx attempt in the window, each once, oldest
 * first, at most {@code max}; a refusal of one does not stop the others.
 */
class RedeliverySelectionTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static HookDelivery attempt(long id, String guid, Duration ago, boolean redelivery, int status) {
        return new HookDelivery(id, guid, NOW.minus(ago), redelivery, status, status / 100 == 2 ? "OK" : "failed",
                "issues", "opened");
    }

    /** GitHub's list, newest first, and what was asked for. */
    private static final class Recorded extends AppHookDeliveries {
        final List<HookDelivery> listed;
        final List<Long> asked = new ArrayList<>();
        final List<Long> refuse = new ArrayList<>();

        Recorded(HookDelivery... newestFirst) {
            super(AppClient.none(), "http://github.invalid", 1);
            this.listed = List.of(newestFirst);
        }

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public List<HookDelivery> since(Instant since) {
            return listed.stream().filter(d -> !d.deliveredAt().isBefore(since)).toList();
        }

        @Override
        public void redeliver(long deliveryId) throws IOException {
            if (refuse.contains(deliveryId)) {
                throw new IOException("gone");
            }
            asked.add(deliveryId);
        }
    }

    private static Redelivery redelivery(Recorded github) {
        return new Redelivery(github, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void onlyEventsWithoutASuccessfulAttemptAreAskedForOnceEachByTheirNewestAttempt() throws Exception {
        Recorded github = new Recorded(
                attempt(7, "fixed-by-hand", Duration.ofMinutes(5), true, 202),
                attempt(6, "twice-failed", Duration.ofMinutes(10), true, 502),
                attempt(5, "never-reached", Duration.ofMinutes(20), false, 0),
                attempt(4, "twice-failed", Duration.ofMinutes(30), false, 503),
                attempt(3, "fixed-by-hand", Duration.ofMinutes(40), false, 500),
                attempt(2, "ok", Duration.ofHours(1), false, 202),
                attempt(1, "unauthorized", Duration.ofHours(2), false, 401));

        Redelivery.Report report = redelivery(github).run(Redelivery.RETENTION, 50);

        // oldest first: unauthorized (2 h ago), twice-failed (first 30 min ago), never-reached (20 min ago)
        assertThat(github.asked).containsExactly(1L, 6L, 5L);
        assertThat(report.asked()).extracting(a -> a.last().guid())
                .containsExactly("unauthorized", "twice-failed", "never-reached");
        assertThat(report.asked().get(1).attempts()).isEqualTo(2);
        assertThat(report.asked().get(1).first()).isEqualTo(NOW.minus(Duration.ofMinutes(30)));
        assertThat(report.asked().get(1).line())
                .isEqualTo("twice-failed issues.opened, first delivered 2026-12-02T11:30:00Z, 2 failed attempts, "
                        + "last answered 502");
        assertThat(report.listed()).isEqualTo(7);
        assertThat(report.failed()).isEqualTo(3);
        assertThat(report.left()).isZero();
        assertThat(report.ok()).isTrue();
    }

    @Test
    void theCapLeavesTheNewestForTheNextRunAndTheWindowLeavesOutOlderAttempts() throws Exception {
        Recorded github = new Recorded(
                attempt(3, "c", Duration.ofMinutes(5), false, 502),
                attempt(2, "b", Duration.ofMinutes(50), false, 502),
                attempt(1, "a", Duration.ofHours(5), false, 502));

        Redelivery.Report capped = redelivery(github).run(Redelivery.RETENTION, 2);
        assertThat(github.asked).containsExactly(1L, 2L);
        assertThat(capped.left()).isEqualTo(1);
        assertThat(capped.summary()).contains("asked GitHub to redeliver 2 of 3 failed deliveries")
                .contains("1 left for the next run (at most 2 per run)");

        github.asked.clear();
        Redelivery.Report lastHour = redelivery(github).run(Duration.ofHours(1), 50);
        assertThat(github.asked).containsExactly(2L, 3L);
        assertThat(lastHour.since()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void aRefusalIsReportedAndTheOthersAreStillAskedFor() throws Exception {
        Recorded github = new Recorded(
                attempt(2, "b", Duration.ofMinutes(5), false, 502),
                attempt(1, "a", Duration.ofMinutes(50), false, 502));
        github.refuse.add(1L);

        Redelivery.Report report = redelivery(github).run(Redelivery.RETENTION, 50);

        assertThat(github.asked).containsExactly(2L);
        assertThat(report.ok()).isFalse();
        assertThat(report.summary()).contains("GitHub refused 1: a: java.io.IOException: gone");
    }
}
