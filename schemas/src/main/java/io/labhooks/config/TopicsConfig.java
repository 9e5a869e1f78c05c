package io.labhooks.config;

/** Partitions and replication of the topics that {@code labhooks topics} creates. */
public record TopicsConfig(int partitions, short replicationFactor) {
    public TopicsConfig {
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replication-factor must be at least 1");
        }
    }
}
