package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.OptionalLong;

/**
 * Confident's lenient scalars: a scalar field of the wrong type becomes null and never fails the event (unlike
 * {@link JsonFields}, which refuses wrong types of ids and keys). Stateless.
 */
final class ConfidentValues {
    private static final int MAX_NUMBER_CHARS = 64;

    private ConfidentValues() {
    }

    /**
     * A vendor number written as a string, or null. Accepted after trimming white space: an optional sign
     * ({@code +} or {@code -}), digits with an optional decimal point ({@code 1}, {@code 1.}, {@code .5},
     * {@code 1.02}), and an optional exponent of at most 4 digits ({@code 1e-3}, {@code 2.5E+2}), at most 64
     * characters, finite as a double. Everything else is not a number: {@code "ND"}, {@code "<LOQ"},
     * {@code ">ULOQ"}, {@code "NT"}, {@code ""}, thousands separators ({@code "1,234"}), decimal commas, units
     * ({@code "1.2 %"}), {@code NaN}, {@code Infinity}, hex, and {@code 1e999} (kept as text by the adapter).
     */
    static BigDecimal parseDecimal(String raw) {
        String s = raw.strip();
        int end = s.length();
        if (end == 0 || end > MAX_NUMBER_CHARS) {
            return null;
        }
        int i = 0;
        if (s.charAt(i) == '+' || s.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        while (i < end && Versions.isAsciiDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < end && s.charAt(i) == '.') {
            i++;
            while (i < end && Versions.isAsciiDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < end && Versions.isAsciiDigit(s.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0 || exponentDigits > 4) {
                return null;
            }
        }
        if (i != end) {
            return null;
        }
        BigDecimal d = new BigDecimal(s);
        return Double.isFinite(d.doubleValue()) ? d : null;
    }

    /** A string, or a number's or boolean's text; null for null, absent, objects and lists. */
    static String text(JsonNode n) {
        return n != null && n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    /** {@link #text}, with blank as null. */
    static String nonBlank(JsonNode n) {
        String s = text(n);
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** An integer from an integral number or a numeric string that is a whole number; null for anything else. */
    static Long integer(JsonNode n) {
        OptionalLong exact = Versions.exactLong(n);
        if (exact.isPresent()) {
            return exact.getAsLong();
        }
        BigDecimal d = decimalValue(n);
        if (d == null) {
            return null;
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            return null; // fractional or beyond a long: not an integer, as documented
        }
    }

    /** A finite number from a JSON number or a numeric string ({@link #parseDecimal}); null otherwise. */
    static BigDecimal decimalValue(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return isFinite(n) ? n.decimalValue() : null;
        }
        return n.isTextual() ? parseDecimal(n.asText()) : null;
    }

    /** {@link #decimalValue} as a JSON node (null node when absent). */
    static JsonNode decimal(JsonNode n) {
        return decimalNode(decimalValue(n));
    }

    /** A decimal as a JSON node (null node for null). */
    static JsonNode decimalNode(BigDecimal d) {
        return d == null ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.numberNode(d);
    }

    /** Jackson reads {@code 1e400} as an infinite double. */
    static boolean isFinite(JsonNode number) {
        return !number.isFloatingPointNumber() || number.isBigDecimal() || Double.isFinite(number.doubleValue());
    }

    static void putLong(ObjectNode d, String field, JsonNode n) {
        Long v = integer(n);
        if (v == null) {
            d.putNull(field);
        } else {
            d.put(field, v.longValue());
        }
    }

    /** A timestamp or epoch ({@link Versions#timestampOrEpoch}) as ISO text, or null. */
    static String timestampText(JsonNode n, ZoneId zone) {
        return Versions.timestampOrEpoch(n, zone).map(Instant::toString).orElse(null);
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
