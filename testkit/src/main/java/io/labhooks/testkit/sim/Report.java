package io.labhooks.testkit.sim;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a {@link Simulator} run did: a snapshot while it runs (for progress lines), the final account when it ends.
 *
 * @param deliveries            deliveries in the run (duplicates included)
 * @param acknowledged          deliveries answered {@code 200} at some attempt
 * @param gaveUp                deliveries whose retries ran out without a {@code 200}
 * @param abandoned             deliveries dropped because the webhook was disabled (never sent, or not retried)
 * @param sent                  HTTP requests made (first attempts and retries)
 * @param ok                    requests answered {@code 200}
 * @param failures              failed requests by outcome: the status code ({@code "500"}), {@code "timeout"}
 *                              (no response within the policy's limit), {@code "connect"} (no connection) or
 *                              {@code "io"} (the connection broke)
 * @param retries               requests that were retries
 * @param uncertain             deliveries never acknowledged of which at least one attempt timed out or broke
 *                              after the request went out: the receiver may have taken them
 * @param disabled              true if the webhook was disabled (Confident: 10 consecutive failures)
 * @param latencyP50Millis      median time to a response, over requests that got one (NaN if none)
 * @param latencyP99Millis      99th percentile of the same
 * @param elapsed               wall time since the run started
 * @param finished              false for a snapshot of a run still going
 * @param acknowledgedEventKeys the event keys of the acknowledged deliveries (filled in the final report only)
 */
public record Report(long deliveries, long acknowledged, long gaveUp, long abandoned, long sent, long ok,
                     Map<String, Long> failures, long retries, long uncertain, boolean disabled,
                     double latencyP50Millis, double latencyP99Millis, Duration elapsed, boolean finished,
                     Set<String> acknowledgedEventKeys) {
    /** Copies the collections. */
    public Report {
        failures = Map.copyOf(Objects.requireNonNull(failures, "failures"));
        acknowledgedEventKeys = Set.copyOf(acknowledgedEventKeys);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** True if every delivery was finally acknowledged and the webhook was never disabled. */
    public boolean allAcknowledged() {
        return acknowledged == deliveries && !disabled;
    }

    /** 0 if everything was finally acknowledged, 1 if a delivery was given up or the webhook was disabled. */
    public int exitCode() {
        return allAcknowledged() ? 0 : 1;
    }

    /** The failures as {@code 500=3 timeout=1}, sorted; {@code none} when there were none. */
    public String failuresText() {
        if (failures.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        new TreeMap<>(failures).forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    /** One line for progress output. */
    public String progressLine() {
        long done = acknowledged + gaveUp + abandoned;
        return String.format(Locale.ROOT, "%6.1fs  %d/%d done  sent %d  200 %d  failed %s  retries %d  gave up %d%s",
                elapsed.toMillis() / 1000.0, done, deliveries, sent, ok, failuresText(), retries, gaveUp,
                disabled ? "  WEBHOOK DISABLED" : "");
    }

    /** The multi-line summary printed at the end of {@code labhooks send}. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        line(b, "deliveries", deliveries + " (" + acknowledged + " acknowledged, " + gaveUp + " gave up, " + abandoned
                + " dropped by the disabled webhook)");
        line(b, "sent", sent + " requests (" + retries + " retries)");
        line(b, "200", Long.toString(ok));
        line(b, "other", failuresText());
        line(b, "retries", Long.toString(retries));
        line(b, "gave up", Long.toString(gaveUp));
        line(b, "disabled", disabled ? "YES: the vendor disabled the webhook after consecutive failures" : "no");
        if (uncertain > 0) {
            line(b, "uncertain", uncertain + " (timed out or broke after sending; the receiver may have them)");
        }
        line(b, "latency", Double.isNaN(latencyP50Millis) ? "no responses"
                : String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms", latencyP50Millis, latencyP99Millis));
        double seconds = elapsed.toNanos() / 1e9;
        line(b, "elapsed", String.format(Locale.ROOT, "%.2f s (%.1f requests/s)", seconds, seconds > 0 ? sent / seconds : 0.0));
        line(b, "result", allAcknowledged() ? "OK: every delivery was acknowledged"
                : "FAILED: " + (deliveries - acknowledged) + " deliveries were not acknowledged");
        return b.toString();
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format(Locale.ROOT, "%-11s %s%n", label, value));
    }
}
