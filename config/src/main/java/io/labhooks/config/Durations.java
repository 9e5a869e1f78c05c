package io.labhooks.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration parser: config values, {@code send --request-timeout} and the relative times of
 * {@code replay}/{@code dlq replay --from/--to}. Units: {@code ms}, {@code s}, {@code m}, {@code h},
 * {@code d}, {@code w}.
 * <ul>
 *   <li>{@link #parseConfig}: the config form, one whole number and a lower-case unit up to {@code d}
 *       ({@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 14d}; a space may separate the two). Config files are read by machines and
 *       reviewed by people; one spelling per value keeps them greppable.</li>
 *   <li>{@link #parse}: the command-line form: any case, decimals ({@code 1.5s}), weeks
 *       ({@code 1w}), combined parts without spaces ({@code 1h30m}) and ISO-8601 ({@code PT90M}).</li>
 * </ul>
 * Both return a duration of zero or more; whether zero is allowed is the caller's rule.
 */
public final class Durations {
    /** Examples of the config form, for messages and docs. */
    public static final String CONFIG_EXAMPLES = "500ms, 2s, 5m, 1h or 14d";
    private static final Pattern CONFIG = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)");
    private static final Pattern PARTS = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d|w))+");
    private static final long MAX_SECONDS = Long.MAX_VALUE;

    private Durations() {
    }

    /** The config form; throws {@link UnitFormatException} (malformed, or too large). */
    public static Duration parseConfig(String text) {
        Matcher m = CONFIG.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw malformed(text);
        }
        return amount(m.group(1), m.group(2), text);
    }

    /** The command-line form; throws {@link UnitFormatException}. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("p") || t.startsWith("-p") || t.startsWith("+p")) {
            Duration d;
            try {
                d = Duration.parse(t);
            } catch (DateTimeException e) {
                throw new UnitFormatException("not a duration: '" + text + "'", false, e);
            }
            if (d.isNegative()) {
                throw malformed(text);
            }
            return d;
        }
        if (!PARTS.matcher(t).matches()) {
            throw malformed(text);
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            try {
                total = total.plus(amount(m.group(1), m.group(2), text));
            } catch (ArithmeticException e) {
                throw new UnitFormatException("too large: '" + text + "'", true, e);
            }
        }
        return total;
    }

    private static Duration amount(String number, String unit, String text) {
        long secondsPerUnit = switch (unit) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86_400;
            case "w" -> 7 * 86_400;
            default -> 0; // ms
        };
        BigDecimal n = new BigDecimal(number);
        BigDecimal seconds = unit.equals("ms") ? n.movePointLeft(3) : n.multiply(BigDecimal.valueOf(secondsPerUnit));
        if (seconds.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) {
            throw new UnitFormatException("too large: '" + text + "'", true, null);
        }
        BigDecimal whole = seconds.setScale(0, RoundingMode.DOWN);
        long nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.DOWN).longValueExact();
        return Duration.ofSeconds(whole.longValueExact(), nanos);
    }

    private static UnitFormatException malformed(String text) {
        return new UnitFormatException("not a duration: '" + text + "'", false, null);
    }

    /** The shortest config-form spelling of {@code d} ({@code 2s}, {@code 500ms}, {@code 14d}), for docs. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
