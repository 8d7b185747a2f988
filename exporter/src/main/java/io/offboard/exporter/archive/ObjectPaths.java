package io.offboard.exporter.archive;

import java.io.ByteArrayOutputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an S3 object goes in the bag, below {@code data/<service>/s3/<bucket>/}, and back: a documented, injective
 * mapping from key to path ({@code docs/export.md}, "How keys become paths") whose inverse {@link #keyFor} needs
 * nothing but the path.
 *
 * <p>Per key ({@link #pathFor(String)}):
 * <ol>
 *   <li>The key is cut into path segments at every {@code /} that has a character other than {@code /} on both
 *       sides. Every other {@code /} (leading, trailing, doubled: {@code a//b}, folder markers {@code a/}) stays
 *       part of its segment and is written {@code ~2F}.</li>
 *   <li>In each segment, {@code ~}, {@code %}, {@code \}, {@code /}, control characters (C0, DEL, C1), invisible
 *       and bidirectional-control characters ({@link #invisible}) and unpaired surrogates are written {@code ~XX},
 *       the upper-case hex of each of their UTF-8 bytes (an unpaired surrogate as its 3-byte generalised UTF-8
 *       form). A segment that is exactly {@code .} or {@code ..} is written {@code ~2E} or {@code ~2E~2E}.
 *       Nothing else changes: ordinary keys keep their natural paths.</li>
 *   <li>A segment longer than {@value #MAX_SEGMENT_BYTES} bytes of UTF-8 (what file systems allow) is cut into
 *       pieces of at most that size, each piece but the last ending in {@value #CONTINUED}: it continues in the
 *       next path segment. Cuts fall between characters and escapes, never inside one.</li>
 * </ol>
 * A {@code ~} in a path is therefore always the start of {@code ~XX} (two upper-case hex digits), {@code ~+}
 * (continued) or {@code ~~N} (below), so decoding is unambiguous.
 *
 * <p>Per bucket ({@link BucketLayout}): paths that would land on the same file where names are compared without
 * case or Unicode normalisation (macOS, Windows; {@link #fold}), and a key whose path is also a directory of other
 * keys' paths ({@code report} beside {@code report/2024.csv}: a tar cannot hold both), are told apart by a rank
 * {@code ~~N} in the file's last segment, before its extension: {@code report~~1}, {@code report~~2.csv}. Only
 * those files get one ({@link #pathFor(String, int)}).
 */
public final class ObjectPaths {

    /** Bytes of UTF-8 a path segment may have (the usual file system limit for a name). */
    public static final int MAX_SEGMENT_BYTES = 255;
    /** Ends a piece of an over-long segment: the segment continues in the next path segment. */
    static final String CONTINUED = "~+";
    /** Starts a rank: {@code ~~N}, the N-th file of the same name. */
    static final String RANK = "~~";
    private static final int EXTENSION_MAX = 16;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ObjectPaths() {
    }

    /** The key's path, relative to its bucket's directory, when no other key's path collides with it. */
    public static String pathFor(String key) {
        return pathFor(key, 0);
    }

    /**
     * The key's path with rank {@code rank} ({@code 0}: none) in its last segment, before the extension.
     *
     * @throws IllegalArgumentException for an empty key (S3 has none)
     */
    public static String pathFor(String key, int rank) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty object key");
        }
        if (rank < 0) {
            throw new IllegalArgumentException("negative rank " + rank);
        }
        List<String> segments = split(key);
        StringBuilder path = new StringBuilder(key.length() + 16);
        for (int i = 0; i < segments.size(); i++) {
            String encoded = escape(segments.get(i));
            if (rank > 0 && i == segments.size() - 1) {
                encoded = withRank(encoded, rank);
            }
            if (i > 0) {
                path.append('/');
            }
            appendChunked(path, encoded);
        }
        return path.toString();
    }

    /**
     * The key a path (relative to its bucket's directory) was made from: the inverse of {@link #pathFor(String, int)}
     * for every rank.
     *
     * @throws IllegalArgumentException the path is not one {@link #pathFor} makes (an empty segment, a {@code ~}
     *                                  that starts nothing, escapes that are not UTF-8, a rank outside the last
     *                                  segment)
     */
    public static String keyFor(String path) {
        List<String> segments = joinPieces(path);
        StringBuilder key = new StringBuilder(path.length());
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            int rank = segment.indexOf(RANK);
            if (rank >= 0) {
                if (i != segments.size() - 1) {
                    throw new IllegalArgumentException("rank outside the last segment of '" + path + "'");
                }
                int end = rankEnd(segment, rank);
                segment = segment.substring(0, rank) + segment.substring(end);
            }
            if (i > 0) {
                key.append('/');
            }
            key.append(unescape(segment, path));
        }
        return key.toString();
    }

    /** The rank in a path made by {@link #pathFor(String, int)}, 0 when it has none. */
    public static int rankOf(String path) {
        List<String> segments = joinPieces(path);
        String last = segments.get(segments.size() - 1);
        int at = last.indexOf(RANK);
        if (at < 0) {
            return 0;
        }
        return Integer.parseInt(last.substring(at + RANK.length(), rankEnd(last, at)));
    }

    /**
     * What a file system that ignores case and Unicode normalisation compares (APFS and HFS+ by default, NTFS):
     * canonical decomposition, then every code point mapped to the lower case of its upper case, decomposed again.
     * Two paths with the same fold may land on the same file there. Per code point and on canonical forms, so it
     * does not change where a {@code ~}, {@code /} or ASCII hex digit stands.
     */
    public static String fold(String path) {
        String nfd = Normalizer.normalize(path, Normalizer.Form.NFD);
        StringBuilder folded = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); ) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp)));
        }
        return Normalizer.normalize(folded, Normalizer.Form.NFD);
    }

    // ---- encoding

    /** Segments of the key: cut at each '/' with a character other than '/' on both sides. */
    static List<String> split(String key) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < key.length() - 1; i++) {
            if (key.charAt(i) == '/' && key.charAt(i - 1) != '/' && key.charAt(i + 1) != '/') {
                segments.add(key.substring(start, i));
                start = i + 1;
            }
        }
        segments.add(key.substring(start));
        return segments;
    }

    private static String escape(String segment) {
        if (segment.equals(".")) {
            return "~2E";
        }
        if (segment.equals("..")) {
            return "~2E~2E";
        }
        StringBuilder out = null;
        for (int i = 0; i < segment.length(); ) {
            char c = segment.charAt(i);
            int cp;
            int width;
            boolean lone = false;
            if (Character.isHighSurrogate(c) && i + 1 < segment.length()
                    && Character.isLowSurrogate(segment.charAt(i + 1))) {
                cp = Character.toCodePoint(c, segment.charAt(i + 1));
                width = 2;
            } else {
                cp = c;
                width = 1;
                lone = Character.isSurrogate(c);
            }
            if (lone || mustEscape(cp)) {
                if (out == null) {
                    out = new StringBuilder(segment.length() + 8).append(segment, 0, i);
                }
                for (byte b : utf8(cp)) {
                    out.append('~').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            } else if (out != null) {
                out.append(segment, i, i + width);
            }
            i += width;
        }
        return out == null ? segment : out.toString();
    }

    private static boolean mustEscape(int cp) {
        return cp == '~' || cp == '%' || cp == '\\' || cp == '/' || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)
                || invisible(cp);
    }

    /**
     * Invisible and bidirectional-control characters, which would make a file name look like another: soft hyphen,
     * Arabic letter mark, Mongolian vowel separator, zero-width spaces and joiners, left-to-right and right-to-left
     * marks, line and paragraph separators, bidirectional embeddings, overrides and isolates, word joiner and the
     * invisible operators, the byte order mark, interlinear annotation characters and the non-characters U+FFFE and
     * U+FFFF. A fixed list, so the mapping does not change with the Java version's Unicode tables.
     */
    static boolean invisible(int cp) {
        return cp == 0x00AD || cp == 0x061C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F)
                || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF
                || (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFFFE || cp == 0xFFFF;
    }

    /** UTF-8 of a code point; a surrogate code point gets the 3-byte form UTF-8 would give it (WTF-8). */
    private static byte[] utf8(int cp) {
        if (cp < 0x80) {
            return new byte[] {(byte) cp};
        }
        if (cp < 0x800) {
            return new byte[] {(byte) (0xC0 | cp >> 6), (byte) (0x80 | cp & 0x3F)};
        }
        if (cp < 0x10000) {
            return new byte[] {(byte) (0xE0 | cp >> 12), (byte) (0x80 | cp >> 6 & 0x3F), (byte) (0x80 | cp & 0x3F)};
        }
        return new byte[] {(byte) (0xF0 | cp >> 18), (byte) (0x80 | cp >> 12 & 0x3F), (byte) (0x80 | cp >> 6 & 0x3F),
            (byte) (0x80 | cp & 0x3F)};
    }

    /** Puts {@code ~~rank} before a short alphanumeric extension ({@code report~~2.csv}), else at the end. */
    private static String withRank(String encoded, int rank) {
        String token = RANK + rank;
        int dot = encoded.lastIndexOf('.');
        if (dot > 0 && dot < encoded.length() - 1 && encoded.length() - dot - 1 <= EXTENSION_MAX) {
            boolean alnum = true;
            for (int i = dot + 1; i < encoded.length() && alnum; i++) {
                char c = encoded.charAt(i);
                alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            }
            if (alnum) {
                return encoded.substring(0, dot) + token + encoded.substring(dot);
            }
        }
        return encoded + token;
    }

    /** Appends the segment, cut into pieces of at most {@link #MAX_SEGMENT_BYTES} bytes when longer. */
    private static void appendChunked(StringBuilder path, String segment) {
        int total = utf8Length(segment, 0, segment.length());
        if (total <= MAX_SEGMENT_BYTES) {
            path.append(segment);
            return;
        }
        int limit = MAX_SEGMENT_BYTES - CONTINUED.length();
        int start = 0;
        int bytes = 0;
        int i = 0;
        while (i < segment.length()) {
            int end = atomEnd(segment, i);
            int atom = utf8Length(segment, i, end);
            if (bytes + atom > limit && total > MAX_SEGMENT_BYTES) {
                path.append(segment, start, i).append(CONTINUED).append('/');
                total -= bytes;
                start = i;
                bytes = 0;
            }
            bytes += atom;
            i = end;
        }
        path.append(segment, start, segment.length());
    }

    /** Where the unit starting at {@code i} ends: an escape, a rank token, or one character. */
    private static int atomEnd(String s, int i) {
        char c = s.charAt(i);
        if (c == '~') {
            if (s.startsWith(RANK, i)) {
                return rankEnd(s, i);
            }
            return Math.min(s.length(), i + 3);
        }
        return Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                ? i + 2 : i + 1;
    }

    private static int utf8Length(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    // ---- decoding

    /** The path's segments with the pieces of over-long ones joined again. */
    private static List<String> joinPieces(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        List<String> segments = new ArrayList<>();
        StringBuilder pending = null;
        for (String part : path.split("/", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty segment in '" + path + "'");
            }
            if (part.endsWith(CONTINUED)) {
                (pending == null ? pending = new StringBuilder() : pending)
                        .append(part, 0, part.length() - CONTINUED.length());
                continue;
            }
            if (pending != null) {
                segments.add(pending.append(part).toString());
                pending = null;
            } else {
                segments.add(part);
            }
        }
        if (pending != null) {
            throw new IllegalArgumentException("'" + path + "' ends in a continued segment");
        }
        return segments;
    }

    private static int rankEnd(String segment, int at) {
        int end = at + RANK.length();
        while (end < segment.length() && segment.charAt(end) >= '0' && segment.charAt(end) <= '9') {
            end++;
        }
        if (end == at + RANK.length() || segment.charAt(at + RANK.length()) == '0') {
            throw new IllegalArgumentException("malformed rank in '" + segment + "'");
        }
        return end;
    }

    private static String unescape(String segment, String path) {
        if (segment.indexOf('~') < 0) {
            return segment;
        }
        StringBuilder out = new StringBuilder(segment.length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); ) {
            char c = segment.charAt(i);
            if (c == '~') {
                if (i + 3 > segment.length() || hex(segment.charAt(i + 1)) < 0 || hex(segment.charAt(i + 2)) < 0) {
                    throw new IllegalArgumentException("'~' that starts no escape in '" + path + "'");
                }
                bytes.write(hex(segment.charAt(i + 1)) << 4 | hex(segment.charAt(i + 2)));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(wtf8(bytes.toByteArray(), path));
                bytes.reset();
            }
            out.append(c);
            i++;
        }
        if (bytes.size() > 0) {
            out.append(wtf8(bytes.toByteArray(), path));
        }
        return out.toString();
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Decodes UTF-8 that may hold surrogate code points (as {@link #utf8} writes them), strictly. */
    private static String wtf8(byte[] b, String path) {
        StringBuilder out = new StringBuilder(b.length);
        for (int i = 0; i < b.length; ) {
            int lead = b[i] & 0xff;
            int n;
            int cp;
            if (lead < 0x80) {
                n = 1;
                cp = lead;
            } else if (lead >= 0xC2 && lead <= 0xDF) {
                n = 2;
                cp = lead & 0x1F;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                n = 3;
                cp = lead & 0x0F;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                n = 4;
                cp = lead & 0x07;
            } else {
                throw new IllegalArgumentException("escapes in '" + path + "' are not UTF-8");
            }
            if (i + n > b.length) {
                throw new IllegalArgumentException("escapes in '" + path + "' end inside a character");
            }
            for (int k = 1; k < n; k++) {
                int cont = b[i + k] & 0xff;
                if ((cont & 0xC0) != 0x80) {
                    throw new IllegalArgumentException("escapes in '" + path + "' are not UTF-8");
                }
                cp = cp << 6 | (cont & 0x3F);
            }
            int min = n == 1 ? 0 : n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
            if (cp < min || cp > 0x10FFFF) {
                throw new IllegalArgumentException("escapes in '" + path + "' are not shortest-form UTF-8");
            }
            out.appendCodePoint(cp);
            i += n;
        }
        return out.toString();
    }
}
