package io.offboard.exporter.source;

import java.math.BigDecimal;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it (attribute names plus values: strings and binaries by length, numbers by
 * about one byte per two significant digits plus one, booleans and nulls one byte, maps and lists three bytes plus
 * one per element), following the published sizing rules. Used to estimate read capacity when the server does not
 * report it, and for the export estimate.
 */
public final class ItemSize {

    private ItemSize() {
    }

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + of(e.getValue());
        }
        return size;
    }

    public static long of(AttributeValue value) {
        switch (value.type()) {
            case S:
                return utf8(value.s());
            case N:
                return number(value.n());
            case B:
                return value.b().asByteArrayUnsafe().length;
            case BOOL:
            case NUL:
                return 1;
            case SS: {
                long size = 0;
                for (String s : value.ss()) {
                    size += utf8(s);
                }
                return size;
            }
            case NS: {
                long size = 0;
                for (String n : value.ns()) {
                    size += number(n);
                }
                return size;
            }
            case BS: {
                long size = 0;
                for (SdkBytes b : value.bs()) {
                    size += b.asByteArrayUnsafe().length;
                }
                return size;
            }
            case M: {
                long size = 3;
                for (Map.Entry<String, AttributeValue> e : value.m().entrySet()) {
                    size += 1 + utf8(e.getKey()) + of(e.getValue());
                }
                return size;
            }
            case L: {
                long size = 3;
                for (AttributeValue element : value.l()) {
                    size += 1 + of(element);
                }
                return size;
            }
            default:
                return 0;
        }
    }

    static long number(String n) {
        int counted = significantDigits(n);
        if (counted > 0) {
            return (counted + 1) / 2 + 1;
        }
        try {
            int digits = new BigDecimal(n).stripTrailingZeros().precision();
            return (digits + 1) / 2 + 1;
        } catch (NumberFormatException e) {
            return n.length();
        }
    }

    /**
     * {@code new BigDecimal(n).stripTrailingZeros().precision()} for a number without exponent ({@code -12.50}),
     * counted on the digits instead of parsing (every number of every item is sized); 0 for any other form.
     */
    private static int significantDigits(String n) {
        int len = n.length();
        int i = len > 0 && (n.charAt(0) == '-' || n.charAt(0) == '+') ? 1 : 0;
        int first = -1;
        int last = -1;
        int count = 0;
        boolean dot = false;
        boolean anyDigit = false;
        for (; i < len; i++) {
            char c = n.charAt(i);
            if (c >= '0' && c <= '9') {
                anyDigit = true;
                if (c != '0') {
                    if (first < 0) {
                        first = count;
                    }
                    last = count;
                }
                count++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return 0;
            }
        }
        if (!anyDigit) {
            return 0;
        }
        return first < 0 ? 1 : last - first + 1;
    }

    private static long utf8(String s) {
        long size = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                size += 1;
            } else if (c < 0x800) {
                size += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                size += 4;
                i++;
            } else {
                size += 3;
            }
        }
        return size;
    }
}
