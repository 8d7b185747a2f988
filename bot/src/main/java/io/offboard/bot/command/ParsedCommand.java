package io.offboard.bot.command;

import java.util.List;

/**
 * One command line found in a comment.
 *
 * @param name      lower-case name without the slash, e.g. {@code export}
 * @param arguments whitespace-separated words after the name
 * @param text      everything after the name, trimmed (free-text arguments such as a reason)
 * @param line      the whole line as written, trimmed
 */
public record ParsedCommand(String name, List<String> arguments, String text, String line) {
    public ParsedCommand {
        arguments = List.copyOf(arguments);
    }
}
