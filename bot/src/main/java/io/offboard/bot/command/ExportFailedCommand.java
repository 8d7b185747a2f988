package io.offboard.bot.command;

import io.offboard.bot.journey.JourneyChanges;
import io.offboard.lifecycle.access.Audience;
import io.offboard.lifecycle.eviction.EvictionJourney;
import jakarta.inject.Singleton;

/**
 * {@code /export-failed <reason>}: an operator confirms a platform-side export failure (seed 003 edge
 * cases); the countdown pauses until {@code /export-fixed} and a clean export. Failures of the owner's own
 * checking are not platform-side and must not be declared here.
 */
@SlashCommand(name = "export-failed", usage = "/export-failed <reason>",
        help = "pause the deletion countdown for a platform-side export failure (not for the owner's own checks)",
        audience = Audience.OPERATORS)
@Singleton
public class ExportFailedCommand implements Command {

    private final JourneyChanges changes;
    private final EvictionJourney journey;
    private final JourneyReplies replies;

    public ExportFailedCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies) {
        this.changes = changes;
        this.journey = journey;
        this.replies = replies;
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        String reason = invocation.command().text();
        if (reason.isBlank()) {
            replies.reply(invocation, "say what failed on the platform's side, e.g. "
                    + "`/export-failed parquet files of ord_orders are truncated`.");
            return Outcome.REFUSED;
        }
        return replies.answer(invocation, changes.decide(invocation.eviction().id(),
                e -> journey.exportFailed(e, reason, true)).decision());
    }
}
