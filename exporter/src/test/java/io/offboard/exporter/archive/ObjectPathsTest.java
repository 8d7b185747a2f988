package io.offboard.exporter.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-key part of the layout: how one key becomes a path and back. */
class ObjectPathsTest {

    @Test
    void ordinaryKeysAreUnchanged() {
        for (String key : new String[] {"acme/invoices/2026-11/inv 001.pdf", "orgcode=acme/usage-001.json",
            "acme/Ünïcödé/日本語.txt", "acme/a:b+c=d,e;f@g!h'(i)[j]{k}&l$m#n.txt", "acme/.hidden", "acme/..."}) {
            assertThat(ObjectPaths.pathFor(key)).isEqualTo(key);
            assertThat(ObjectPaths.keyFor(key)).isEqualTo(key);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            acme/100%.txt           | acme/100~25.txt
            acme/a~b\\c             | acme/a~7Eb~5Cc
            acme/folder/            | acme/folder~2F
            acme//x                 | acme~2F~2Fx
            acme///x/y              | acme~2F~2F~2Fx/y
            /acme/x                 | ~2Facme/x
            /                       | ~2F
            acme/./x                | acme/~2E/x
            acme/../etc             | acme/~2E~2E/etc
            acme/..                 | acme/~2E~2E
            ./                      | .~2F
            """)
    void whatAPathCannotHoldIsEscaped(String key, String path) {
        assertThat(ObjectPaths.pathFor(key)).isEqualTo(path);
        assertThat(ObjectPaths.keyFor(path)).isEqualTo(key);
    }

    @Test
    void controlInvisibleAndUnpairedCharactersAreEscapedAsTheirUtf8Bytes() {
        assertThat(ObjectPaths.pathFor("acme/tab\there")).isEqualTo("acme/tab~09here");
        assertThat(ObjectPaths.pathFor("acme/line\nbreak\r")).isEqualTo("acme/line~0Abreak~0D");
        assertThat(ObjectPaths.pathFor("acme/del\u007f\u0085")).isEqualTo("acme/del~7F~C2~85");
        // right-to-left override: "txt.exe" would show as "exe.txt"
        assertThat(ObjectPaths.pathFor("acme/\u202Etxt.exe")).isEqualTo("acme/~E2~80~AEtxt.exe");
        assertThat(ObjectPaths.pathFor("acme/zero\u200Bwidth\uFEFF")).isEqualTo("acme/zero~E2~80~8Bwidth~EF~BB~BF");
        // an unpaired surrogate has no UTF-8; it is written as the 3 bytes UTF-8 would give its code point
        assertThat(ObjectPaths.pathFor("acme/\uD800x")).isEqualTo("acme/~ED~A0~80x");
        assertThat(ObjectPaths.keyFor("acme/~ED~A0~80x")).isEqualTo("acme/\uD800x");
        // a paired one is an ordinary character
        assertThat(ObjectPaths.pathFor("acme/\uD83D\uDE00.png")).isEqualTo("acme/\uD83D\uDE00.png");
    }

    @Test
    void aSegmentOver255BytesContinuesInASubdirectoryCutBetweenCharacters() {
        String name = "é".repeat(200) + ".txt"; // 404 bytes of UTF-8
        String path = ObjectPaths.pathFor("acme/" + name);
        String[] segments = path.split("/");
        assertThat(segments).hasSize(3);
        assertThat(segments[1]).endsWith("~+");
        assertThat(segments[1].getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(255);
        assertThat(segments[1]).isEqualTo("é".repeat(126) + "~+"); // 252 + 2 bytes; one more é would be 256
        assertThat(segments[2]).isEqualTo("é".repeat(74) + ".txt");
        assertThat(ObjectPaths.keyFor(path)).isEqualTo("acme/" + name);

        // escapes are never cut: 300 '~' are 900 bytes of "~7E"
        String tildes = ObjectPaths.pathFor("acme/" + "~".repeat(300));
        for (String segment : tildes.split("/")) {
            assertThat(segment.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(255);
            assertThat(segment.replace("~+", "").replace("~7E", "")).isIn("", "acme");
        }
        assertThat(ObjectPaths.keyFor(tildes)).isEqualTo("acme/" + "~".repeat(300));
        // exactly 255 bytes stays whole
        assertThat(ObjectPaths.pathFor("acme/" + "a".repeat(255))).isEqualTo("acme/" + "a".repeat(255));
        assertThat(ObjectPaths.pathFor("acme/" + "a".repeat(256))).isEqualTo("acme/" + "a".repeat(253) + "~+/aaa");
    }

    @Test
    void aRankGoesBeforeAShortExtensionOrAtTheEnd() {
        assertThat(ObjectPaths.pathFor("acme/report.csv", 2)).isEqualTo("acme/report~~2.csv");
        assertThat(ObjectPaths.pathFor("acme/report", 1)).isEqualTo("acme/report~~1");
        assertThat(ObjectPaths.pathFor("acme/archive.tar.gz", 3)).isEqualTo("acme/archive.tar~~3.gz");
        assertThat(ObjectPaths.pathFor("acme/.bashrc", 2)).isEqualTo("acme/.bashrc~~2");
        assertThat(ObjectPaths.pathFor("acme/notes.final draft", 2)).isEqualTo("acme/notes.final draft~~2");
        assertThat(ObjectPaths.pathFor("acme/folder/", 1)).isEqualTo("acme/folder~2F~~1");
        for (String path : new String[] {"acme/report~~2.csv", "acme/report~~1", "acme/archive.tar~~3.gz"}) {
            assertThat(ObjectPaths.keyFor(path)).doesNotContain("~~");
        }
        assertThat(ObjectPaths.keyFor("acme/report~~12.csv")).isEqualTo("acme/report.csv");
        assertThat(ObjectPaths.rankOf("acme/report~~12.csv")).isEqualTo(12);
        assertThat(ObjectPaths.rankOf("acme/report.csv")).isZero();
    }

    @Test
    void pathsTheLayoutDoesNotMakeAreRefused() {
        for (String path : new String[] {"acme//x", "acme/x~", "acme/x~2", "acme/~2e", "acme/~zz", "acme/x~+",
            "acme/~~0", "acme/a~~1/b", "acme/~C3", "acme/~C0~80", "", "/x"}) {
            assertThatThrownBy(() -> ObjectPaths.keyFor(path)).as(path).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void foldingIgnoresCaseAndNormalisation() {
        assertThat(ObjectPaths.fold("t/Report.CSV")).isEqualTo(ObjectPaths.fold("t/report.csv"));
        assertThat(ObjectPaths.fold("t/\u00e9")).isEqualTo(ObjectPaths.fold("t/e\u0301"));
        assertThat(ObjectPaths.fold("t/\u212A")).isEqualTo(ObjectPaths.fold("t/k")); // Kelvin sign
        assertThat(ObjectPaths.fold("t/a~2F")).isNotEqualTo(ObjectPaths.fold("t/a~2E"));
    }

    /** Any key, any rank: the path is a safe relative path with short segments, and gives the key and rank back. */
    @Property(tries = 2000)
    void everyKeyRoundTripsThroughASafePath(@ForAll("keys") String key, @ForAll @IntRange(max = 30) int rank) {
        String path = ObjectPaths.pathFor(key, rank);
        assertThat(ObjectPaths.keyFor(path)).isEqualTo(key);
        assertThat(ObjectPaths.rankOf(path)).isEqualTo(rank);
        for (String segment : path.split("/", -1)) {
            assertThat(segment).isNotEmpty().isNotIn(".", "..");
            assertThat(segment.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        }
        assertThat(path.chars()).noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\' || c == '%');
        assertThat(path).doesNotStartWith("/");
        assertThat(path.chars().filter(c -> Character.isSurrogate((char) c)).count() % 2).isZero();
    }

    /** Whatever the key, the archive writer accepts its path. */
    @Property(tries = 300)
    void everyKeyBecomesAPathTheArchiveWriterAccepts(@ForAll("keys") String suffix) throws Exception {
        String key = "acme/" + suffix;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (BagArchiveWriter writer = new BagArchiveWriter(sink, Compression.GZIP, "bag", Instant.EPOCH, 1)) {
            writer.addPayload("s3/" + ObjectPaths.pathFor(key), 1, new ByteArrayInputStream(new byte[] {1}));
            writer.finish(Map.of());
        }
        assertThat(sink.size()).isPositive();
    }

    /** Keys heavy in what the mapping has to deal with: slashes, dots, tildes, controls, case, long runs. */
    @Provide
    Arbitrary<String> keys() {
        Arbitrary<String> tricky = Arbitraries.strings()
                .withChars('/', '/', '/', '.', '~', '+', '%', '\\', 'a', 'A', 'é', '\n', '\t', '\u202E', '\uD800',
                        '\uDC00', '2', 'E', 'F', '-')
                .ofMinLength(1).ofMaxLength(40);
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(60);
        Arbitrary<String> long0 = Arbitraries.strings().withChars('x', 'é', '~', '/', '中')
                .ofMinLength(200).ofMaxLength(1100);
        return Arbitraries.oneOf(tricky, anyChars, long0);
    }
}
