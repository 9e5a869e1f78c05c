package io.labhooks.normalizer.topology;

import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.schemas.Headers;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by entity. Drops an event id already seen ({@code duplicate}); emits every other event once,
 * with {@code labhookshwmadvanced} set; moves the entity's high-water mark when the version is above it.
 * A punctuator forgets event ids older than the dedupe retention (the high-water mark is kept).
 */
final class DedupeProcessor implements Processor<String, byte[], String, Deduped> {
    private static final Logger LOG = LoggerFactory.getLogger(DedupeProcessor.class);

    private final String storeName;
    private final Duration retention;
    private final Duration purgeInterval;
    private final NormalizerMetrics metrics;
    private final EventCodec codec;
    private ProcessorContext<String, Deduped> context;
    private KeyValueStore<String, byte[]> store;

    DedupeProcessor(String storeName, Duration retention, Duration purgeInterval, NormalizerMetrics metrics, EventCodec codec) {
        this.storeName = storeName;
        this.retention = retention;
        this.purgeInterval = purgeInterval;
        this.metrics = metrics;
        this.codec = codec;
    }

    @Override
    public void init(ProcessorContext<String, Deduped> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, this::purge);
    }

    /** What the dedupe needs of an event: from the parse step's headers, else (older records) from the JSON. */
    private record Facts(String id, long version, String type, String vendor) {
    }

    private Facts facts(Record<String, byte[]> record) {
        String id = header(record, Headers.EVENT_ID);
        String version = header(record, Headers.EVENT_VERSION);
        String type = header(record, Headers.EVENT_TYPE);
        String vendor = header(record, Headers.VENDOR);
        if (id != null && version != null && type != null && vendor != null) {
            try {
                return new Facts(id, Long.parseLong(version), type, vendor);
            } catch (NumberFormatException e) {
                LOG.debug("unreadable {} header '{}': reading the event instead", Headers.EVENT_VERSION, version);
            }
        }
        CanonicalEvent e = codec.read(record.value());
        return new Facts(e.id(), e.version(), e.type(), e.vendor());
    }

    private static String header(Record<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Facts event = facts(record);
        DedupeState state = DedupeState.fromBytes(store.get(record.key()));
        if (state.hasSeen(event.id())) {
            metrics.count(event.vendor(), event.type(), NormalizerMetrics.Outcome.DUPLICATE);
            return;
        }
        boolean advanced = state.hwm == DedupeState.NO_HWM || event.version() > state.hwm;
        if (advanced) {
            state.hwm = event.version();
        }
        state.seen.put(event.id(), context.currentSystemTimeMs());
        store.put(record.key(), state.toBytes());
        metrics.count(event.vendor(), event.type(), advanced ? NormalizerMetrics.Outcome.ACCEPTED : NormalizerMetrics.Outcome.STALE);
        // The parse step wrote labhookshwmadvanced=false; only an advancing event needs its bytes patched.
        byte[] out = advanced ? codec.withHwmAdvanced(record.value()) : record.value();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        for (String internal : new String[] {Headers.EVENT_ID, Headers.EVENT_VERSION, Headers.EVENT_TYPE, Headers.VENDOR}) {
            headers.remove(internal);
        }
        context.forward(record.withValue(new Deduped(advanced, out)).withHeaders(headers));
    }

    private void purge(long now) {
        long cutoff = now - retention.toMillis();
        int purged = 0;
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                DedupeState s = DedupeState.fromBytes(kv.value);
                if (s.purge(cutoff)) {
                    store.put(kv.key, s.toBytes());
                    purged++;
                }
            }
        }
        if (purged > 0) {
            LOG.info("dedupe: forgot event ids older than {} on {} entities", retention, purged);
        }
    }
}
