package io.offboard.bot.command;

import io.offboard.bot.journey.JourneyChanges;
import io.offboard.bot.journey.Sweeper;
import io.offboard.lifecycle.access.Audience;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionJourney.Decision;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /cutover} freezes the tenant before its eviction date, after {@code /cutover confirm} within
 * 10 minutes. The cutover itself is the same step a sweep takes on the eviction date.
 */
@SlashCommand(name = "cutover", usage = "/cutover [confirm]",
        help = "freeze the tenant now, before its eviction date (asks for `/cutover confirm` within 10 minutes)",
        audience = Audience.OPERATORS)
@Singleton
public class CutoverCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(CutoverCommand.class);

    private final JourneyChanges changes;
    private final EvictionJourney journey;
    private final JourneyReplies replies;
    private final Sweeper sweeper;

    public CutoverCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies, Sweeper sweeper) {
        this.changes = changes;
        this.journey = journey;
        this.replies = replies;
        this.sweeper = sweeper;
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        List<String> words = invocation.command().arguments();
        String actor = invocation.actor();
        if (words.isEmpty()) {
            return replies.answer(invocation, changes.decide(invocation.eviction().id(),
                    e -> journey.requestCutover(e, actor)).decision());
        }
        if (words.size() == 1 && words.get(0).equalsIgnoreCase("confirm")) {
            Decision decision = changes.decide(invocation.eviction().id(), e -> journey.confirmCutover(e, actor)).decision();
            if (decision instanceof Decision.Changed) {
                try {
                    sweeper.process(invocation.eviction().id());
                } catch (RuntimeException e) {
                    // the confirmation is stored and the cutover is due: the next sweep performs it
                    LOG.warn("cutover of {} confirmed but not done yet ({}); the next sweep does it",
                            invocation.eviction().id(), e.toString());
                }
            }
            return replies.answer(invocation, decision);
        }
        replies.reply(invocation, "write `/cutover`, then `/cutover confirm` within 10 minutes.");
        return Outcome.REFUSED;
    }
}
