package io.offboard.bot.export;

import java.time.Duration;
import java.util.Locale;

/** Sizes and durations as people read them in comments (exact byte counts are always shown beside). */
public final class Sizes {

    private Sizes() {
    }

    public static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    public static String duration(Duration d) {
        long seconds = Math.max(1, d.toSeconds());
        if (seconds < 90) {
            return seconds + " s";
        }
        if (seconds < 90 * 60) {
            return (seconds + 30) / 60 + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }
}
