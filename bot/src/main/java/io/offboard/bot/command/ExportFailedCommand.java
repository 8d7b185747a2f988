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
public class ExportFailedCommand extends JourneyCommand {

    public ExportFailedCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies) {
        super(changes, journey, replies);
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        String reason = invocation.command().text();
        if (reason.isBlank()) {
            return refuse(invocation, "say what failed on the platform's side, e.g. "
                    + "`/export-failed parquet files of ord_orders are truncated`.");
        }
        return apply(invocation, e -> journey.exportFailed(e, reason, true));
    }
}
