package io.labhooks.testkit;

/**
 * A Kafka cluster a test can talk to: an in-process {@link EmbeddedKafka}, a Testcontainers broker,
 * or an external broker that somebody else runs.
 *
 * <p>{@link #close()} releases whatever this handle started; for an external broker it does nothing.
 */
public interface KafkaCluster extends AutoCloseable {

    /** The {@code bootstrap.servers} value clients should use, e.g. {@code 127.0.0.1:39092}. */
    String bootstrapServers();

    /** Stops what this handle started (if anything). Idempotent; throws no checked exception. */
    @Override
    void close();
}
