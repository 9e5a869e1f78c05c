package io.labhooks.sink.write;

import java.time.Instant;
import java.util.Objects;

/** A {@code lab_events} row: one canonical event, as history. */
public record EventRow(String eventId, String type, String sourceId, String vendor, String entityKey, long version,
                       boolean hwmAdvanced, Instant occurredAt, Instant receivedAt, String deliveryId,
                       String payloadJson) {
    public EventRow {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(entityKey, "entityKey");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(payloadJson, "payloadJson");
    }
}
