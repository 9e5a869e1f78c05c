package io.labhooks.cli.trace;

import io.labhooks.cli.replay.Decision;
import io.labhooks.cli.replay.Republisher;
import io.labhooks.cli.replay.Scan;
import io.labhooks.cli.replay.Totals;
import io.labhooks.config.AuthConfig;
import io.labhooks.config.ConfigKeys;
import io.labhooks.config.KafkaConfig;
import io.labhooks.config.SinkConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.normalizer.adapter.AdapterResult;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.normalizer.adapter.RawInput;
import io.labhooks.normalizer.adapter.VendorAdapter;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.cli.replay.ReplayHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Finds the story of one entity by bounded scans: {@code labhooks.raw.v1}, {@code labhooks.events.v1} and
 * {@code labhooks.dlq.v1} from {@code since} (to {@code until}, or to the end offsets at start), then the warehouse.
 *
 * <p>Nothing is indexed ahead of time. Each raw record in the range is run through its source's adapter (the same
 * code the normalizer runs), so its entity keys and event ids are known without the normalizer's state; a delivery's
 * outcome then follows from {@code labhooks.events.v1}: its event is there with its delivery id (accepted, or stale
 * when it did not advance the high-water mark), there with another delivery id (a duplicate), or not there (pending,
 * or dead-lettered when the DLQ has it). A delivery id query needs a second raw scan, for the entity's other
 * deliveries. The cost is reading the time range of each topic once (twice for raw), with no write anywhere.
 */
public final class Tracer {
    private static final String MATCHED = "matched";

    private final KafkaConfig kafka;
    private final SinkConfig sink;
    private final boolean sourcesFromHeaders;
    private final Map<String, SourceConfig> sources = new HashMap<>();
    private final Map<String, VendorAdapter> adapters = new HashMap<>();
    private final Adapters adapterFactory = new Adapters();
    private final EventCodec codec = new EventCodec();

    /**
     * @param sourcesFromHeaders a raw record of a source missing from the config is read with the vendor named by its
     *                           {@code labhooks.vendor} header and default settings (for tracing without the
     *                           deployment's config, e.g. against {@code labhooks local}); else it is an unknown
     *                           source, as in the normalizer
     */
    public Tracer(KafkaConfig kafka, SinkConfig sink, List<SourceConfig> configured, boolean sourcesFromHeaders) {
        this.kafka = kafka;
        this.sink = sink;
        this.sourcesFromHeaders = sourcesFromHeaders;
        configured.forEach(s -> sources.put(s.id(), s));
    }

    /**
     * Scans and assembles the trace. {@code progress} gets one line per scan and a progress line every 2 s.
     *
     * @throws io.labhooks.cli.replay.RepublishException if Kafka fails or a scan stalls
     */
    public Trace trace(TraceQuery query, Instant since, Instant until, Consumer<String> progress) {
        Map<String, RawHit> raw = new LinkedHashMap<>();
        Set<String> keys = new TreeSet<>();
        Set<String> deliveryIds = new HashSet<>();
        if (query.kind() == TraceQuery.Kind.DELIVERY_ID) {
            deliveryIds.add(query.value());
        }
        scanRaw(since, until, progress, hit -> hit.deliveryId().equals(query.value()) || hit.keys().stream().anyMatch(query::matchesKey),
                raw, keys);
        if (query.kind() == TraceQuery.Kind.DELIVERY_ID && !keys.isEmpty()) {
            Set<String> found = Set.copyOf(keys);
            scanRaw(since, until, progress, hit -> hit.keys().stream().anyMatch(found::contains), raw, keys);
        }
        raw.values().forEach(h -> deliveryIds.add(h.deliveryId()));

        List<Trace.Event> events = new ArrayList<>();
        scan(Topics.EVENTS, since, until, progress, r -> {
            String key = string(r.key());
            if (key == null || !(keys.contains(key) || query.matchesKey(key))) {
                return false;
            }
            try {
                CanonicalEvent e = codec.read(r.value());
                events.add(new Trace.Event(e.id(), e.entityKey(), e.type(), e.version(), e.hwmAdvanced(), e.deliveryId(), at(r)));
                keys.add(key);
                return true;
            } catch (IllegalArgumentException notAnEvent) {
                progress.accept("labhooks trace: " + at(r) + " is not a canonical event (" + notAnEvent.getMessage() + "); skipped");
                return false;
            }
        });

        List<Trace.DeadLetter> dead = new ArrayList<>();
        scan(Topics.DLQ, since, until, progress, r -> {
            String delivery = header(r, Headers.DELIVERY_ID);
            String key = string(r.key());
            boolean match = (delivery != null && deliveryIds.contains(delivery))
                    || (key != null && (keys.contains(key) || query.matchesKey(key) || deliveryIds.contains(key)));
            if (match) {
                dead.add(new Trace.DeadLetter(delivery != null ? delivery : key, header(r, Headers.SOURCE),
                        header(r, Headers.ERROR_STAGE), header(r, Headers.ERROR_REASON), header(r, Headers.ERROR_MESSAGE), key, at(r)));
            }
            return match;
        });

        List<Trace.Delivery> deliveries = outcomes(raw.values(), events, dead);
        List<Trace.WarehouseRow> rows = new ArrayList<>();
        String warehouseError = null;
        try {
            rows.addAll(warehouse(keys));
        } catch (SQLException e) {
            warehouseError = e.getMessage();
        }
        return new Trace(query.toString(), since, until, keys, deliveries, events, dead, rows, warehouseError);
    }

