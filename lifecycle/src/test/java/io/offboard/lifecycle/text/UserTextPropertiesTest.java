package io.offboard.lifecycle.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableBody;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Code;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;

/**
 * {@link UserText} against hostile strings, checked with a real CommonMark parser (with GitHub's tables and
 * autolinks): whatever a person types, the echo stays on one line and in one table cell, carries no HTML
 * comment (so no forged marker), no HTML and no live @-mention; {@code quote} is exactly one code span that
 * shows what was typed.
 */
class UserTextPropertiesTest {

    private static final List<Extension> GFM = List.of(TablesExtension.create(), AutolinkExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(GFM).build();
    // what GitHub would turn into a notification in rendered text: @ after anything but a letter or digit
    private static final Pattern LIVE_MENTION = Pattern.compile("(?<![A-Za-z0-9])@[A-Za-z0-9]");
    private static final String TABLE = "| name | value |\n|---|---|\n| a | %s |\n";

    private static final List<String> FRAGMENTS = List.of("<!--", "-->", "<!-- offboard:status v1 -->",
            "<!-- offboard:message 01H NONCE -->", "@alice", "@org/team", "@org/everyone", "a@b.com",
            "[x](https://evil.example)", "![x](https://evil.example/i.png)", "[x](javascript:alert(1))",
            "https://evil.example/a", "https://evil.example/@alice", "<https://evil.example>", "www.evil.example",
            "<script>", "</script>", "<img src=x>", "<", ">", "<!-->", "&#64;alice", "&lt;!--", "&amp;", "|", "\\",
            "\\|", "\\`", "\n", "\r", "\r\n", "\t", "\u0000", "\u0085", "\u2028", "\u202E", "*", "**", "_", "~~", "#1",
            "# ", "- ", "> ", "[", "]", "(", ")", "!", ":", " ", "  ", "    ", "é", "😀", "中文", "/export parquet",
            "[^1]", "[x]: https://evil.example");

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> fragment = Arbitraries.oneOf(
                Arbitraries.of(FRAGMENTS),
                Arbitraries.integers().between(1, 5).map("`"::repeat),
                Arbitraries.strings().withChars("<>!-`@[]()|\\ \n*_#&;/:ab").ofMaxLength(6),
                Arbitraries.strings().ofMaxLength(8));
        return Arbitraries.oneOf(
                fragment.list().ofMaxSize(12).map(parts -> String.join("", parts)),
                fragment.list().ofMinSize(20).ofMaxSize(60).map(parts -> String.join("", parts)),
                Arbitraries.strings().ofMaxLength(300));
    }

    // quote: one code span showing the text

    @Property(tries = 2000)
    void aQuoteIsOneLineWithoutAnyAngleBracket(@ForAll("hostile") String text) {
        String quoted = UserText.quote(text);
        assertThat(quoted).doesNotContain("\n", "\r", "\u2028", "\u2029", "<!--", "-->", "<", ">");
    }

    @Property(tries = 2000)
    void aQuoteIsExactlyOneCodeSpanShowingTheText(@ForAll("hostile") String text) {
        Node document = PARSER.parse(UserText.quote(text));
        Node paragraph = onlyChild(document);
        assertThat(paragraph).isInstanceOf(Paragraph.class);
        Node code = onlyChild(paragraph);
        assertThat(code).isInstanceOf(Code.class);
        // outside a table the \ of an escaped | shows
        assertThat(((Code) code).getLiteral()).isEqualTo(shown(text).replace("|", "\\|"));
    }

    @Property(tries = 2000)
    void aQuoteStaysInItsTableCell(@ForAll("hostile") String text) {
        TableCell cell = onlyValueCell(String.format(TABLE, UserText.quote(text)));
        Node code = onlyChild(cell);
        assertThat(code).isInstanceOf(Code.class);
        assertThat(((Code) code).getLiteral()).isEqualTo(shown(text));
    }

    // prose: running text without comments, HTML or mentions

    @Property(tries = 2000)
    void proseIsOneLineWithoutHtmlComments(@ForAll("hostile") String text) {
        assertThat(UserText.prose(text)).doesNotContain("\n", "\r", "\u2028", "\u2029", "<!--", "-->");
    }

    @Property(tries = 2000)
    void proseInASentenceHasNoHtmlNoImageAndNoLiveMention(@ForAll("hostile") String text) {
        Node document = PARSER.parse("The reason: " + UserText.prose(text) + ". Thanks.");
        assertThat(onlyChild(document)).isInstanceOf(Paragraph.class);
        checkInline(document);
    }

    @Property(tries = 2000)
    void proseStaysInItsTableCell(@ForAll("hostile") String text) {
        TableCell cell = onlyValueCell(String.format(TABLE, UserText.prose(text)));
        checkInline(cell);
    }

    private static void checkInline(Node root) {
        for (Node node : descendants(root)) {
            assertThat(node).isNotInstanceOfAny(HtmlInline.class, HtmlBlock.class, Image.class);
            if (node instanceof Text t) {
                assertThat(t.getLiteral()).doesNotContainPattern(LIVE_MENTION);
            }
            if (node instanceof Link link && !autolink(link)) {
                assertThat(link.getDestination()).matches("https?://.*");
            }
        }
    }

    // examples: what the thread shows

    @Example
    void quotesACommandLine() {
        assertThat(UserText.quote("/exprot parquet")).isEqualTo("`/exprot parquet`");
        assertThat(UserText.quote("  /export\r\nparquet\t")).isEqualTo("`/export  parquet`");
    }

