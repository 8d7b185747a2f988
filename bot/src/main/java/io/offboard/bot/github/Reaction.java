package io.offboard.bot.github;

import org.kohsuke.github.ReactionContent;

/** The bot's three reactions on a command comment. */
public enum Reaction {
    /** Seen: the command is being handled. */
    RECEIVED(ReactionContent.EYES),
    /** Done. */
    DONE(ReactionContent.ROCKET),
    /** Refused or failed; a reply says why. */
    REFUSED(ReactionContent.CONFUSED);

    final ReactionContent content;

    Reaction(ReactionContent content) {
        this.content = content;
    }
}
