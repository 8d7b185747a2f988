package io.offboard.bot.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void aCommandIsALineStartingWithASlash() {
        List<ParsedCommand> commands = CommandParser.parse("Thanks!\n/status\nand\n  /export parquet zstd  \n");

        assertThat(commands).extracting(ParsedCommand::name).containsExactly("status", "export");
        assertThat(commands.get(1).arguments()).containsExactly("parquet", "zstd");
        assertThat(commands.get(1).line()).isEqualTo("/export parquet zstd");
    }

    @Test
    void freeTextArgumentsAreKeptWhole() {
        ParsedCommand hold = CommandParser.parse("/legal-hold on case 2026-17: litigation").get(0);

        assertThat(hold.name()).isEqualTo("legal-hold");
        assertThat(hold.text()).isEqualTo("on case 2026-17: litigation");
    }

    @Test
    void quotedFencedIndentedAndCommentedCommandsAreNotCommands() {
        String body = String.join("\n",
                "> /cutover",
                ">/cancel",
                "```",
                "/cutover confirm",
                "```",
                "~~~~",
                "/cancel",
                "~~~~",
                "    /cutover",
                "\t/cancel",
                "<!--",
                "/cutover",
                "-->",
                "Run `/cutover` when ready",
                "see /status below",
                "/path/to/file",
                "/done");

        assertThat(CommandParser.parse(body)).extracting(ParsedCommand::name).containsExactly("done");
    }

    @Test
    void aFenceIsOnlyClosedByTheSameKindOfFenceAtLeastAsLong() {
        String body = "````\n```\n/cutover\n~~~~\n````\n/status";

        assertThat(CommandParser.parse(body)).extracting(ParsedCommand::name).containsExactly("status");
    }

    @Test
    void namesAreCaseInsensitiveAndWindowsLineEndingsWork() {
        assertThat(CommandParser.parse("/STATUS\r\n/Help\r\n")).extracting(ParsedCommand::name)
                .containsExactly("status", "help");
    }

    @Property(tries = 1000)
    void arbitraryTextNeverThrows(@ForAll String body) {
        assertThat(CommandParser.parse(body)).allSatisfy(c -> assertThat(c.name()).matches("[a-z][a-z0-9-]*"));
    }

    @Property(tries = 500)
    void aCommandInsideAQuoteOrCodeBlockNeverRuns(@ForAll("prose") String before, @ForAll("prose") String after,
                                                  @ForAll("hiding") String hiding) {
        String body = before + "\n" + hiding.replace("CMD", "/cutover confirm") + "\n" + after;

        assertThat(CommandParser.parse(body)).noneMatch(c -> c.name().equals("cutover"));
    }

    @Property(tries = 500)
    void aCommandOnItsOwnLineAmidProseRuns(@ForAll("prose") String before, @ForAll("prose") String after) {
        String body = before + "\n/status\n" + after;

        assertThat(CommandParser.parse(body)).extracting(ParsedCommand::name).contains("status");
    }

    @Provide
    Arbitrary<String> prose() {
        // text without fences, quotes, HTML comments, indentation or leading slashes, so it cannot hide or add commands
        return Arbitraries.strings().withChars("abcdefghij klmnop,.!?`'\"").ofMaxLength(60)
                .map(s -> s.replace("```", "``").strip());
    }

    @Provide
    Arbitrary<String> hiding() {
        return Arbitraries.of(
                "> CMD",
                "> quoted\n> CMD",
                "```\nCMD\n```",
                "```bash\nCMD\n```",
                "~~~\nCMD\n~~~",
                "    CMD",
                "\tCMD",
                "<!-- CMD -->",
                "<!--\nCMD\n-->",
                "```\nunclosed fence\nCMD");
    }

    @Test
    void atMostTenCommandsAreReadPerComment() {
        String body = java.util.stream.IntStream.range(0, 25).mapToObj(i -> "/export x" + i)
                .collect(java.util.stream.Collectors.joining("\n"));

        assertThat(CommandParser.parse(body)).hasSize(CommandParser.MAX_COMMANDS)
                .extracting(ParsedCommand::line).endsWith("/export x9");
    }

    @Test
    void aReSpelledCommandIsTheSameCommandAndOtherWordsAreAnother() {
        String first = CommandParser.parse("/export parquet zstd").get(0).identity();
        assertThat(CommandParser.parse("/EXPORT   Parquet\tzstd  ").get(0).identity()).isEqualTo(first);
        assertThat(CommandParser.parse("/export jsonl zstd").get(0).identity()).isNotEqualTo(first);
        assertThat(CommandParser.parse("/export").get(0).identity()).isNotEqualTo(first).hasSize(64);
    }
}
