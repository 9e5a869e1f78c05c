package io.labhooks.schemas.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A canonical labhooks event: a CloudEvents 1.0 event, written as structured JSON by
 * {@link EventCodec}. Extensions carry the entity, the comparable version and the
 * delivery it came from.
 *
 * @param id          deterministic: {@link EventIds#of}
 * @param source      {@code labhooks/{sourceId}}
 * @param type        {@code lab.{vendor}.{event}}, e.g. {@code lab.flabs.bill.completed}
 * @param subject     the entity key, e.g. {@code confident:sample:123}
 * @param time        the vendor's event time, else the receipt time
 * @param version     comparable within one entity; higher is newer
 * @param hwmAdvanced set by the dedupe: true if this event moved the entity's high-water mark
 * @param data        vendor-neutral fields plus {@code vendor_payload}, the vendor's original body
 */
public record CanonicalEvent(String id, String source, String type, String subject, Instant time,
                             String vendor, String entityType, String entityId, long version,
                             String deliveryId, Instant receivedAt, boolean hwmAdvanced, ObjectNode data) {
    public static final String SPEC_VERSION = "1.0";
    public static final String TYPE_PREFIX = "lab.";

    public CanonicalEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(data, "data");
    }

    /** The entity key, which is also the Kafka record key downstream of the normalizer. */
    public String entityKey() {
        return subject;
    }

    /** True if this event marks its entity deleted ({@code data.deleted}). */
    public boolean deleted() {
        return data.path("deleted").asBoolean(false);
    }

    public CanonicalEvent withHwmAdvanced(boolean advanced) {
        return new CanonicalEvent(id, source, type, subject, time, vendor, entityType, entityId, version, deliveryId,
                receivedAt, advanced, data);
    }

    /** The entity key of a vendor's entity: {@code vendor:entityType:entityId}. */
    public static String entityKey(String vendor, String entityType, String entityId) {
        return vendor + ":" + entityType + ":" + entityId;
    }

    @Override
    public String toString() {
        return "CanonicalEvent[" + type + " " + subject + " v" + version + " id=" + id + "]";
    }
}
