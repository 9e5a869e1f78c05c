package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns vendor timestamps and numbers into comparable {@code long} versions (epoch microseconds for times).
 * Stateless; every method is safe to call from any thread and never throws for bad input.
 */
public final class Versions {
    /** The earliest time an event may carry: CloudEvents {@code time} is RFC 3339, which has four-digit years. */
    public static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest time an event may carry. */
    public static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** ISO-8601 date, optionally followed by {@code T}time, optionally an offset, optionally a [region]. */
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .optionalStart().appendLiteral('[').parseCaseSensitive().appendZoneRegionId().appendLiteral(']').optionalEnd()
            .optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);
    /** A Rails/SQL style offset written without a colon or after a space: {@code " -0600"}, {@code "+0100"}. */
    private static final Pattern COMPACT_OFFSET = Pattern.compile("^(.*T[0-9:.,]+)\\s?([+-])(\\d{2}):?(\\d{2})$");
    private static final Pattern DIGITS = Pattern.compile("-?[0-9]{1,19}");
    /** An offset of hours only: {@code +01}. */
    private static final Pattern HOURS_OFFSET = Pattern.compile("^(.*T[0-9:.]+)\\s?([+-])(\\d{2})$");
    /** A fraction written with a decimal comma: {@code 17:30:00,5}. */
    private static final Pattern COMMA_FRACTION = Pattern.compile("(T\\d{2}:\\d{2}:\\d{2}),(\\d)");
    private static final BigDecimal EPOCH_SECONDS_MIN = new BigDecimal("1e9");
    private static final BigDecimal EPOCH_SECONDS_END = new BigDecimal("1e11");
    private static final BigDecimal EPOCH_MILLIS_MIN = new BigDecimal("1e12");
    private static final BigDecimal EPOCH_MILLIS_END = new BigDecimal("1e14");
    private static final BigDecimal EPOCH_MICROS_MIN = new BigDecimal("1e15");
    private static final BigDecimal EPOCH_MICROS_END = new BigDecimal("1e17");
    private static final Pattern EPOCH_TEXT = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private Versions() {
    }

    /**
     * Parses an ISO-8601 timestamp. Accepted: {@code 2021-02-25T15:35:00Z}, {@code 2021-02-25T15:35:00.123-06:00},
     * {@code 2021-02-25 15:35:00 -0600}, {@code 2021-02-25 15:35:00 UTC} (also {@code GMT}), an hours-only offset
     * ({@code +01}), a decimal comma in the seconds ({@code 15:35:00,5}), {@code 2021-02-25T15:35:00} (read in
     * {@code zone}; in a DST overlap the earlier offset, in a gap shifted forward) and {@code 2021-02-25} (start of
     * that day in {@code zone}). Years outside 0001..9999 are refused.
     *
     * @return the instant, or empty if {@code text} is not such a timestamp
     */
    public static Optional<Instant> parseTimestamp(String text, ZoneId zone) {
        if (text == null) {
            return Optional.empty();
        }
        Instant fast = strictIso(text, zone);
        if (fast != null) {
            return inRange(fast) ? Optional.of(fast) : Optional.empty();
        }
        return parseTimestampGeneral(text, zone);
    }

    /**
     * The common forms, {@code yyyy-MM-dd} and {@code yyyy-MM-dd(T| )HH:mm:ss[.fraction][Z|±HH:MM]}, read without the
     * formatter (which cost a fifth of a Confident panel's mapping); null for anything else, or for a field out of
     * range, which {@link #parseTimestampGeneral} then reads (or refuses) as before.
     */
    static Instant strictIso(String t, ZoneId zone) {
        int n = t.length();
        if (n < 10 || !digits(t, 0, 4) || t.charAt(4) != '-' || !digits(t, 5, 2) || t.charAt(7) != '-' || !digits(t, 8, 2)) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(num(t, 0, 4), num(t, 5, 2), num(t, 8, 2));
            if (n == 10) {
                return date.atStartOfDay(zone).toInstant();
            }
            char sep = t.charAt(10);
            if ((sep != 'T' && sep != ' ') || n < 19 || !digits(t, 11, 2) || t.charAt(13) != ':' || !digits(t, 14, 2)
                    || t.charAt(16) != ':' || !digits(t, 17, 2)) {
                return null;
            }
            int i = 19;
            int nanos = 0;
            if (i < n && t.charAt(i) == '.') {
                int start = ++i;
                while (i < n && i - start < 9 && isAsciiDigit(t.charAt(i))) {
                    nanos = nanos * 10 + (t.charAt(i) - '0');
                    i++;
                }
                if (i == start || (i < n && isAsciiDigit(t.charAt(i)))) {
                    return null;
                }
                for (int k = i - start; k < 9; k++) {
                    nanos *= 10;
                }
            }
            LocalDateTime local = LocalDateTime.of(date, LocalTime.of(num(t, 11, 2), num(t, 14, 2), num(t, 17, 2), nanos));
            if (i == n) {
                return local.atZone(zone).toInstant();
            }
            if (t.charAt(i) == 'Z' && i + 1 == n) {
                return local.toInstant(ZoneOffset.UTC);
            }
            char sign = t.charAt(i);
            if ((sign == '+' || sign == '-') && i + 6 == n && digits(t, i + 1, 2) && t.charAt(i + 3) == ':' && digits(t, i + 4, 2)) {
                int h = num(t, i + 1, 2);
                int m = num(t, i + 4, 2);
                return local.toInstant(sign == '+' ? ZoneOffset.ofHoursMinutes(h, m) : ZoneOffset.ofHoursMinutes(-h, -m));
            }
            return null;
        } catch (DateTimeException e) {
            return null; // e.g. February 30th or an hour of 24: the general reader decides
        }
    }

    /** {@code 0}-{@code 9} only (not the other scripts' digits that {@link Character#isDigit} takes). */
    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean digits(String t, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!isAsciiDigit(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int num(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = v * 10 + (t.charAt(i) - '0');
        }
        return v;
    }

    /** {@link #parseTimestamp} without the fast path: every accepted form, through the formatter. */
    static Optional<Instant> parseTimestampGeneral(String text, ZoneId zone) {
        String t = text.strip();
        if (t.length() < 10 || t.length() > 64) {
            return Optional.empty();
        }
        if (t.length() > 10 && t.charAt(10) == ' ') {
            t = t.substring(0, 10) + 'T' + t.substring(11).stripLeading();
        }
        if (t.regionMatches(true, t.length() - 4, " UTC", 0, 4) || t.regionMatches(true, t.length() - 4, " GMT", 0, 4)) {
            t = t.substring(0, t.length() - 4) + "Z";
        } else if (t.endsWith(" Z") || t.endsWith(" z")) {
            t = t.substring(0, t.length() - 2) + "Z";
        }
        t = COMMA_FRACTION.matcher(t).replaceFirst("$1.$2");
        Matcher m = COMPACT_OFFSET.matcher(t);
        if (m.matches()) {
            t = m.group(1) + m.group(2) + m.group(3) + ":" + m.group(4);
        } else {
            Matcher h = HOURS_OFFSET.matcher(t);
            if (h.matches()) {
                t = h.group(1) + h.group(2) + h.group(3) + ":00";
            }
        }
        Instant instant;
        try {
            TemporalAccessor parsed = ISO.parseBest(t, ZonedDateTime::from, LocalDateTime::from, LocalDate::from);
            if (parsed instanceof ZonedDateTime z) {
                instant = z.toInstant();
            } else if (parsed instanceof LocalDateTime l) {
                instant = l.atZone(zone).toInstant();
            } else if (parsed instanceof LocalDate d) {
                instant = d.atStartOfDay(zone).toInstant();
            } else {
                return Optional.empty();
            }
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        return inRange(instant) ? Optional.of(instant) : Optional.empty();
    }

    /**
     * A timestamp that may also be an epoch: a JSON number, or a string of digits (one decimal point allowed), is
     * seconds in [10<sup>9</sup>, 10<sup>11</sup>), milliseconds in [10<sup>12</sup>, 10<sup>14</sup>) or
     * microseconds in [10<sup>15</sup>, 10<sup>17</sup>) (each range runs from September 2001 to the year 5138;
     * anything else, including the gaps, is refused); any other string is read by {@link #parseTimestamp}. The
     * instant is truncated to microseconds.
     *
     * @return the instant, or empty when the value is neither
     */
    public static Optional<Instant> timestampOrEpoch(JsonNode v, ZoneId zone) {
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        Optional<Instant> t;
        if (v.isNumber()) {
            boolean finite = !v.isFloatingPointNumber() || v.isBigDecimal() || Double.isFinite(v.doubleValue());
            t = finite ? fromEpoch(v.decimalValue()) : Optional.empty();
        } else if (v.isTextual()) {
            String s = v.asText().strip();
            t = s.length() <= 64 && EPOCH_TEXT.matcher(s).matches() ? fromEpoch(new BigDecimal(s)) : parseTimestamp(s, zone);
        } else {
            t = Optional.empty();
        }
        return t.filter(Versions::inRange).map(i -> i.truncatedTo(ChronoUnit.MICROS));
    }

    private static Optional<Instant> fromEpoch(BigDecimal epoch) {
        BigDecimal micros;
        if (epoch.compareTo(EPOCH_SECONDS_MIN) >= 0 && epoch.compareTo(EPOCH_SECONDS_END) < 0) {
            micros = epoch.movePointRight(6);
        } else if (epoch.compareTo(EPOCH_MILLIS_MIN) >= 0 && epoch.compareTo(EPOCH_MILLIS_END) < 0) {
            micros = epoch.movePointRight(3);
        } else if (epoch.compareTo(EPOCH_MICROS_MIN) >= 0 && epoch.compareTo(EPOCH_MICROS_END) < 0) {
            micros = epoch;
        } else {
            return Optional.empty();
        }
        long m = micros.setScale(0, RoundingMode.FLOOR).longValueExact();
        return Optional.of(Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000L));
    }

    /** True if {@code t} is within {@link #MIN_TIME}..{@link #MAX_TIME}. */
    public static boolean inRange(Instant t) {
        return !t.isBefore(MIN_TIME) && !t.isAfter(MAX_TIME);
    }

    /** Epoch microseconds of {@code t}, saturating at {@link Long#MIN_VALUE}/{@link Long#MAX_VALUE}. */
    public static long micros(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds > Long.MAX_VALUE / 1_000_000 - 1) {
            return Long.MAX_VALUE;
        }
        if (seconds < Long.MIN_VALUE / 1_000_000 + 1) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000 + t.getNano() / 1_000;
    }

    /**
     * A JSON value as an exact {@code long}: an integral number (also {@code 5.0}) in range, or a string of
     * at most 19 decimal digits with an optional minus sign.
     *
     * @return the number, or empty if the value is anything else (fractional, too big, text, boolean, ...)
     */
    public static OptionalLong exactLong(JsonNode v) {
        if (v == null) {
            return OptionalLong.empty();
        }
        if (v.isNumber()) {
            if (v.canConvertToExactIntegral() && v.canConvertToLong()) {
                return OptionalLong.of(v.longValue());
            }
            return OptionalLong.empty();
        }
        if (v.isTextual()) {
            String s = v.asText().strip();
            if (DIGITS.matcher(s).matches()) {
                try {
                    return OptionalLong.of(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    // 19 digits can still be over Long.MAX_VALUE
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * A version read from a JSON value, for the vendors whose version is "a number, or an ISO timestamp":
     * a number is itself; a timestamp is its epoch microseconds (and its time is the event's time).
     *
     * @param version the comparable version
     * @param time    the instant, when the version was a timestamp; else null
     */
    public record Parsed(long version, Instant time) {
    }

    /**
     * Reads a version value: a number (or a string of digits) is itself, an ISO-8601 timestamp is epoch micros.
     *
     * @return the version, or empty when the value is neither (the caller rejects with {@code BAD_VERSION})
     */
    public static Optional<Parsed> numberOrTimestamp(JsonNode v, ZoneId zone) {
        OptionalLong n = exactLong(v);
        if (n.isPresent()) {
            return Optional.of(new Parsed(n.getAsLong(), null));
        }
        if (v != null && v.isTextual()) {
            return parseTimestamp(v.asText(), zone).map(t -> new Parsed(micros(t), t));
        }
        return Optional.empty();
    }
}
