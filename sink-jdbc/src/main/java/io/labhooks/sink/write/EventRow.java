package io.labhooks.sink.write;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@code lab_events} row: one canonical event, as history.
 *
 * @param payload the event's JSON text in UTF-8, bound as bytes (never turned into a {@code String} on the way)
 */
public record EventRow(String eventId, String type, String sourceId, String vendor, String entityKey, long version,
                       boolean hwmAdvanced, Instant occurredAt, Instant receivedAt, String deliveryId,
                       byte[] payload) {
    public EventRow {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(entityKey, "entityKey");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(payload, "payload");
    }

    /** The payload as text (for tests and tools; the writer binds the bytes). */
    public String payloadJson() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
