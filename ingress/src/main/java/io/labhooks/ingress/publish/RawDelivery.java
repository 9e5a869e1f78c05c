package io.labhooks.ingress.publish;

import java.util.Map;
import java.util.Objects;

/**
 * One accepted webhook delivery: the exact body bytes and what the later stages need to know.
 *
 * @param vendorHeaders vendor headers forwarded verbatim (e.g. X-Coreone-Webhook-Type)
 */
public record RawDelivery(String sourceId, String vendor, String deliveryId, long receivedAtMillis,
                          String contentType, Map<String, String> vendorHeaders, byte[] body) {
    public RawDelivery {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(body, "body");
        vendorHeaders = Map.copyOf(vendorHeaders == null ? Map.of() : vendorHeaders);
    }

    @Override
    public String toString() {
        return "RawDelivery[source=" + sourceId + ", vendor=" + vendor + ", deliveryId=" + deliveryId
                + ", receivedAt=" + receivedAtMillis + ", bytes=" + body.length + "]";
    }
}
