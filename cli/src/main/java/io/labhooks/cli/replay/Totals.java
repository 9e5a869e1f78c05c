package io.labhooks.cli.replay;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Counts of a scan, at any point or at the end.
 *
 * @param partitions partitions with records in the range
 * @param scanned    records read
 * @param matched    records selected (published, or skipped for a reason)
 * @param published  records Kafka acknowledged; in a dry run, the records that would have been published
 * @param skipped    selected records that were not published, by reason
 * @param fraction   how much of the offsets between the start and the end offsets was read, 0..1
 */
public record Totals(int partitions, long scanned, long matched, long published, Map<String, Long> skipped,
                     double fraction, boolean dryRun, Duration elapsed) {
    public Totals {
        skipped = Map.copyOf(skipped);
    }

    public long skippedCount() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One progress line, e.g. {@code labhooks replay: scanned 1200, matched 40, published 38, 52% of the range}. */
    public String progressLine(String label) {
        return String.format(Locale.ROOT, "%s: scanned %d, matched %d, %s %d%s, %d%% of the range", label, scanned, matched,
                dryRun ? "would publish" : "published", published,
                skipped.isEmpty() ? "" : ", skipped " + skippedCount(), (int) Math.floor(fraction * 100));
    }

    /** The totals, one per line. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        line(b, "scanned", scanned + " records in " + partitions + (partitions == 1 ? " partition" : " partitions"));
        line(b, "matched", Long.toString(matched));
        if (dryRun) {
            line(b, "published", "0 (dry run; would publish " + published + ")");
        } else {
            line(b, "published", Long.toString(published));
        }
        line(b, "skipped", skipped.isEmpty() ? "0" : skippedCount() + " (" + new TreeMap<>(skipped).entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining("; ")) + ")");
        line(b, "elapsed", String.format(Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0));
        return b.toString();
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(String.format(Locale.ROOT, "%-10s %s%n", name, value));
    }
}
