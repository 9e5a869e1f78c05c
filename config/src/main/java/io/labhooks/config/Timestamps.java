package io.labhooks.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The one parser for a point in time typed by a person (the {@code --from}/{@code --to} of {@code replay}
 * and {@code dlq replay}):
 * <ul>
 *   <li>an ISO-8601 instant: {@code 2024-05-01T10:00:00Z}, {@code 2024-05-01T12:00:00+02:00};</li>
 *   <li>a local date-time, read in UTC: {@code 2024-05-01T10:00}, {@code 2024-05-01 10:00:00}, or a date
 *       ({@code 2024-05-01}, its midnight UTC);</li>
 *   <li>a duration back from now, in the command-line form of {@link Durations#parse}: {@code 30m}, {@code 1h},
 *       {@code 2d}, {@code 1h30m}, {@code 1w}, or ISO-8601 ({@code PT90M});</li>
 *   <li>{@code now}.</li>
 * </ul>
 * Vendor timestamps inside payloads are not read here: the normalizer's adapters own those, since event ids
 * derive from them.
 */
public final class Timestamps {
    /** What {@link #parse} accepts, for error and help texts. */
    public static final String FORMATS = "an ISO-8601 instant (2024-05-01T10:00:00Z), a date-time in UTC (2024-05-01T10:00) "
            + "or a duration back from now (30m, 1h, 2d)";

    private Timestamps() {
    }

    /**
     * The instant {@code text} names, relative durations counted back from {@code now}.
     *
     * @throws UnitFormatException naming the accepted formats
     */
    public static Instant parse(String text, Instant now) {
        String t = text == null ? "" : text.strip();
        if (t.equalsIgnoreCase("now")) {
            return now;
        }
        Duration back = relative(t, text);
        if (back != null) {
            try {
                return now.minus(back);
            } catch (DateTimeException | ArithmeticException e) {
                throw invalid(text, e);
            }
        }
        String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
        iso = iso.endsWith("z") ? iso.substring(0, iso.length() - 1) + 'Z' : iso;
        try {
            if (iso.length() == 10) {
                return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (hasOffset(iso)) {
                return OffsetDateTime.parse(iso).toInstant();
            }
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw invalid(text, e);
        }
    }

    /** The duration {@code t} names, null if it does not look like one (a date, say). */
    private static Duration relative(String t, String text) {
        boolean iso = t.regionMatches(true, 0, "p", 0, 1);
        boolean units = !t.isEmpty() && Character.isDigit(t.charAt(0)) && t.indexOf('-') < 0 && t.indexOf(':') < 0;
        if (!iso && !units) {
            return null;
        }
        try {
            return Durations.parse(t);
        } catch (UnitFormatException e) {
            if (iso) {
                throw invalid(text, e);
            }
            return null;
        }
    }

    /** A zone designator after the time: {@code Z}, {@code +02:00}, {@code -0500}. */
    private static boolean hasOffset(String iso) {
        int tee = iso.indexOf('T');
        if (tee < 0) {
            return false;
        }
        String time = iso.substring(tee + 1);
        return time.endsWith("Z") || time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }

    private static UnitFormatException invalid(String text, Exception cause) {
        return new UnitFormatException("cannot read '" + text + "' as a time: use " + FORMATS, false, cause);
    }
}
