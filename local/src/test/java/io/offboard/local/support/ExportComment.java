package io.offboard.local.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the bot's "export is ready" comment tells the owner: the archive's name, the bot's download link (and the
 * export id in it), the archive's SHA-256 and its size in bytes as the comment writes it.
 */
public record ExportComment(String archiveName, URI link, String exportId, String sha256, String bytes) {

    private static final Pattern LINK =
            Pattern.compile("\\[([^]]+)]\\((http://127\\.0\\.0\\.1:\\d+/exports/([0-9a-f-]+)/download)\\)");
    private static final Pattern SHA = Pattern.compile("\\*\\*SHA-256\\*\\* \\| `([0-9a-f]{64})`");
    private static final Pattern BYTES = Pattern.compile("\\*\\*Size\\*\\* \\| (\\d+) bytes");

    /** Reads {@code body}; fails the test if the link, the SHA-256 or the size is missing. */
    public static ExportComment of(String body) {
        Matcher link = find(LINK, body);
        return new ExportComment(link.group(1), URI.create(link.group(2)), link.group(3), find(SHA, body).group(1),
                find(BYTES, body).group(1));
    }

    /** The SHA-256 of a downloaded file, in the comment's spelling (lower-case hex). */
    public static String sha256Of(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Matcher find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(pattern + " in\n" + text).isTrue();
        return m;
    }
}
