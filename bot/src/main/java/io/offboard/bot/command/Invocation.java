package io.offboard.bot.command;

import io.offboard.lifecycle.access.Actor;
import io.offboard.lifecycle.access.Role;
import io.offboard.lifecycle.eviction.Eviction;
import io.offboard.lifecycle.eviction.EvictionId;
import java.time.Instant;
import java.util.Set;

/**
 * A command as asked for: by whom (the webhook's sender, and the roles that id holds), in which comment, on which
 * eviction.
 *
 * @param retry    true when an earlier attempt of this very command died part-way: what it did must not be repeated
 * @param postedAt when the comment was posted: replies of an earlier attempt can only be newer
 */
public record Invocation(ParsedCommand command, Actor who, Set<Role> roles, long commentId, Eviction eviction,
                         boolean retry, Instant postedAt) {

    /** The asker's login, for display and for the record's "by" facts. */
    public String actor() {
        return who.login();
    }

    public EvictionId id() {
        return eviction.id();
    }

    public String repository() {
        return eviction.id().repository();
    }

    public int issueNumber() {
        return eviction.id().issueNumber();
    }
}
