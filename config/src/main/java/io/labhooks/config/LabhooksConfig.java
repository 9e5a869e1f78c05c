package io.labhooks.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The whole labhooks config, as read and validated by {@link ConfigLoader}. */
public record LabhooksConfig(KafkaConfig kafka, TopicsConfig topics, IngressConfig ingress, List<SourceConfig> sources,
                             NormalizerConfig normalizer, SinkConfig sink) {
    public LabhooksConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(ingress, "ingress");
        Objects.requireNonNull(normalizer, "normalizer");
        Objects.requireNonNull(sink, "sink");
        sources = List.copyOf(sources); // unique ids: ConfigKeys.UNIQUE_SOURCE_IDS
    }

    public Optional<SourceConfig> source(String id) {
        return sources.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** The largest body any source accepts; the raw topic's max.message.bytes must be above it. */
    public long largestBodyLimit() {
        return sources.stream().mapToLong(SourceConfig::maxBodyBytes).max().orElse(SourceConfig.DEFAULT_MAX_BODY_BYTES);
    }

    public LabhooksConfig withKafka(KafkaConfig k) {
        return new LabhooksConfig(k, topics, ingress, sources, normalizer, sink);
    }

    public LabhooksConfig withIngress(IngressConfig i) {
        return new LabhooksConfig(kafka, topics, i, sources, normalizer, sink);
    }

    public LabhooksConfig withNormalizer(NormalizerConfig n) {
        return new LabhooksConfig(kafka, topics, ingress, sources, n, sink);
    }

    public LabhooksConfig withSink(SinkConfig s) {
        return new LabhooksConfig(kafka, topics, ingress, sources, normalizer, s);
    }
}
