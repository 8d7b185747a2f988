package io.offboard.bot.command;

import io.offboard.bot.template.Templates;
import io.offboard.lifecycle.eviction.EvictionJourney.Decision;
import io.offboard.lifecycle.text.UserText;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Map;

/**
 * How a command answers the journey's decision: a change speaks through the record's outbox; a refusal or
 * a repeat gets a one-line reply saying why, so nobody is left guessing.
 */
@Singleton
public class JourneyReplies {

    private final PersonReplies replies;
    private final Templates templates;

    public JourneyReplies(PersonReplies replies, Templates templates) {
        this.replies = replies;
        this.templates = templates;
    }

    public Command.Outcome answer(Invocation invocation, Decision decision) throws IOException {
        if (decision instanceof Decision.Refused refused) {
            reply(invocation, refused.why());
            return Command.Outcome.REFUSED;
        }
        // a retry after a crash finds its own earlier change: that is not news for the person who asked
        if (decision instanceof Decision.Unchanged unchanged && !invocation.retry()) {
            reply(invocation, "nothing to do: " + unchanged.why() + ".");
        }
        return Command.Outcome.DONE;
    }

    /**
     * A one-line answer to the command, e.g. what is missing from its arguments. The command line is quoted as
     * typed; {@code why} may carry an operator's reason, and its own code spans (e.g. {@code `/export-fixed`}) stay.
     */
    public void reply(Invocation invocation, String why) throws IOException {
        replies.comment(invocation, templates.render("command-declined",
                Map.of("actor", invocation.actor(), "line", UserText.quote(invocation.command().line()),
                        "why", UserText.prose(why))));
    }
}
