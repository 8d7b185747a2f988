package io.offboard.exporter.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an S3 object goes in the bag. S3 keys may hold what a portable file path may not ({@code %},
 * backslashes, control characters, empty or {@code .}/{@code ..} segments, a trailing {@code /} for
 * folder markers); those bytes are written as {@code ~XX} (hex of the UTF-8 byte), and {@code ~} itself as
 * {@code ~7E}, so every key maps to one safe path and back. Ordinary keys are unchanged.
 */
public final class ObjectPaths {

    private ObjectPaths() {
    }

    public static String pathFor(String key) {
        List<String> segments = new ArrayList<>();
        String[] parts = key.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.isEmpty()) {
                // "a//b", a leading "/" or a folder marker "a/": keep the slash as data
                if (!last || i == 0) {
                    segments.add("~2F");
                } else if (!segments.isEmpty()) {
                    segments.set(segments.size() - 1, segments.get(segments.size() - 1) + "~2F");
                }
                continue;
            }
            if (part.equals(".") || part.equals("..")) {
                segments.add(part.replace(".", "~2E"));
                continue;
            }
            segments.add(encode(part));
        }
        return String.join("/", segments);
    }

    private static String encode(String segment) {
        StringBuilder out = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); ) {
            int cp = segment.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '~' || cp == '%' || cp == '\\' || Character.isISOControl(cp)) {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('~').append(String.format("%02X", b & 0xff));
                }
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