    /** A raw record and what its adapter made of it. */
    private record RawHit(String deliveryId, String source, Instant receivedAt, Trace.Position at, boolean replayed,
                          List<String> eventIds, List<String> keys, String rejection) {
    }

    private void scanRaw(Instant since, Instant until, Consumer<String> progress, java.util.function.Predicate<RawHit> wanted,
                         Map<String, RawHit> into, Set<String> keys) {
        scan(Topics.RAW, since, until, progress, r -> {
            RawHit hit = adapt(r);
            if (!wanted.test(hit)) {
                return false;
            }
            into.putIfAbsent(hit.at().toString(), hit);
            keys.addAll(hit.keys());
            return true;
        });
    }

    private RawHit adapt(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) {
            if (h.value() != null) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        String sourceId = headers.get(Headers.SOURCE);
        String key = string(r.key());
        String deliveryId = headers.getOrDefault(Headers.DELIVERY_ID, key == null ? "" : key);
        Trace.Position at = at(r);
        boolean replayed = headers.containsKey(ReplayHeaders.REPLAYED_AT);
        SourceConfig source = sourceId == null ? null : sources.computeIfAbsent(sourceId, id -> fromHeader(id, headers.get(Headers.VENDOR)));
        if (source == null || r.value() == null) {
            return new RawHit(deliveryId, sourceId, at.timestamp(), at, replayed, List.of(), List.of(),
                    source == null ? "unknown source" : "no value");
        }
        RawInput input = RawInput.ofRecord(source, key, r.timestamp(), headers, r.value());
        AdapterResult result;
        try {
            result = adapters.computeIfAbsent(source.id(), id -> adapterFactory.forSource(source)).adapt(input);
        } catch (RuntimeException e) {
            // the normalizer dead-letters such a delivery too; trace reports it and goes on
            return new RawHit(deliveryId, sourceId, input.receivedAt(), at, replayed, List.of(), List.of(), "adapter failure: " + e);
        }
        if (result instanceof AdapterResult.Accepted a) {
            return new RawHit(input.deliveryId(), sourceId, input.receivedAt(), at, replayed,
                    a.events().stream().map(CanonicalEvent::id).toList(), a.events().stream().map(CanonicalEvent::entityKey).distinct().toList(), null);
        }
        AdapterResult.Rejected rejected = (AdapterResult.Rejected) result;
        return new RawHit(input.deliveryId(), sourceId, input.receivedAt(), at, replayed, List.of(), List.of(),
                rejected.rejection().reason().id() + ": " + rejected.rejection().message());
    }

    private SourceConfig fromHeader(String sourceId, String vendorId) {
        if (!sourcesFromHeaders || vendorId == null || !ConfigKeys.SOURCE_ID.matcher(sourceId).matches()) {
            return null;
        }
        return java.util.Arrays.stream(Vendor.values()).filter(v -> v.id().equals(vendorId) && v != Vendor.GENERIC).findFirst()
                .map(v -> SourceConfig.of(sourceId, v, AuthConfig.none())).orElse(null);
    }

