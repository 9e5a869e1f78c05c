package io.labhooks.normalizer.topology;

import io.labhooks.config.SourceConfig;
import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.normalizer.adapter.AdapterResult;
import io.labhooks.normalizer.adapter.RawInput;
import io.labhooks.normalizer.adapter.Rejection;
import io.labhooks.normalizer.adapter.VendorAdapter;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw delivery to canonical events, keyed by entity key; or, when the adapter rejects it, one DLQ record
 * with the original key, bytes and headers plus {@code labhooks.error.stage|reason|message}.
 */
final class ParseProcessor implements Processor<String, byte[], String, Parsed> {
    private static final Logger LOG = LoggerFactory.getLogger(ParseProcessor.class);
    static final String STAGE = "normalize";
    private static final int MAX_ERROR_MESSAGE = 512;

    private final Map<String, SourceConfig> sources;
    private final Function<SourceConfig, VendorAdapter> adapters;
    private final NormalizerMetrics metrics;
    private final EventCodec codec;
    private final Map<String, VendorAdapter> bySource = new HashMap<>();
    private ProcessorContext<String, Parsed> context;

    ParseProcessor(Map<String, SourceConfig> sources, Function<SourceConfig, VendorAdapter> adapters, NormalizerMetrics metrics,
                   EventCodec codec) {
        this.sources = sources;
        this.adapters = adapters;
        this.metrics = metrics;
        this.codec = codec;
    }

    @Override
    public void init(ProcessorContext<String, Parsed> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String sourceId = header(record, Headers.SOURCE);
        SourceConfig source = sourceId == null ? null : sources.get(sourceId);
        String vendor = source != null ? source.vendor().id() : headerOr(record, Headers.VENDOR, "unknown");
        if (record.value() == null) {
            reject(record, vendor, Rejection.of(Rejection.Reason.NOT_JSON, "the record has no value"));
            return;
        }
        if (source == null) {
            reject(record, vendor, Rejection.of(Rejection.Reason.UNKNOWN_SOURCE,
                    sourceId == null ? "no " + Headers.SOURCE + " header" : "source '" + sourceId + "' is not in the config"));
            return;
        }
        AdapterResult result;
        try {
            result = bySource.computeIfAbsent(source.id(), id -> adapters.apply(source)).adapt(toInput(record, source));
        } catch (RuntimeException e) {
            // An adapter must not throw; if one does, the delivery is kept in the DLQ and the app goes on.
            LOG.error("adapter for source {} threw on delivery {}", source.id(), header(record, Headers.DELIVERY_ID), e);
            result = AdapterResult.rejected(Rejection.Reason.WRONG_SHAPE, "adapter failure: " + e);
        }
        if (result instanceof AdapterResult.Rejected r) {
            reject(record, vendor, r.rejection());
            return;
        }
        for (CanonicalEvent e : ((AdapterResult.Accepted) result).events()) {
            RecordHeaders h = new RecordHeaders();
            h.add(Headers.CONTENT_TYPE, EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            if (e.deliveryId() != null) {
                h.add(Headers.DELIVERY_ID, e.deliveryId().getBytes(StandardCharsets.UTF_8));
            }
            // for the dedupe step, so that it need not parse the event; it removes them again
            h.add(Headers.EVENT_ID, e.id().getBytes(StandardCharsets.UTF_8));
            h.add(Headers.EVENT_VERSION, Long.toString(e.version()).getBytes(StandardCharsets.UTF_8));
            h.add(Headers.EVENT_TYPE, e.type().getBytes(StandardCharsets.UTF_8));
            h.add(Headers.VENDOR, e.vendor().getBytes(StandardCharsets.UTF_8));
            context.forward(new Record<>(e.entityKey(), new Parsed(false, codec.write(e)), record.timestamp(), h));
        }
    }

    private RawInput toInput(Record<String, byte[]> record, SourceConfig source) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : record.headers()) {
            if (h.value() != null) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return RawInput.ofRecord(source, record.key(), record.timestamp(), headers, record.value());
    }

    private void reject(Record<String, byte[]> record, String vendor, Rejection rejection) {
        metrics.count(vendor, "unknown", NormalizerMetrics.Outcome.INVALID);
        LOG.warn("delivery {} from source {} to the DLQ: {} ({})", header(record, Headers.DELIVERY_ID),
                header(record, Headers.SOURCE), rejection.reason().id(), rejection.message());
        RecordHeaders h = new RecordHeaders(record.headers().toArray());
        h.remove(Headers.ERROR_STAGE);
        h.remove(Headers.ERROR_REASON);
        h.remove(Headers.ERROR_MESSAGE);
        h.remove(Headers.ERROR_TOPIC);
        h.add(Headers.ERROR_TOPIC, Topics.RAW.getBytes(StandardCharsets.UTF_8));
        h.add(Headers.ERROR_STAGE, STAGE.getBytes(StandardCharsets.UTF_8));
        h.add(Headers.ERROR_REASON, rejection.reason().id().getBytes(StandardCharsets.UTF_8));
        String msg = rejection.message();
        h.add(Headers.ERROR_MESSAGE, (msg.length() > MAX_ERROR_MESSAGE ? msg.substring(0, MAX_ERROR_MESSAGE) : msg)
                .getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), new Parsed(true, record.value()), record.timestamp(), h));
    }

    private static String header(Record<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String headerOr(Record<String, byte[]> record, String name, String fallback) {
        String v = header(record, name);
        return v == null ? fallback : v;
    }
}
