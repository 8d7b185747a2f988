package io.offboard.bot.command;

import io.offboard.bot.journey.JourneyChanges;
import io.offboard.lifecycle.access.Audience;
import io.offboard.lifecycle.eviction.EvictionJourney;
import jakarta.inject.Singleton;

/** {@code /done}: the owner has everything; recorded, acknowledged, labelled; no clock moves. */
@SlashCommand(name = "done", usage = "/done",
        help = "say you have all your data: no more reminders (the deletion date does not change)",
        audience = Audience.OWNERS)
@Singleton
public class DoneCommand extends JourneyCommand {

    public DoneCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies) {
        super(changes, journey, replies);
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        return apply(invocation, e -> journey.ownerDone(e, invocation.actor()));
    }
}
