package io.labhooks.normalizer.adapter;

import io.labhooks.config.SourceConfig;
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
