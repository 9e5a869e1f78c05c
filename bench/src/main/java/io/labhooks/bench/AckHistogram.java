package io.labhooks.bench;

import io.labhooks.runtime.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The ingress's own view of the ack time: {@code labhooks_ingress_ack_seconds{source, path="kafka"}},
 * full body received to Kafka ack. The histogram is cumulative over the server's life, so a run is the
 * difference of two snapshots; its percentiles are bucket upper bounds (the Prometheus buckets are a few
 * percent apart in this range).
 */
final class AckHistogram {
    private static final double NANOS_PER_MS = 1_000_000.0;

    /** One reading: total count and time, and cumulative counts at the bucket bounds (nanoseconds). */
    record Snapshot(long count, double totalNanos, double[] boundsNanos, double[] cumulative) {
    }

    private AckHistogram() {
    }

    static Optional<Snapshot> take(MeterRegistry registry, String source) {
        return take(registry, source, "kafka");
    }

    /** @param path {@code kafka} or {@code spool}: the ack histogram's {@code path} label */
    static Optional<Snapshot> take(MeterRegistry registry, String source, String path) {
        Timer t = registry.find(MetricNames.INGRESS_ACK).tag(MetricNames.TAG_SOURCE, source).tag(MetricNames.TAG_PATH, path).timer();
        if (t == null) {
            return Optional.empty();
        }
        HistogramSnapshot s = t.takeSnapshot();
        CountAtBucket[] buckets = s.histogramCounts();
        double[] bounds = new double[buckets.length];
        double[] counts = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            bounds[i] = buckets[i].bucket(TimeUnit.NANOSECONDS);
            counts[i] = buckets[i].count();
        }
        return Optional.of(new Snapshot(s.count(), s.total(TimeUnit.NANOSECONDS), bounds, counts));
    }

    /** The acks recorded between two snapshots; empty if there were none or the bucket layouts differ. */
    static Optional<Latency> between(Snapshot before, Snapshot after) {
        long n = after.count() - before.count();
        if (n <= 0 || before.boundsNanos().length != after.boundsNanos().length || after.boundsNanos().length == 0) {
            return Optional.empty();
        }
        double[] delta = new double[after.cumulative().length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = after.cumulative()[i] - before.cumulative()[i];
        }
        double mean = (after.totalNanos() - before.totalNanos()) / n / NANOS_PER_MS;
        return Optional.of(new Latency(n, mean, quantile(after.boundsNanos(), delta, n, 0.50),
                quantile(after.boundsNanos(), delta, n, 0.99), quantile(after.boundsNanos(), delta, n, 0.999), Double.NaN));
    }

    private static double quantile(double[] bounds, double[] cumulative, long n, double q) {
        double rank = Math.ceil(q * n);
        for (int i = 0; i < bounds.length; i++) {
            if (cumulative[i] >= rank) {
                return bounds[i] / NANOS_PER_MS;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
