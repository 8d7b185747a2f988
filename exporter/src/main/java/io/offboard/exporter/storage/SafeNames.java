package io.offboard.exporter.storage;

import java.util.regex.Pattern;

/**
 * Ids used as file or directory names on local disk (export work directories, purge checkpoints): letters, digits,
 * {@code _ . -}, starting with a letter or digit, never {@code ..}, so an id can never name a path outside its
 * directory.
 */
public final class SafeNames {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private SafeNames() {
    }

    public static boolean safe(String id) {
        return id != null && SAFE.matcher(id).matches() && !id.contains("..");
    }
}
