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
public class CutoverCommand extends JourneyCommand {

    private static final Logger LOG = LoggerFactory.getLogger(CutoverCommand.class);

    private final Sweeper sweeper;

    public CutoverCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies, Sweeper sweeper) {
        super(changes, journey, replies);
        this.sweeper = sweeper;
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        List<String> words = invocation.command().arguments();
        String actor = invocation.actor();
        if (words.isEmpty()) {
            return apply(invocation, e -> journey.requestCutover(e, actor));
        }
        if (words.size() == 1 && words.get(0).equalsIgnoreCase("confirm")) {
            Decision decision = decide(invocation, e -> journey.confirmCutover(e, actor));
            if (decision instanceof Decision.Changed) {
                try {
                    if (sweeper.process(invocation.eviction().id()).isEmpty()) {
                        return refuse(invocation, "confirmed. A sweep is working on this eviction right now; "
                                + "the cutover happens at the next sweep, within minutes.");
                    }
                } catch (RuntimeException e) {
                    // the confirmation is stored and the cutover is due: the next sweep performs it
                    LOG.warn("cutover of {} confirmed but not done yet ({}); the next sweep does it",
                            invocation.eviction().id(), e.toString());
                }
            }
            return answer(invocation, decision);
        }
        return refuse(invocation, "write `/cutover`, then `/cutover confirm` within 10 minutes.");
    }
}
