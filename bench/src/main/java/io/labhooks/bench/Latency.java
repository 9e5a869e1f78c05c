package io.labhooks.bench;

import java.util.Arrays;

/**
 * Latency percentiles in milliseconds. From raw samples they are exact (nearest rank on a sorted
 * array, the same rule as {@code ProducerPerformance}); from a histogram they are the upper bound of
 * the bucket that holds the percentile.
 */
public record Latency(long samples, double meanMs, double p50Ms, double p99Ms, double p999Ms, double maxMs) {
    private static final double NANOS_PER_MS = 1_000_000.0;

    /** Percentiles of latencies in nanoseconds; sorts the given array in place. */
    public static Latency ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        Arrays.sort(nanos);
        double sum = 0;
        for (long n : nanos) {
            sum += n;
        }
        return new Latency(nanos.length, sum / nanos.length / NANOS_PER_MS, at(nanos, 0.50) / NANOS_PER_MS,
                at(nanos, 0.99) / NANOS_PER_MS, at(nanos, 0.999) / NANOS_PER_MS, nanos[nanos.length - 1] / NANOS_PER_MS);
    }

    private static long at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }
}
