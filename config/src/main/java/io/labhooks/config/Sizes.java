package io.labhooks.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one size parser: a byte count such as {@code 1048576}, {@code 512KiB}, {@code 1MiB} or {@code 1GiB}.
 * Units {@code b, k, kb, kib, m, mb, mib, g, gb, gib}, any case; k, m and g are powers of 1024.
 */
public final class Sizes {
    /** Examples, for messages and docs. */
    public static final String EXAMPLES = "65536, 512KiB, 1MiB or 1GiB";
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /** The number of bytes {@code text} names; throws {@link UnitFormatException} (malformed, or too large). */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new UnitFormatException("not a size: '" + text + "'", false, null);
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long mult = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), mult);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new UnitFormatException("too large: '" + text + "'", true, e);
        }
    }

    /** The shortest exact spelling of {@code bytes}: {@code 1GiB}, {@code 512KiB}, {@code 1000}. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KiB";
        }
        return Long.toString(bytes);
    }
}
