package io.offboard.bot.command;

import io.offboard.lifecycle.access.Role;
import io.offboard.lifecycle.eviction.Eviction;
import java.util.Set;

/**
 * A command as asked for: by whom (and in which roles), in which comment, on which eviction.
 */
public record Invocation(ParsedCommand command, String actor, Set<Role> roles, long commentId, Eviction eviction) {

    public String repository() {
        return eviction.id().repository();
    }

    public int issueNumber() {
        return eviction.id().issueNumber();
    }
}
