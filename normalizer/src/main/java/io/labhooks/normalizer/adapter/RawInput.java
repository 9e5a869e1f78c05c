package io.labhooks.normalizer.adapter;

import io.labhooks.config.SourceConfig;
import io.labhooks.schemas.Headers;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One raw delivery as the normalizer sees it: the source's config, the ingress headers and the exact body.
 *
 * @param headers the record headers (e.g. {@code X-Coreone-Webhook-Type}), by exact name
 */
public record RawInput(SourceConfig source, String deliveryId, Instant receivedAt, Map<String, String> headers, byte[] body) {
    public RawInput {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers == null ? Map.of() : headers);
    }

    /** 9999-12-31T23:59:59.999Z. */
    private static final long MAX_RECEIVED_AT_MS = 253_402_300_799_999L;

    /**
     * The input of one {@code labhooks.raw.v1} record: the receipt time from {@code labhooks.received-at} (else the
     * record timestamp), the delivery id from {@code labhooks.delivery-id} (else the record key).
     */
    public static RawInput ofRecord(SourceConfig source, String key, long timestamp, Map<String, String> headers, byte[] body) {
        Instant receivedAt;
        try {
            String r = headers.get(Headers.RECEIVED_AT);
            long ms = r != null ? Long.parseLong(r) : timestamp;
            // Outside years 0000-9999 it is no RFC 3339 date-time (the event schema's); the record time is.
            receivedAt = Instant.ofEpochMilli(ms >= 0 && ms <= MAX_RECEIVED_AT_MS ? ms : timestamp);
        } catch (NumberFormatException e) {
            receivedAt = Instant.ofEpochMilli(timestamp);
        }
        return new RawInput(source, headers.getOrDefault(Headers.DELIVERY_ID, key), receivedAt, headers, body);
    }

    /** A header by case-insensitive name, or null. */
    public String header(String name) {
        String v = headers.get(name);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
