package io.labhooks.cli.replay;

import io.labhooks.config.Timestamps;
import java.time.Instant;
import java.util.List;

/**
 * A point in time on the command line ({@code --from}, {@code --to}), in the forms of {@link Timestamps#parse}:
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
    public static final String FORMATS = Timestamps.FORMATS;

    private TimeArg() {
    }

    /**
     * The instant {@code text} names, relative durations counted back from {@code now}.
     *
     * @throws IllegalArgumentException naming the accepted formats
     */
    public static Instant parse(String text, Instant now) {
        return Timestamps.parse(text, now);
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
}