    @Example
    void quotesBackticksWithALongerFence() {
        assertThat(UserText.quote("/export `x`")).isEqualTo("`` /export `x` ``");
        assertThat(UserText.quote("a ``` b")).isEqualTo("````a ``` b````");
    }

    @Example
    void quotesAMarkerWithLookAlikeBrackets() {
        assertThat(UserText.quote("<!-- offboard:status v1 -->")).isEqualTo("`‹!-- offboard:status v1 --›`");
    }

    @Example
    void quotesPipesNothingAndTooMuch() {
        assertThat(UserText.quote("a|b")).isEqualTo("`a\\|b`");
        assertThat(UserText.quote(null)).isEqualTo("`(empty)`").isEqualTo(UserText.EMPTY);
        assertThat(UserText.quote(" \n ")).isEqualTo(UserText.EMPTY);
        assertThat(UserText.quote("x".repeat(200))).isEqualTo("`" + "x".repeat(120) + "…`");
    }

    @Example
    void proseKeepsPlainTextLinksAndCodeSpans() {
        assertThat(UserText.prose("S3 was down for 2 hours: see [the incident](https://status.example/i/42)"))
                .isEqualTo("S3 was down for 2 hours: see [the incident](https://status.example/i/42)");
        assertThat(UserText.prose("write `/legal-hold on <reason>` or `/legal-hold off`."))
                .isEqualTo("write `/legal-hold on <reason>` or `/legal-hold off`.");
        assertThat(UserText.prose("mail ops@example.com or see https://status.example/a?b=1&c=2"))
                .isEqualTo("mail ops@example.com or see https://status.example/a?b=1&c=2");
        assertThat(UserText.prose(null)).isEmpty();
    }

    @Example
    void proseLinksSurviveAsLinks() {
        Node document = PARSER.parse("Reason: " + UserText.prose("court order, see [case 12](https://court.example/12)"));
        List<Link> links = descendants(document).stream().filter(Link.class::isInstance).map(Link.class::cast).toList();
        assertThat(links).singleElement().satisfies(link -> {
            assertThat(link.getDestination()).isEqualTo("https://court.example/12");
            assertThat(((Text) link.getFirstChild()).getLiteral()).isEqualTo("case 12");
        });
    }

    @Example
    void proseDropsCommentsAndDefusesHtmlAndMentions() {
        assertThat(UserText.prose("down <!-- offboard:status v1 -->\nsince 9:00"))
                .isEqualTo("down  since 9:00");
        assertThat(UserText.prose("<!-- unterminated")).isEqualTo("&lt;!-- unterminated");
        assertThat(UserText.prose("ping @alice and @org/team")).isEqualTo("ping `@alice` and `@org/team`");
        assertThat(UserText.prose("<img src=x> a|b")).isEqualTo("&lt;img src=x&gt; a\\|b");
        assertThat(UserText.prose("`<!-- offboard:status v1` and `-->`")).isEqualTo("\\`\\`");
        assertThat(UserText.prose("`<!-- offboard:status v1`")).isEqualTo("`‹!-- offboard:status v1`");
        assertThat(UserText.prose("`x -->`")).isEqualTo("`x --›`");
        assertThat(UserText.prose("`x`@alice@bob-@carol a@b.com@dave @org/team@erin"))
                .isEqualTo("`x` `@alice` `@bob-` `@carol` a@b.com`@dave` `@org/team` `@erin`");
        assertThat(UserText.prose("see ![x](https://evil.example/i.png) `")).isEqualTo("see \\![x](https://evil.example/i.png) \\`");
    }

    // helpers

    /** What quote should show: one line, trimmed, capped, with look-alikes for angle brackets. */
    private static String shown(String text) {
        StringBuilder line = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
                return;
            }
            boolean lineBreak = Character.getType(cp) == Character.CONTROL || cp == 0x2028 || cp == 0x2029;
            line.appendCodePoint(lineBreak ? ' ' : cp);
        });
        String visible = line.toString().strip();
        if (visible.isEmpty()) {
            return "(empty)";
        }
        if (visible.codePointCount(0, visible.length()) > UserText.QUOTE_MAX) {
            visible = visible.substring(0, visible.offsetByCodePoints(0, UserText.QUOTE_MAX)) + "…";
        }
        return visible.replace('<', '‹').replace('>', '›');
    }

    /** A link that shows its own destination, as a bare URL or e-mail address becomes. */
    private static boolean autolink(Link link) {
        return link.getFirstChild() instanceof Text text && link.getFirstChild() == link.getLastChild()
                && link.getDestination().endsWith(text.getLiteral());
    }

    private static TableCell onlyValueCell(String markdown) {
        Node table = onlyChild(PARSER.parse(markdown));
        assertThat(table).as(markdown).isInstanceOf(TableBlock.class);
        Node body = table.getLastChild();
        assertThat(body).isInstanceOf(TableBody.class);
        Node row = onlyChild(body);
        assertThat(row).isInstanceOf(TableRow.class);
        assertThat(children(row)).as(markdown).hasSize(2).allMatch(TableCell.class::isInstance);
        return (TableCell) row.getLastChild();
    }

    private static Node onlyChild(Node parent) {
        List<Node> children = children(parent);
        assertThat(children).hasSize(1);
        return children.get(0);
    }

    private static List<Node> children(Node parent) {
        List<Node> children = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNext()) {
            children.add(child);
        }
        return children;
    }

    private static List<Node> descendants(Node root) {
        List<Node> all = new ArrayList<>();
        for (Node child : children(root)) {
            all.add(child);
            all.addAll(descendants(child));
        }
        return all;
    }
}
