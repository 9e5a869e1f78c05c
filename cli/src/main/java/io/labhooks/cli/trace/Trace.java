package io.labhooks.cli.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The story of one entity, as {@code labhooks trace} found it: its raw deliveries with their outcome, its canonical
 * events, its DLQ records and its warehouse rows. Printed as a timeline, or as JSON for scripts.
 */
public record Trace(String query, Instant since, Instant until, Set<String> entityKeys, List<Delivery> deliveries,
                    List<Event> events, List<DeadLetter> deadLetters, List<WarehouseRow> warehouse, String warehouseError) {

    /** What the normalizer made of a delivery. */
    public enum Outcome {
        /** Its event is in {@code labhooks.events.v1} and moved the entity's high-water mark. */
        ACCEPTED,
        /** Its event is in the history ({@code labhooks.events.v1}) but was older than the entity's version. */
        STALE,
        /** Its events had already been emitted for an earlier delivery: dropped by the dedupe. */
        DUPLICATE,
        /** The normalizer refused it: it is in {@code labhooks.dlq.v1}. */
        DEAD_LETTERED,
        /** No event and no DLQ record yet: not normalized yet, or its event is outside the scanned time range. */
        PENDING;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Where a record is: topic, partition, offset, and its timestamp. */
    public record Position(String topic, int partition, long offset, Instant timestamp) {
        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** One raw delivery of the entity. {@code detail} says e.g. which delivery it duplicates. */
    public record Delivery(String deliveryId, String source, Instant receivedAt, Position at, boolean replayed,
                           List<String> eventIds, Outcome outcome, String detail) {
        public Delivery {
            eventIds = List.copyOf(eventIds);
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /** One canonical event of the entity in {@code labhooks.events.v1}. */
    public record Event(String id, String entityKey, String type, long version, boolean hwmAdvanced, String deliveryId,
                        Position at) {
    }

    /** One DLQ record of the entity, or of one of its deliveries. */
    public record DeadLetter(String deliveryId, String source, String stage, String reason, String message, String key,
                             Position at) {
    }

    /** The entity's row in {@code lab_entities} now, with its row counts. */
    public record WarehouseRow(String entityKey, long version, boolean deleted, String lastEventId, String updatedAt,
                               long events, long results) {
    }

    public Trace {
        entityKeys = Set.copyOf(entityKeys);
        deliveries = List.copyOf(deliveries);
        events = List.copyOf(events);
        deadLetters = List.copyOf(deadLetters);
        warehouse = List.copyOf(warehouse);
    }

    /** Nothing at all was found. */
    public boolean isEmpty() {
        return deliveries.isEmpty() && events.isEmpty() && deadLetters.isEmpty() && warehouse.isEmpty();
    }

    /** One line per delivery, event and DLQ record in time order, then the warehouse. */
    public void print(PrintWriter out) {
        out.println("trace " + query + ", records from " + since + (until == null ? " to now" : " to " + until)
                + (entityKeys.isEmpty() ? "" : ": " + String.join(", ", entityKeys.stream().sorted().toList())));
        List<Line> lines = new ArrayList<>();
        for (Delivery d : deliveries) {
            lines.add(new Line(d.at().timestamp(), 0, d.at(), String.format("delivery %s  source %s  %s%s  -> %s%s",
                    d.deliveryId(), d.source(), d.at(), d.replayed() ? " (replayed copy)" : "", d.outcome().id(),
                    d.detail() == null ? "" : " (" + d.detail() + ")")));
        }
        for (Event e : events) {
            lines.add(new Line(e.at().timestamp(), 1, e.at(), String.format("event    %s  %s  v%d  %s  %s  delivery %s",
                    e.id(), e.type(), e.version(), e.hwmAdvanced() ? "hwm advanced" : "hwm not advanced (stale)", e.at(),
                    e.deliveryId())));
        }
        for (DeadLetter x : deadLetters) {
            lines.add(new Line(x.at().timestamp(), 2, x.at(), String.format("dlq      stage %s  reason %s  %s  delivery %s  source %s  message: %s",
                    x.stage(), x.reason(), x.at(), x.deliveryId(), x.source(), x.message())));
        }
        // a delivery, then what became of it: its event, then a DLQ record, when they share a timestamp
        lines.sort(Comparator.comparing(Line::time).thenComparingInt(Line::rank).thenComparingLong(l -> l.at().offset()));
        for (Line l : lines) {
            out.println(l.time() + "  " + l.text());
        }
        if (warehouseError != null) {
            out.println("warehouse: not read (" + warehouseError + ")");
        } else if (warehouse.isEmpty()) {
            out.println("warehouse: no lab_entities row" + (entityKeys.isEmpty() ? "" : " for " + String.join(", ", entityKeys)));
        }
        for (WarehouseRow w : warehouse) {
            out.println(String.format("warehouse %s  version %d  updated %s  deleted %s  last event %s  lab_events %d  lab_results %d",
                    w.entityKey(), w.version(), w.updatedAt(), w.deleted(), w.lastEventId(), w.events(), w.results()));
        }
        out.flush();
    }

    private record Line(Instant time, int rank, Position at, String text) {
    }

    /** The whole trace as one JSON document. */
    public ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.put("query", query);
        n.put("since", since.toString());
        n.put("until", until == null ? null : until.toString());
        ArrayNode keys = n.putArray("entity_keys");
        entityKeys.stream().sorted().forEach(keys::add);
        ArrayNode ds = n.putArray("deliveries");
        for (Delivery d : deliveries) {
            ObjectNode o = ds.addObject();
            o.put("delivery_id", d.deliveryId());
            o.put("source", d.source());
            o.put("received_at", d.receivedAt().toString());
            position(o, d.at());
            o.put("replayed", d.replayed());
            ArrayNode ids = o.putArray("event_ids");
            d.eventIds().forEach(ids::add);
            o.put("outcome", d.outcome().id());
            o.put("detail", d.detail());
        }
        ArrayNode es = n.putArray("events");
        for (Event e : events) {
            ObjectNode o = es.addObject();
            o.put("id", e.id());
            o.put("entity_key", e.entityKey());
            o.put("type", e.type());
            o.put("version", Long.toString(e.version()));
            o.put("hwm_advanced", e.hwmAdvanced());
            o.put("delivery_id", e.deliveryId());
            position(o, e.at());
        }
        ArrayNode xs = n.putArray("dead_letters");
        for (DeadLetter x : deadLetters) {
            ObjectNode o = xs.addObject();
            o.put("delivery_id", x.deliveryId());
            o.put("source", x.source());
            o.put("stage", x.stage());
            o.put("reason", x.reason());
            o.put("message", x.message());
            o.put("key", x.key());
            position(o, x.at());
        }
        ArrayNode ws = n.putArray("warehouse");
        for (WarehouseRow w : warehouse) {
            ObjectNode o = ws.addObject();
            o.put("entity_key", w.entityKey());
            o.put("version", Long.toString(w.version()));
            o.put("deleted", w.deleted());
            o.put("last_event_id", w.lastEventId());
            o.put("updated_at", w.updatedAt());
            o.put("lab_events", w.events());
            o.put("lab_results", w.results());
        }
        n.put("warehouse_error", warehouseError);
        return n;
    }

    private static void position(ObjectNode o, Position p) {
        o.put("topic", p.topic());
        o.put("partition", p.partition());
        o.put("offset", p.offset());
        o.put("timestamp", p.timestamp().toString());
    }
}
