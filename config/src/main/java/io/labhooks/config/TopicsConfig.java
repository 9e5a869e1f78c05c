package io.labhooks.config;

/** Partitions and replication of the topics that {@code labhooks topics} creates. */
public record TopicsConfig(int partitions, short replicationFactor) {
}
