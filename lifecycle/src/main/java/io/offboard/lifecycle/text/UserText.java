package io.offboard.lifecycle.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text people typed, made safe to echo in the bot's Markdown comments. The bot finds its own comments by
 * hidden HTML-comment markers, so echoed text must never carry {@code <!--} or {@code -->}; and it must not
 * make the bot notify people (@-mentions), post links a stranger chose, or hide content behind HTML.
 */
public final class UserText {

    /** Longest text {@link #quote} shows, in code points; longer text is cut and ends in {@code …}. */
    public static final int QUOTE_MAX = 120;
    /** Longest text {@link #prose} shows, in code points; longer text is cut and ends in {@code …}. */
    public static final int PROSE_MAX = 1000;
    /** What {@link #quote} shows for null, or for text with nothing left once blanks are trimmed. */
    public static final String EMPTY = "`(empty)`";

    // line breaks and other control characters (C0, DEL, C1 with NEL), Unicode line and paragraph separators
    private static final Pattern BREAKS = Pattern.compile("[\\p{Cc}\\u2028\\u2029]");
    // bidirectional embeddings, overrides and isolates: they can make text display as something else
    private static final Pattern BIDI = Pattern.compile("[\\u202A-\\u202E\\u2066-\\u2069]");
    private static final Pattern BACKTICKS = Pattern.compile("`+");
    // only http(s) destinations, and nothing in text or destination that could end or escape the link early
    private static final Pattern LINK = Pattern.compile("\\[([^\\[\\]`\\\\]+)\\]\\((https?://[^\\s()<>\\[\\]`\\\\|]+)\\)");
    private static final Pattern MENTION = Pattern.compile("@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?");
    // an entity or numeric character reference, which would show as another character (&#64; is an @)
    private static final Pattern ENTITY = Pattern.compile("&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)");

    private UserText() {
    }

    /**
     * Text a person typed, shown verbatim as one inline code span on one line, e.g. {@code /exprot parquet}
     * becomes {@code `/exprot parquet`}. Line breaks and control characters become spaces and the ends are
     * trimmed; at most {@link #QUOTE_MAX} code points; {@code <} and {@code >} show as {@code ‹} and {@code ›}
     * so no marker can appear even in the raw comment; {@code |} is written {@code \|} for GFM table cells
     * (outside a table GitHub shows that backslash). Null or blank text shows as {@link #EMPTY}.
     */
    public static String quote(String text) {
        String visible = cap(oneLine(text == null ? "" : text).strip(), QUOTE_MAX)
                .replace('<', '‹').replace('>', '›').replace("|", "\\|");
        if (visible.isEmpty()) {
            return EMPTY;
        }
        String fence = "`".repeat(longestRun(visible) + 1);
        // CommonMark strips one space from each end of a span that starts or ends with a backtick
        String pad = visible.startsWith("`") || visible.endsWith("`") ? " " : "";
        return fence + pad + visible + pad + fence;
    }