    /** Each delivery's outcome, in record order; a later copy of the same delivery (spool, replay) is a duplicate. */
    private static List<Trace.Delivery> outcomes(java.util.Collection<RawHit> raw, List<Trace.Event> events,
                                                 List<Trace.DeadLetter> dead) {
        Map<String, Trace.Event> byId = new HashMap<>();
        events.forEach(e -> byId.putIfAbsent(e.id(), e));
        Set<String> deadDeliveries = new HashSet<>();
        dead.forEach(d -> deadDeliveries.add(d.deliveryId()));
        List<RawHit> ordered = new ArrayList<>(raw);
        ordered.sort(Comparator.comparing((RawHit h) -> h.at().timestamp()).thenComparingLong(h -> h.at().offset()));
        Set<String> seen = new HashSet<>();
        List<Trace.Delivery> out = new ArrayList<>();
        for (RawHit h : ordered) {
            boolean firstCopy = seen.add(h.deliveryId());
            Trace.Outcome outcome;
            String detail = null;
            if (h.rejection() != null) {
                outcome = deadDeliveries.contains(h.deliveryId()) ? Trace.Outcome.DEAD_LETTERED : Trace.Outcome.PENDING;
                detail = h.rejection();
            } else {
                List<Trace.Event> found = h.eventIds().stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
                Trace.Event own = found.stream().filter(e -> h.deliveryId().equals(e.deliveryId())).findFirst().orElse(null);
                if (own != null && firstCopy) {
                    outcome = own.hwmAdvanced() ? Trace.Outcome.ACCEPTED : Trace.Outcome.STALE;
                } else if (own != null) {
                    outcome = Trace.Outcome.DUPLICATE;
                    detail = "another copy of the same delivery";
                } else if (!found.isEmpty()) {
                    outcome = Trace.Outcome.DUPLICATE;
                    detail = "same event as delivery " + found.get(0).deliveryId();
                } else {
                    outcome = Trace.Outcome.PENDING;
                    detail = "no event in the range yet";
                }
            }
            out.add(new Trace.Delivery(h.deliveryId(), h.source(), h.receivedAt(), h.at(), h.replayed(), h.eventIds(), outcome, detail));
        }
        return out;
    }

    private List<Trace.WarehouseRow> warehouse(Set<String> keys) throws SQLException {
        List<Trace.WarehouseRow> rows = new ArrayList<>();
        if (keys.isEmpty()) {
            return rows;
        }
        try (Connection c = DriverManager.getConnection(sink.jdbcUrl(), sink.username(),
                sink.password() == null ? null : sink.password().reveal());
             PreparedStatement entity = c.prepareStatement(
                     "SELECT version, deleted, last_event_id, updated_at FROM lab_entities WHERE entity_key = ?");
             PreparedStatement events = c.prepareStatement("SELECT count(*) FROM lab_events WHERE entity_key = ?");
             PreparedStatement results = c.prepareStatement("SELECT count(*) FROM lab_results WHERE entity_key = ?")) {
            for (String key : keys) {
                entity.setString(1, key);
                try (ResultSet rs = entity.executeQuery()) {
                    if (rs.next()) {
                        rows.add(new Trace.WarehouseRow(key, rs.getLong(1), rs.getBoolean(2), rs.getString(3), rs.getString(4),
                                count(events, key), count(results, key)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new SQLException(sink.redactedUrl() + ": " + e.getMessage(), e.getSQLState(), e);
        }
        return rows;
    }

    private static long count(PreparedStatement ps, String key) throws SQLException {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void scan(String topic, Instant since, Instant until, Consumer<String> progress,
                      java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> match) {
        String label = "labhooks trace: " + topic;
        progress.accept(label + ": scanning from " + since + (until == null ? " to the end" : " to " + until));
        try (Republisher reader = Republisher.reader(kafka, "labhooks-trace")) {
            Totals t = reader.run(new Scan(topic, since, until, false), r -> match.test(r) ? Decision.skip(MATCHED) : Decision.IGNORE,
                    p -> progress.accept(progressLine(label, p)));
            progress.accept(progressLine(label, t));
        }
    }

    private static String progressLine(String label, Totals t) {
        return String.format(java.util.Locale.ROOT, "%s: scanned %d, matched %d, %d%% of the range", label, t.scanned(), t.matched(),
                (int) Math.floor(t.fraction() * 100));
    }

    private static Trace.Position at(ConsumerRecord<byte[], byte[]> r) {
        return new Trace.Position(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()));
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
