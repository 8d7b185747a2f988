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
public class LegalHoldCommand extends JourneyCommand {

    public LegalHoldCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies) {
        super(changes, journey, replies);
    }

    @Override
    public Outcome run(Invocation invocation) throws Exception {
        List<String> words = invocation.command().arguments();
        String mode = words.isEmpty() ? "" : words.get(0).toLowerCase();
        String actor = invocation.actor();
        if (mode.equals("on")) {
            String reason = invocation.command().text().substring(2).trim();
            if (reason.isEmpty()) {
                return refuse(invocation, "a legal hold needs its reason on the record, e.g. "
                        + "`/legal-hold on litigation hold, case 2027-17`.");
            }
            return apply(invocation, e -> journey.legalHoldOn(e, actor, reason));
        }
        if (mode.equals("off") && words.size() == 1) {
            return apply(invocation, e -> journey.legalHoldOff(e, actor));
        }
        return refuse(invocation, "write `/legal-hold on <reason>` or `/legal-hold off`.");
    }
}
