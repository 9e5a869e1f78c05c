package io.labhooks.sink.metrics;

import io.labhooks.runtime.MetricNames;
import io.labhooks.sink.write.EventRow;
import io.labhooks.sink.write.WriteResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * The sink's meters: {@code labhooks_sink_rows_total{table,outcome}}, {@code labhooks_sink_batch_seconds},
 * {@code labhooks_sink_dead_letters_total{reason}} and
 * {@code labhooks_pipeline_latency_seconds{vendor}} (ingress receipt to warehouse commit, the SLO; a
 * histogram, so Prometheus can compute quantiles across instances).
 */
public final class SinkMetrics {
    public static final String INSERTED = "inserted";
    public static final String UPDATED = "updated";
    public static final String SKIPPED = "skipped";
    public static final String EVENTS = "lab_events";
    public static final String ENTITIES = "lab_entities";
    public static final String RESULTS = "lab_results";

    private final MeterRegistry registry;
    private final Counter eventsInserted;
    private final Counter eventsSkipped;
    private final Counter entitiesInserted;
    private final Counter entitiesUpdated;
    private final Counter entitiesSkipped;
    private final Counter resultsInserted;
    private final Timer batch;

    public SinkMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.eventsInserted = rows(EVENTS, INSERTED);
        this.eventsSkipped = rows(EVENTS, SKIPPED);
        this.entitiesInserted = rows(ENTITIES, INSERTED);
        this.entitiesUpdated = rows(ENTITIES, UPDATED);
        this.entitiesSkipped = rows(ENTITIES, SKIPPED);
        this.resultsInserted = rows(RESULTS, INSERTED);
        this.batch = Timer.builder(MetricNames.SINK_BATCH)
                .description("Time to write one consumed batch to the warehouse and commit its offsets")
                .publishPercentileHistogram()
                .register(registry);
    }

    private Counter rows(String table, String outcome) {
        return Counter.builder(MetricNames.SINK_ROWS)
                .description("Warehouse rows written by the sink, by table and outcome")
                .tag(MetricNames.TAG_TABLE, table)
                .tag(MetricNames.TAG_OUTCOME, outcome)
                .register(registry);
    }

    /** Counts a committed write; {@code reducedEvents}/{@code reducedEntities} were dropped by the batch reduction. */
    public void written(WriteResult r, int reducedEvents, int reducedEntities) {
        eventsInserted.increment(r.insertedEvents().size());
        eventsSkipped.increment(r.eventsSkipped() + reducedEvents);
        entitiesInserted.increment(r.entitiesInserted());
        entitiesUpdated.increment(r.entitiesUpdated());
        entitiesSkipped.increment(r.entitiesSkipped() + reducedEntities);
        resultsInserted.increment(r.resultsInserted());
        for (EventRow e : r.insertedEvents()) {
            Duration latency = Duration.between(e.receivedAt(), r.committedAt());
            latency(e.vendor()).record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }

    /** Counts one record the warehouse refused (or could not decode), once {@code labhooks.dlq.v1} acked it. */
    public void deadLettered(String reason) {
        Counter.builder(MetricNames.SINK_DEAD_LETTERS)
                .description("Records the sink sent to labhooks.dlq.v1 instead of the warehouse, by reason")
                .tag(MetricNames.TAG_REASON, reason)
                .register(registry)
                .increment();
    }

    public void batch(Duration took) {
        batch.record(took);
    }

    private Timer latency(String vendor) {
        return Timer.builder(MetricNames.PIPELINE_LATENCY)
                .description("Ingress receipt to warehouse commit, per event (the end-to-end SLO)")
                .tag(MetricNames.TAG_VENDOR, vendor)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }
}
