package io.offboard.bot.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

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

    /**
     * The command as it is remembered and recognised: its name and words, case and spacing aside (an edit that only
     * re-spells a command is the same command), hashed (a line of any length fits a key or a marker).
     */
    public String identity() {
        String normalised = (name + " " + String.join(" ", arguments)).strip().toLowerCase(Locale.ROOT);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
