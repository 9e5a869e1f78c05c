package io.labhooks.runtime;

/**
 * The metric catalogue. Names are Micrometer names; the Prometheus registry renders
 * {@code labhooks.ingress.requests} as {@code labhooks_ingress_requests_total} and so on.
 * Dashboards and alerts script against the Prometheus names given in each comment.
 */
public final class MetricNames {
    /** labhooks_ingress_requests_total{source,vendor,code}. */
    public static final String INGRESS_REQUESTS = "labhooks.ingress.requests";
    /** labhooks_ingress_ack_seconds{source,path=kafka|spool} (histogram). */
    public static final String INGRESS_ACK = "labhooks.ingress.ack";
    /** labhooks_ingress_consecutive_failures{source}: the non-200 streak Confident disables on. */
    public static final String INGRESS_CONSECUTIVE_FAILURES = "labhooks.ingress.consecutive.failures";
    /** labhooks_ingress_last_success_timestamp_seconds{source}. */
    public static final String INGRESS_LAST_SUCCESS = "labhooks.ingress.last.success.timestamp";
    /** labhooks_ingress_in_flight: requests being handled right now. */
    public static final String INGRESS_IN_FLIGHT = "labhooks.ingress.in.flight";

    /** labhooks_spool_records: records in the ingress's disk spool. */
    public static final String SPOOL_RECORDS = "labhooks.spool.records";
    /** labhooks_spool_bytes: bytes in the spool (counted against ingress.spool.max-bytes). */
    public static final String SPOOL_BYTES = "labhooks.spool.bytes";
    /** labhooks_spool_max_bytes: ingress.spool.max-bytes. */
    public static final String SPOOL_MAX_BYTES = "labhooks.spool.max.bytes";
    /** labhooks_spool_oldest_age_seconds: age of the oldest spooled record (0 when empty). */
    public static final String SPOOL_OLDEST_AGE = "labhooks.spool.oldest.age";
    /** labhooks_spool_forwarded_total: spooled records the forwarder handed to Kafka. */
    public static final String SPOOL_FORWARDED = "labhooks.spool.forwarded";
    /**
     * labhooks_spool_native_memory_bytes{kind}: the spool's RocksDB memory outside the Java heap (kind memtables,
     * table_readers or block_cache), which {@code -Xmx} does not bound.
     */
    public static final String SPOOL_NATIVE_MEMORY = "labhooks.spool.native.memory";

    /** labhooks_normalizer_events_total{vendor,type,outcome}. */
    public static final String NORMALIZER_EVENTS = "labhooks.normalizer.events";
    /** labhooks_sink_rows_total{table,outcome}. */
    public static final String SINK_ROWS = "labhooks.sink.rows";
    /** labhooks_sink_dead_letters_total{reason}: records the warehouse refused, sent to labhooks.dlq.v1. */
    public static final String SINK_DEAD_LETTERS = "labhooks.sink.dead.letters";
    /** labhooks_sink_batch_seconds. */
    public static final String SINK_BATCH = "labhooks.sink.batch";
    /** labhooks_pipeline_latency_seconds{vendor}: ingress receipt to warehouse commit, the SLO. */
    public static final String PIPELINE_LATENCY = "labhooks.pipeline.latency";

    public static final String TAG_SOURCE = "source";
    public static final String TAG_VENDOR = "vendor";
    public static final String TAG_CODE = "code";
    public static final String TAG_PATH = "path";
    public static final String TAG_TYPE = "type";
    public static final String TAG_OUTCOME = "outcome";
    public static final String TAG_TABLE = "table";
    public static final String TAG_REASON = "reason";

    private MetricNames() {
    }
}
