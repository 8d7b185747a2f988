package io.offboard.bot.command;

import io.offboard.bot.journey.JourneyChanges;
import io.offboard.lifecycle.access.Audience;
import io.offboard.lifecycle.eviction.EvictionJourney;
import jakarta.inject.Singleton;
import java.util.List;

/** {@code /legal-hold on <reason>} and {@code /legal-hold off}: the purge waits while a hold is on. */
@SlashCommand(name = "legal-hold", usage = "/legal-hold on <reason> | off",
        help = "hold the deletion for a legal reason, or lift the hold (deletion then runs if its time has passed)",
        audience = Audience.OPERATORS)
@Singleton
public class LegalHoldCommand implements Command {

    private final JourneyChanges changes;
    private final EvictionJourney journey;
    private final JourneyReplies replies;

    public LegalHoldCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies) {
        this.changes = changes;
        this.journey = journey;
        this.replies = replies;
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        List<String> words = invocation.command().arguments();
        String mode = words.isEmpty() ? "" : words.get(0).toLowerCase();
        String actor = invocation.actor();
        if (mode.equals("on")) {
            String reason = invocation.command().text().substring(2).trim();
            if (reason.isEmpty()) {
                replies.reply(invocation, "a legal hold needs its reason on the record, e.g. "
                        + "`/legal-hold on litigation hold, case 2027-17`.");
                return Outcome.REFUSED;
            }
            return replies.answer(invocation, changes.decide(invocation.eviction().id(),
                    e -> journey.legalHoldOn(e, actor, reason)).decision());
        }
        if (mode.equals("off") && words.size() == 1) {
            return replies.answer(invocation, changes.decide(invocation.eviction().id(),
                    e -> journey.legalHoldOff(e, actor)).decision());
        }
        replies.reply(invocation, "write `/legal-hold on <reason>` or `/legal-hold off`.");
        return Outcome.REFUSED;
    }
}