    /**
     * Free text from an operator (an eviction, pause or legal-hold reason), for running text or a GFM table
     * cell: one line, at most {@link #PROSE_MAX} code points. HTML comments are dropped; {@code <} and
     * {@code >} become {@code &lt;} and {@code &gt;}; an @-mention becomes a code span ({@code `@alice`}), which
     * notifies nobody; {@code |}, {@code [}, {@code ]}, {@code \} and stray backticks are backslash-escaped;
     * character references are escaped. Kept: well-formed code spans (a comment marker in them is defused),
     * {@code [text](https://…)} links, and bare URLs (but an @name in one still becomes a code span). Meant to follow other text on
     * its line: a value that starts with {@code #} or {@code -} could otherwise start a heading or a list.
     */
    public static String prose(String text) {
        if (text == null) {
            return "";
        }
        String line = cap(oneLine(withoutComments(text)).strip(), PROSE_MAX);
        StringBuilder out = new StringBuilder();
        int plainFrom = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            int end = c == '`' ? codeSpanEnd(line, i) : -1;
            Matcher link = c == '[' ? LINK.matcher(line).region(i, line.length()) : null;
            if (end > 0) {
                plain(line.substring(plainFrom, i), out);
                code(line.substring(i, end).replace("<!--", "‹!--").replace("-->", "--›").replace("|", "\\|"), out);
                i = plainFrom = end;
            } else if (link != null && link.lookingAt() && !link.group(1).isBlank()) {
                plain(line.substring(plainFrom, i), out);
                if (out.length() > 0 && out.charAt(out.length() - 1) == '!') {
                    out.insert(out.length() - 1, '\\'); // ![text](url) would show an image
                }
                out.append('[');
                plain(link.group(1), out);
                out.append("](").append(link.group(2)).append(')');
                i = plainFrom = link.end();
            } else {
                i += c == '`' ? runLength(line, i) : 1;
            }
        }
        plain(line.substring(plainFrom), out);
        return out.toString();
    }

    /**
     * Drops every {@code <!-- ... -->}. What is left of one (an unterminated {@code <!--}, a stray {@code -->},
     * or a comment put together from the pieces around a dropped one) is escaped like any other HTML.
     */
    private static String withoutComments(String text) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int open = text.indexOf("<!--"); open >= 0; open = text.indexOf("<!--", from)) {
            int close = text.indexOf("-->", open + 4);
            if (close < 0) {
                break;
            }
            out.append(text, from, open);
            from = close + 3;
        }
        return out.append(text, from, text.length()).toString();
    }

    /** Text outside code spans and links: nothing in it may start Markdown, HTML or a mention. */
    private static void plain(String text, StringBuilder out) {
        Matcher mention = MENTION.matcher(text);
        int from = 0;
        while (mention.find()) {
            if (address(text, from, mention.start())) {
                continue;
            }
            out.append(escape(text.substring(from, mention.start())));
            code('`' + mention.group() + '`', out);
            from = mention.end();
        }
        out.append(escape(text.substring(from)));
    }

    /**
     * Whether the {@code @} at {@code at} is that of an e-mail address ({@code a@b.com}), which notifies nobody:
     * right after a letter or digit, and not in a chain like {@code a@b.com@alice}, where GitHub links the
     * address and the {@code @alice} after it is a mention again. The text before {@code floor} is in a code
     * span already: the text after it starts afresh.
     */
    private static boolean address(String text, int floor, int at) {
        int from = at;
        // what a linker may take for part of an address: any non-ASCII character included, as some do
        while (from > floor && (text.charAt(from - 1) >= 128 || asciiAlnum(text.charAt(from - 1))
                || "._+-".indexOf(text.charAt(from - 1)) >= 0)) {
            from--;
        }
        return from < at && asciiAlnum(text.charAt(at - 1)) && (from == floor || text.charAt(from - 1) != '@');
    }

    private static boolean asciiAlnum(char c) {
        return c < 128 && Character.isLetterOrDigit(c);
    }

    /** Appends a code span, apart from a backtick before it: two runs of backticks side by side would merge. */
    private static void code(String span, StringBuilder out) {
        if (out.length() > 0 && out.charAt(out.length() - 1) == '`') {
            out.append(' ');
        }
        out.append(span);
    }

    private static String escape(String text) {
        return ENTITY.matcher(text.replace("\\", "\\\\")).replaceAll("&amp;")
                .replace("<", "&lt;").replace(">", "&gt;")
                .replace("`", "\\`").replace("|", "\\|").replace("[", "\\[").replace("]", "\\]");
    }

    /** Where the code span opening at {@code from} ends (CommonMark: a closing run of the same length), or -1. */
    private static int codeSpanEnd(String text, int from) {
        int length = runLength(text, from);
        Matcher run = BACKTICKS.matcher(text).region(from + length, text.length());
        while (run.find()) {
            if (run.end() - run.start() == length) {
                return run.end();
            }
        }
        return -1;
    }

    private static int runLength(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) == '`') {
            i++;
        }
        return i - from;
    }

    private static int longestRun(String text) {
        Matcher run = BACKTICKS.matcher(text);
        int longest = 0;
        while (run.find()) {
            longest = Math.max(longest, run.end() - run.start());
        }
        return longest;
    }

    private static String oneLine(String text) {
        return BREAKS.matcher(BIDI.matcher(text).replaceAll("")).replaceAll(" ");
    }

    private static String cap(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max)) + "…";
    }
}
