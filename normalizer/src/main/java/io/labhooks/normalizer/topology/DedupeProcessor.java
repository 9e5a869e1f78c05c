package io.labhooks.normalizer.topology;

import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.schemas.Headers;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * For LML and Flabs ({@link EntityMerge}) it also keeps the entity's merged state beside the mark, and sends that
 * to the entities topic instead of the bare event: after an advancing event, and after a late event of lower rank
 * that added fields the entity lacked (with the version unchanged and {@code data.merged_events} one higher).
 * A punctuator forgets event ids older than the dedupe retention (the high-water mark and merged state are kept).
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
        metrics.count(event.vendor(), event.type(), advanced ? NormalizerMetrics.Outcome.ACCEPTED : NormalizerMetrics.Outcome.STALE);
        // The parse step wrote labhookshwmadvanced=false; only an advancing event needs its bytes patched.
        byte[] out = advanced ? codec.withHwmAdvanced(record.value()) : record.value();
        byte[] entity = advanced ? out : null;
        if (EntityMerge.merges(event.vendor())) {
            entity = merge(state, codec.read(out), advanced);
        }
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        for (String internal : new String[] {Headers.EVENT_ID, Headers.EVENT_VERSION, Headers.EVENT_TYPE, Headers.VENDOR}) {
            headers.remove(internal);
        }
        store.put(record.key(), state.toBytes());
        context.forward(record.withValue(new Deduped(advanced, out, entity)).withHeaders(headers));
    }

    /** Merges the event into the entity's state (kept in {@code state}); the entity event to emit, or null. */
    private byte[] merge(DedupeState state, CanonicalEvent e, boolean advanced) {
        CanonicalEvent previous = state.entity == null ? null : codec.read(state.entity);
        CanonicalEvent merged;
        if (previous == null) {
            if (!advanced) {
                return null; // a stale event on state written before merging existed: nothing to merge it into
            }
            ObjectNode data = e.data().deepCopy();
            data.put(EntityMerge.MERGED_EVENTS, 1);
            merged = withData(e, data);
        } else {
            long count = previous.data().path(EntityMerge.MERGED_EVENTS).asLong(1) + 1;
            ObjectNode data = advanced ? EntityMerge.newer(previous.data(), e.data()) : EntityMerge.older(previous.data(), e.data());
            if (!advanced && !EntityMerge.changed(previous.data(), data)) {
                return null; // nothing new: the entity stays as it is
            }
            data.put(EntityMerge.MERGED_EVENTS, count);
            merged = withData(advanced ? e : previous, data);
        }
        byte[] bytes = codec.write(merged);
        state.entity = bytes;
        return bytes;
    }

    private static CanonicalEvent withData(CanonicalEvent e, ObjectNode data) {
        return new CanonicalEvent(e.id(), e.source(), e.type(), e.subject(), e.time(), e.vendor(), e.entityType(),
                e.entityId(), e.version(), e.deliveryId(), e.receivedAt(), true, data);
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
