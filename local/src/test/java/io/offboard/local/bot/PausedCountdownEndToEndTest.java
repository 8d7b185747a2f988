package io.offboard.local.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.offboard.lifecycle.eviction.EvictionState;
import io.offboard.local.support.BotFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A paused countdown is never silent and never endless by neglect: the operators hear of it every 7 days, and
 * after {@code /export-fixed} the bot runs the clean export itself, which resumes the countdown and tells the
 * owners how long they now have.
 */
class PausedCountdownEndToEndTest {

    @Test
    void theOperatorsAreRemindedWeeklyAndAfterTheFixTheBotEndsThePauseItself() throws Exception {
        try (BotFixture f = new BotFixture(Instant.parse("2026-12-01T09:00:00Z"), "paused-secret", List.of("alice"))) {
            int issue = f.file("acme", "@alice", "2027-01-15");
            f.clock.set(Instant.parse("2027-01-15T00:05:00Z"));
            f.bot.sweep();
            f.clock.set(Instant.parse("2027-01-20T12:00:00Z"));
            f.comment(issue, "ops-olivia", "/export-failed parquet files of ord_orders are truncated");
            assertThat(f.eviction(issue).timeline().pause()).isPresent();

            // a declared pause waits for the fix: nothing is retried before it, but a week on the operators hear of it
            f.clock.set(Instant.parse("2027-01-24T12:00:00Z"));
            assertThat(f.bot.sweep().actions()).isEmpty();
            f.clock.set(Instant.parse("2027-01-27T12:05:00Z"));
            assertThat(f.bot.sweep().actions()).containsExactly(f.id(issue) + " remind_paused");
            assertThat(f.lastBotComment(issue)).contains("still paused").contains("@ops-olivia")
                    .contains("7 days 0 hours").contains("parquet files of ord_orders are truncated")
                    .contains("`/export-fixed`");
            assertThat(f.botComment(issue, "<!-- offboard:status v1 -->")).contains("Countdown paused")
                    .contains("7 days 0 hours so far");

            // the fix: the next sweep runs the clean export itself, which resumes the countdown
            f.clock.set(Instant.parse("2027-01-28T09:00:00Z"));
            f.comment(issue, "ops-olivia", "/export-fixed");
            f.clock.advance(Duration.ofMinutes(10));
            assertThat(f.bot.sweep().actions()).containsExactly(f.id(issue) + " retry_export");
            assertThat(f.eviction(issue).timeline().pause()).isEmpty();
            assertThat(f.eviction(issue).state()).isEqualTo(EvictionState.CUTOVER);
            assertThat(f.botComment(issue, "runs again")).contains("@alice").contains("left to export")
                    .contains("2027-02-21 21:10 UTC");
            assertThat(f.botComment(issue, "the export of `acme` is ready")).startsWith("@alice,");
        }
    }
}
