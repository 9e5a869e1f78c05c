package io.labhooks.ingress;

import io.labhooks.runtime.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The ingress meters, per source. Unknown source ids are counted under {@code source="unknown"}. */
final class IngressMetrics {
    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Map<String, SourceMeters> bySource = new ConcurrentHashMap<>();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();

    IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the gauges of a configured source so that they show before its first request. */
    SourceMeters source(String source, String vendor) {
        return bySource.computeIfAbsent(source, s -> new SourceMeters(registry, s, vendor));
    }

    void request(String source, String vendor, int code) {
        counter(source, vendor, code).increment();
        SourceMeters m = bySource.get(source);
        if (m != null) {
            m.outcome(code == 200);
        }
    }

    /** A 200 of a configured source ({@link #source}): its counter is kept on its meters, not looked up by name. */
    void accepted(SourceMeters m) {
        Counter ok = m.accepted;
        if (ok == null) {
            ok = counter(m.source, m.vendor, 200);
            m.accepted = ok;
        }
        ok.increment();
        m.outcome(true);
    }

    private Counter counter(String source, String vendor, int code) {
        return requests.computeIfAbsent(source + '\0' + vendor + '\0' + code, k -> Counter.builder(MetricNames.INGRESS_REQUESTS)
                .description("Webhook requests by source, vendor and HTTP status")
                .tag(MetricNames.TAG_SOURCE, source).tag(MetricNames.TAG_VENDOR, vendor)
                .tag(MetricNames.TAG_CODE, Integer.toString(code))
                .register(registry));
    }

    static final class SourceMeters {
        private final String source;
        private final String vendor;
        /** The source's 200 counter once it answered one (the same meter {@link #request} finds; set at most once). */
        private volatile Counter accepted;
        private final AtomicLong consecutiveFailures = new AtomicLong();
        private final AtomicLong lastSuccessMillis = new AtomicLong();
        private final Timer ackKafka;
        private final Timer ackSpool;

        SourceMeters(MeterRegistry registry, String source, String vendor) {
            this.source = source;
            this.vendor = vendor;
            Gauge.builder(MetricNames.INGRESS_CONSECUTIVE_FAILURES, consecutiveFailures, AtomicLong::get)
                    .description("Non-200 answers in a row; Confident disables a webhook after 10")
                    .tag(MetricNames.TAG_SOURCE, source).register(registry);
            Gauge.builder(MetricNames.INGRESS_LAST_SUCCESS, lastSuccessMillis, a -> a.get() / 1000.0)
                    .description("When this source last got a 200").baseUnit("seconds")
                    .tag(MetricNames.TAG_SOURCE, source).register(registry);
            ackKafka = ackTimer(registry, source, "kafka");
            ackSpool = ackTimer(registry, source, "spool");
        }

        private static Timer ackTimer(MeterRegistry registry, String source, String path) {
            return Timer.builder(MetricNames.INGRESS_ACK)
                    .description("Time from a full body to a durable ack")
                    .tag(MetricNames.TAG_SOURCE, source).tag(MetricNames.TAG_PATH, path)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry);
        }

        void outcome(boolean ok) {
            if (ok) {
                consecutiveFailures.set(0);
                lastSuccessMillis.set(System.currentTimeMillis());
            } else {
                consecutiveFailures.incrementAndGet();
            }
        }

        Timer ack(boolean spool) {
            return spool ? ackSpool : ackKafka;
        }
    }
}
