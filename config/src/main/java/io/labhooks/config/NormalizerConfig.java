package io.labhooks.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** The Kafka Streams normalizer. {@code properties} pass through to Streams (e.g. commit.interval.ms). */
public record NormalizerConfig(String applicationId, Path stateDir, Duration dedupeRetention, int standbyReplicas,
                               Map<String, String> properties) {
    public NormalizerConfig {
        Objects.requireNonNull(applicationId, "application-id");
        Objects.requireNonNull(stateDir, "state-dir");
        Objects.requireNonNull(dedupeRetention, "dedupe-retention");
        properties = Map.copyOf(properties == null ? Map.of() : properties);
    }

    @Override
    public String toString() {
        Map<String, String> shown = new java.util.TreeMap<>();
        properties.forEach((k, v) -> shown.put(k, KafkaConfig.isSensitiveKey(k) ? "****" : v));
        return "NormalizerConfig[applicationId=" + applicationId + ", stateDir=" + stateDir + ", dedupeRetention="
                + dedupeRetention + ", standbyReplicas=" + standbyReplicas + ", properties=" + shown + "]";
    }
}
