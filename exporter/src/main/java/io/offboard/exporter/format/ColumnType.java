package io.offboard.exporter.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The types a registry table may declare for a typed export column, and how an attribute's JSON value becomes a
 * column value. A value that does not fit the declared type (a string in a {@code long} column, a fraction in a
 * {@code long} column, an unparseable timestamp) becomes null in that column; the row's {@code item_json} still
 * holds it exactly.
 */
public enum ColumnType {
    /** Any value: strings as they are, numbers in plain notation, booleans as {@code true}/{@code false}, maps and
     *  lists as canonical JSON. */
    STRING,
    /** A whole number in the signed 64-bit range (a number, or a string holding one). */
    LONG,
    /** A number (or a string holding one) as an IEEE double; may round. */
    DOUBLE,
    /** A boolean, or the string {@code true} or {@code false}. */
    BOOLEAN,
    /** An ISO-8601 date-time string with {@code Z} or an offset, stored as UTC milliseconds (sub-millisecond
     *  digits are dropped). */
    TIMESTAMP;

    /** The type named in the registry ({@code string}, {@code long}, {@code double}, {@code boolean},
     *  {@code timestamp}). */
    public static ColumnType of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown column type " + name
                    + " (expected string, long, double, boolean or timestamp)");
        }
    }

    /** The registry's name of this type. */
    public String registryName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The column value of an attribute: {@link String}, {@link Long}, {@link Double}, {@link Boolean}, or for
     * {@link #TIMESTAMP} a {@link Long} of epoch milliseconds; {@code null} when absent, null or not convertible.
     */
    public Object convert(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return switch (this) {
            case STRING -> value.isTextual() ? value.textValue()
                    : value.isNumber() ? (value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText())
                    : value.isBoolean() ? Boolean.toString(value.booleanValue())
                    : CanonicalJson.string(value);
            case LONG -> toLong(value);
            case DOUBLE -> toDouble(value);
            case BOOLEAN -> toBoolean(value);
            case TIMESTAMP -> value.isTextual() ? epochMillis(value.textValue()) : null;
        };
    }

    private static Boolean toBoolean(JsonNode value) {
        if (value.isBoolean()) {
            return Boolean.valueOf(value.booleanValue());
        }
        if (value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))) {
            return Boolean.valueOf(value.textValue());
        }
        return null;
    }

    private static Long toLong(JsonNode value) {
        BigDecimal number = decimal(value);
        if (number == null) {
            return null;
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static Double toDouble(JsonNode value) {
        if (value.isDouble() || value.isFloat()) {
            double d = value.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        BigDecimal number = decimal(value);
        return number == null ? null : number.doubleValue();
    }

    private static BigDecimal decimal(JsonNode value) {
        if (value.isNumber()) {
            if (value.isDouble() || value.isFloat()) {
                double d = value.doubleValue();
                return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
            }
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.textValue().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Epoch milliseconds of an ISO-8601 date-time with {@code Z} or an offset; {@code null} when it is not one. */
    static Long epochMillis(String text) {
        long fast = fastEpochMillis(text);
        if (fast != NOT_FAST) {
            return fast;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e2) {
                return null;
            }
        }
    }

    private static final long NOT_FAST = Long.MIN_VALUE;

    /**
     * The common shapes ({@code 2026-11-01T08:00:00Z}, {@code 2026-11-01T08:00:00.123456Z},
     * {@code 2026-11-01T08:00:00+01:00}) without {@link java.time.format.DateTimeFormatter}, which costs more than
     * the rest of a row's columns together; anything else (or anything out of range) is left to the slow path.
     */
    private static long fastEpochMillis(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return NOT_FAST;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > lengthOfMonth(year, month)) {
            return NOT_FAST;
        }
        int i = 19;
        int millis = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (i - start < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return NOT_FAST;
            }
            for (int k = count; k < 3; k++) {
                millis *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return NOT_FAST;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return NOT_FAST;
        }
        long epochDay = epochDay(year, month, day);
        long epochSecond = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return epochSecond * 1000 + millis;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), as LocalDate computes. */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /** The non-negative number in {@code s[from, from + count)}, or -1 when those are not all digits. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
