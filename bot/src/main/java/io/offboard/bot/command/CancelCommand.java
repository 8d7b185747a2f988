package io.offboard.bot.command;

import io.offboard.bot.journey.JourneyChanges;
import io.offboard.lifecycle.access.Audience;
import io.offboard.lifecycle.eviction.EvictionJourney;
import jakarta.inject.Singleton;

/** {@code /cancel}: ends the eviction, only before cutover (after it the clock is hard). */
@SlashCommand(name = "cancel", usage = "/cancel",
        help = "end this eviction before its cutover; refused after cutover",
        audience = Audience.OPERATORS)
@Singleton
public class CancelCommand extends JourneyCommand {

    public CancelCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies) {
        super(changes, journey, replies);
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        return apply(invocation, e -> journey.cancel(e, invocation.actor()));
    }
}
