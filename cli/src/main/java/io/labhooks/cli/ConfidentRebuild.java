package io.labhooks.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.normalizer.adapter.AdapterResult;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.normalizer.adapter.ConfidentAdapter;
import io.labhooks.normalizer.adapter.RawInput;
import io.labhooks.normalizer.adapter.VendorAdapter;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.sink.Warehouse;
import io.labhooks.sink.rebuild.WarehouseRebuild;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code labhooks sink --rebuild}: re-derives the Confident rows of the warehouse by running the Confident adapter
 * again on each stored event's {@code data.vendor_payload} (see {@link WarehouseRebuild} and docs/warehouse.md).
 */
final class ConfidentRebuild {
    private static final Logger LOG = LoggerFactory.getLogger(ConfidentRebuild.class);
    private static final String PUBLISH_TYPE = CanonicalEvent.TYPE_PREFIX + "confident." + ConfidentAdapter.PUBLISH_EVENT;
    private static final String SOURCE_PREFIX = "labhooks/";

    private final LabhooksConfig config;
    private final EventCodec codec = new EventCodec();
    private final Adapters adapters = new Adapters();
    private final Map<String, VendorAdapter> bySource = new HashMap<>();

    ConfidentRebuild(LabhooksConfig config) {
        this.config = config;
    }

    WarehouseRebuild.Result run() throws SQLException {
        try (Warehouse w = new Warehouse(config.sink(), "labhooks-rebuild")) {
            w.migrate();
            return new WarehouseRebuild(w, codec, Clock.systemUTC()).run(Vendor.CONFIDENT.id(), this::rederive);
        }
    }

    /** The stored event with the data the adapter gives its vendor payload today, or empty to leave it. */
    Optional<CanonicalEvent> rederive(CanonicalEvent stored) {
        if (!stored.type().equals(PUBLISH_TYPE)) {
            return Optional.empty();
        }
        String sourceId = stored.source().startsWith(SOURCE_PREFIX) ? stored.source().substring(SOURCE_PREFIX.length())
                : stored.source();
        SourceConfig source = config.source(sourceId).orElse(null);
        JsonNode payload = stored.data().get("vendor_payload");
        if (source == null || source.vendor() != Vendor.CONFIDENT || payload == null || !payload.isObject()) {
            LOG.warn("rebuild: event {} left as it is (source '{}' is not a Confident source of the config, or no vendor_payload)",
                    stored.id(), sourceId);
            return Optional.empty();
        }
        byte[] body;
        try {
            body = codec.mapper().writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
        RawInput in = new RawInput(source, stored.deliveryId() == null ? "rebuild" : stored.deliveryId(), stored.receivedAt(),
                Map.of("content-type", "application/json"), body);
        AdapterResult r = bySource.computeIfAbsent(sourceId, id -> adapters.forSource(source)).adapt(in);
        if (r instanceof AdapterResult.Accepted a) {
            for (CanonicalEvent fresh : a.events()) {
                if (fresh.id().equals(stored.id())) {
                    return Optional.of(new CanonicalEvent(stored.id(), stored.source(), stored.type(), stored.subject(),
                            stored.time(), stored.vendor(), stored.entityType(), stored.entityId(), stored.version(),
                            stored.deliveryId(), stored.receivedAt(), stored.hwmAdvanced(), fresh.data()));
                }
            }
            LOG.warn("rebuild: event {} left as it is: its payload now gives another event id (was the source's timezone changed?)",
                    stored.id());
        } else {
            LOG.warn("rebuild: event {} left as it is: the adapter refuses its payload: {}", stored.id(),
                    ((AdapterResult.Rejected) r).rejection());
        }
        return Optional.empty();
    }
}
