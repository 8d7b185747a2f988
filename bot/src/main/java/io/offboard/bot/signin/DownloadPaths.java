package io.offboard.bot.signin;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two paths of a download: {@code /exports/{id}/download} (the link in the comment, public) and
 * {@code /exports/{id}/sign-in} (needs a session; sends an anonymous caller through GitHub and back). Export ids
 * are UUIDs; anything outside this shape is never echoed into a header or a cookie.
 */
public final class DownloadPaths {

    private static final String ID = "[A-Za-z0-9-]{1,64}";
    private static final Pattern SIGN_IN = Pattern.compile("/exports/(" + ID + ")/sign-in");

    private DownloadPaths() {
    }

    public static boolean validId(String id) {
        return id != null && id.matches(ID);
    }

    public static String download(String id) {
        requireValid(id);
        return "/exports/" + id + "/download";
    }

    public static String signIn(String id) {
        requireValid(id);
        return "/exports/" + id + "/sign-in";
    }

    /** The export id when {@code path} is exactly a sign-in path (no query, no other host, no tricks). */
    public static Optional<String> signInId(String path) {
        if (path == null) {
            return Optional.empty();
        }
        Matcher m = SIGN_IN.matcher(path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static void requireValid(String id) {
        if (!validId(id)) {
            throw new IllegalArgumentException("not an export id");
        }
    }
}
