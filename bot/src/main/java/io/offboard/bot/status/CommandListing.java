package io.offboard.bot.status;

import java.util.List;

/**
 * The commands of an eviction as the status comment's table lists them (usage, who, what): given by the command
 * registry, so the status comment knows the commands without depending on them.
 */
public interface CommandListing {

    /** One row per command, with the properties {@code usage}, {@code audience} and {@code help}. */
    List<?> rows();
}
