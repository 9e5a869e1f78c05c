package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventIds;
import java.time.Instant;

/** Builds canonical events for one delivery, so that every adapter names, keys and ids them the same way. */
public final class EventFactory {
    private EventFactory() {
    }

    /**
     * @param event         the vendor's event name without the vendor, e.g. {@code bill.completed}
     * @param discriminator what distinguishes two events with the same entity, type and version (may be empty)
     * @param time          the vendor's event time, or null for the receipt time
     * @param data          vendor-neutral fields; {@code vendor_payload} is added here
     */
    public static CanonicalEvent event(RawInput in, String entityType, String entityId, String event, long version,
                                       String discriminator, Instant time, ObjectNode data, JsonNode vendorPayload) {
        return build(in, entityType, entityId, event, version, version, discriminator, time, data, vendorPayload);
    }

    /**
     * For a body that carries no version: the receipt time (epoch micros) orders it, but the id leaves it out, so
     * that a re-delivery of the same body (received later) keeps its id and is deduplicated. The discriminator
     * must then tell bodies apart (a body hash).
     */
    public static CanonicalEvent eventVersionedByReceipt(RawInput in, String entityType, String entityId, String event,
                                                         String discriminator, Instant time, ObjectNode data,
                                                         JsonNode vendorPayload) {
        long receiptMicros = Math.multiplyExact(in.receivedAt().getEpochSecond(), 1_000_000L) + in.receivedAt().getNano() / 1_000;
        return build(in, entityType, entityId, event, receiptMicros, 0, discriminator, time, data, vendorPayload);
    }

    private static CanonicalEvent build(RawInput in, String entityType, String entityId, String event, long version,
                                        long idVersion, String discriminator, Instant time, ObjectNode data,
                                        JsonNode vendorPayload) {
        String vendor = in.source().vendor().id();
        String key = CanonicalEvent.entityKey(vendor, entityType, entityId);
        String type = CanonicalEvent.TYPE_PREFIX + vendor + "." + event;
        data.set("vendor_payload", vendorPayload);
        return new CanonicalEvent(EventIds.of(vendor, key, type, idVersion, discriminator), "labhooks/" + in.source().id(),
                type, key, time == null ? in.receivedAt() : time, vendor, entityType, entityId, version, in.deliveryId(),
                in.receivedAt(), false, data);
    }
}
