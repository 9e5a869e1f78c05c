package io.labhooks.normalizer;

import io.labhooks.runtime.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code labhooks_normalizer_events_total{vendor,type,outcome}}. */
public interface NormalizerMetrics {

    /** What happened to an event (or a delivery, for {@code INVALID}). */
    enum Outcome {
        ACCEPTED, DUPLICATE, STALE, INVALID;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    void count(String vendor, String type, Outcome outcome);

    NormalizerMetrics NONE = (vendor, type, outcome) -> { };

    /** Counters in a Micrometer registry. */
    static NormalizerMetrics of(MeterRegistry registry) {
        Map<String, Counter> counters = new ConcurrentHashMap<>();
        return (vendor, type, outcome) -> counters.computeIfAbsent(vendor + '\0' + type + '\0' + outcome.id(),
                k -> Counter.builder(MetricNames.NORMALIZER_EVENTS)
                        .description("Normalizer outcomes per event: accepted (new, emitted), duplicate (dropped), stale (emitted, did not advance the entity), invalid (to the DLQ)")
                        .tag(MetricNames.TAG_VENDOR, vendor).tag(MetricNames.TAG_TYPE, type).tag(MetricNames.TAG_OUTCOME, outcome.id())
                        .register(registry)).increment();
    }
}
