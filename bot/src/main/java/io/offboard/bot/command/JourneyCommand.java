package io.offboard.bot.command;

import io.offboard.bot.journey.JourneyChanges;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionJourney;
import io.offboard.lifecycle.eviction.EvictionJourney.Decision;
import java.io.IOException;
import java.util.function.Function;

/**
 * A command that is one rule of the {@link EvictionJourney}: the rule decides on the freshest record, the
 * change is stored (with the comments it owes the issue), and a refusal or a repeat is answered in one line.
 */
abstract class JourneyCommand implements Command {

    protected final EvictionJourney journey;
    private final JourneyChanges changes;
    private final JourneyReplies replies;

    protected JourneyCommand(JourneyChanges changes, EvictionJourney journey, JourneyReplies replies) {
        this.changes = changes;
        this.journey = journey;
        this.replies = replies;
    }

    /** Applies {@code rule} to the stored record and answers the invocation with its decision. */
    protected Outcome apply(Invocation invocation, Function<Eviction, Decision> rule) throws IOException {
        return replies.answer(invocation, decide(invocation, rule));
    }

    protected Decision decide(Invocation invocation, Function<Eviction, Decision> rule) {
        return changes.decide(invocation.eviction().id(), rule).decision();
    }

    protected Outcome answer(Invocation invocation, Decision decision) throws IOException {
        return replies.answer(invocation, decision);
    }

    /** Refuses a malformed command with a line saying how to write it. */
    protected Outcome refuse(Invocation invocation, String how) throws IOException {
        replies.reply(invocation, how);
        return Outcome.REFUSED;
    }
}
