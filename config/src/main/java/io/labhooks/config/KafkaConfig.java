package io.labhooks.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How to reach Kafka. {@code properties} pass through to every client (security.protocol, sasl.*, ...);
 * values of keys that look like credentials are redacted in {@link #toString()}.
 */
public record KafkaConfig(String bootstrapServers, Map<String, String> properties) {
    public KafkaConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrap-servers");
        properties = Map.copyOf(properties == null ? Map.of() : properties);
    }

    public static boolean isSensitiveKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
                || k.contains("credential") || k.endsWith(".key") || k.contains("key.password");
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach((k, v) -> shown.put(k, isSensitiveKey(k) ? "****" : v));
        return "KafkaConfig[bootstrapServers=" + bootstrapServers + ", properties=" + shown + "]";
    }
}
