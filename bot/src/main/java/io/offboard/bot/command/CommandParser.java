package io.offboard.bot.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds command lines in a comment: a line that starts with {@code /name}. Lines inside fenced or indented
 * code blocks, quoted lines ({@code >}) and HTML comments are never commands, so quoting someone's
 * {@code /cutover} does not run it. At most {@link #MAX_COMMANDS} are read per comment. Never throws, whatever
 * the text.
 */
public final class CommandParser {

    /** Commands read per comment; the rest of a longer list is ignored, so one comment cannot fan out. */
    public static final int MAX_COMMANDS = 10;

    private static final Pattern COMMAND = Pattern.compile("/([A-Za-z][A-Za-z0-9-]*)(?:\\s+(.*))?");
    private static final Pattern FENCE = Pattern.compile("(`{3,}|~{3,}).*");

    private CommandParser() {
    }

    public static List<ParsedCommand> parse(String body) {
        List<ParsedCommand> commands = new ArrayList<>();
        if (body == null || body.isEmpty()) {
            return commands;
        }
        String openFence = null;
        boolean inHtmlComment = false;
        for (String rawLine : body.split("\r\n|\r|\n", -1)) {
            if (inHtmlComment) {
                inHtmlComment = !rawLine.contains("-->");
                continue;
            }
            if (isIndentedCode(rawLine)) {
                continue;
            }
            String line = rawLine.strip();
            if (openFence != null) {
                if (closes(openFence, line)) {
                    openFence = null;
                }
                continue;
            }
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                openFence = fence.group(1);
                continue;
            }
            if (line.startsWith("<!--")) {
                inHtmlComment = !line.contains("-->");
                continue;
            }
            if (line.startsWith(">")) {
                continue;
            }
            Matcher command = COMMAND.matcher(line);
            if (command.matches() && commands.size() < MAX_COMMANDS) {
                String text = command.group(2) == null ? "" : command.group(2).strip();
                List<String> arguments = text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
                commands.add(new ParsedCommand(command.group(1).toLowerCase(Locale.ROOT), arguments, text, line));
            }
        }
        return commands;
    }

    /** A closing fence is the opening fence's character, at least as many times, and nothing else. */
    private static boolean closes(String openFence, String line) {
        if (line.length() < openFence.length()) {
            return false;
        }
        char fenceChar = openFence.charAt(0);
        return line.chars().allMatch(c -> c == fenceChar);
    }

    /** Four or more leading spaces, or a tab, make a Markdown code line. */
    private static boolean isIndentedCode(String line) {
        int spaces = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                return true;
            }
            if (c != ' ') {
                break;
            }
            if (++spaces >= 4) {
                return true;
            }
        }
        return false;
    }
}
