package io.offboard.bot.command;

import io.offboard.bot.journey.JourneyChanges;
import io.offboard.lifecycle.access.Audience;
import io.offboard.lifecycle.eviction.EvictionJourney;
import jakarta.inject.Singleton;

/** {@code /export-fixed}: the platform-side problem is fixed; the countdown resumes at the next clean export. */
@SlashCommand(name = "export-fixed", usage = "/export-fixed",
        help = "the platform-side export problem is fixed: the countdown resumes when a clean export completes",
        audience = Audience.OPERATORS)
@Singleton
public class ExportFixedCommand extends JourneyCommand {

    public ExportFixedCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies) {
        super(changes, journey, replies);
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        return apply(invocation, e -> journey.exportFixed(e, invocation.actor()));
    }
}
