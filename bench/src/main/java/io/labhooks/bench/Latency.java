package io.labhooks.bench;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles in milliseconds, computed by HdrHistogram (3 significant digits: a percentile is the highest
 * value equivalent to the recorded one, within 0.1%). The same rule as the vendor simulator's report
 * ({@code testkit.sim.Simulator}), so the two never disagree on what p99 means.
 */
public record Latency(long samples, double meanMs, double p50Ms, double p99Ms, double p999Ms, double maxMs) {
    private static final double NANOS_PER_MS = 1_000_000.0;
    /** Significant decimal digits of the histograms. */
    public static final int DIGITS = 3;

    /** A histogram of nanoseconds that resizes itself. */
    public static Histogram histogram() {
        return new Histogram(DIGITS);
    }

    /** Percentiles of latencies in nanoseconds. */
    public static Latency ofNanos(long[] nanos) {
        Histogram h = histogram();
        for (long n : nanos) {
            h.recordValue(n);
        }
        return of(h);
    }

    /** Percentiles of a histogram of nanoseconds. */
    public static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latency(h.getTotalCount(), h.getMean() / NANOS_PER_MS, h.getValueAtPercentile(50.0) / NANOS_PER_MS,
                h.getValueAtPercentile(99.0) / NANOS_PER_MS, h.getValueAtPercentile(99.9) / NANOS_PER_MS,
                h.getMaxValue() / NANOS_PER_MS);
    }
}
