package io.labhooks.cli.replay;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time on the command line ({@code --from}, {@code --to}):
 * <ul>
 *   <li>an ISO-8601 instant: {@code 2024-05-01T10:00:00Z}, {@code 2024-05-01T12:00:00+02:00};</li>
 *   <li>a local date-time, read in UTC: {@code 2024-05-01T10:00}, {@code 2024-05-01 10:00:00}, or a date
 *       ({@code 2024-05-01}, its midnight UTC);</li>
 *   <li>a duration back from now: {@code 30m}, {@code 1h}, {@code 2d}, {@code 1h30m} (units ms, s, m, h, d, w),
 *       or ISO-8601 ({@code PT90M});</li>
 *   <li>{@code now}.</li>
 * </ul>
 */
public final class TimeArg {
    /** What {@link #parse} accepts, for error and help texts. */
    public static final String FORMATS = "an ISO-8601 instant (2024-05-01T10:00:00Z), a date-time in UTC (2024-05-01T10:00) "
            + "or a duration back from now (30m, 1h, 2d)";
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");
    private static final Pattern RELATIVE = Pattern.compile("(?:\\d{1,9}(?:ms|s|m|h|d|w))+");

    private TimeArg() {
    }

    /**
     * The instant {@code text} names, relative durations counted back from {@code now}.
     *
     * @throws IllegalArgumentException naming the accepted formats
     */
    public static Instant parse(String text, Instant now) {
        String t = text == null ? "" : text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("now")) {
            return now;
        }
        if (RELATIVE.matcher(lower).matches()) {
            return now.minus(relative(lower));
        }
        if (lower.startsWith("p")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (!d.isNegative()) {
                    return now.minus(d);
                }
            } catch (DateTimeException e) {
                throw invalid(text, e);
            }
            throw invalid(text, null);
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

    /** {@link #parse(String, Instant)} for option {@code option}; on a bad value, adds a problem and returns null. */
    public static Instant parse(String option, String text, Instant now, List<String> problems) {
        try {
            return parse(text, now);
        } catch (IllegalArgumentException e) {
            problems.add(option + ": " + e.getMessage());
            return null;
        }
    }

    /** Adds a problem if {@code from} is not before {@code to}, or {@code from} is in the future; either may be null. */
    public static void checkRange(Instant from, Instant to, Instant now, List<String> problems) {
        if (from != null && to != null && !from.isBefore(to)) {
            problems.add("--from (" + from + ") must be before --to (" + to + ")");
        } else if (from != null && from.isAfter(now)) {
            problems.add("--from (" + from + ") is in the future");
        }
    }

    private static Duration relative(String text) {
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
        }
        return total;
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

    private static IllegalArgumentException invalid(String text, Exception cause) {
        return new IllegalArgumentException("cannot read '" + text + "' as a time: use " + FORMATS, cause);
    }
}
