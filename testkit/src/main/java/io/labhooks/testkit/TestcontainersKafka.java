package io.labhooks.testkit;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A single-node Kafka broker in a Docker container, via Testcontainers. Opt-in with
 * {@code -Dlabhooks.kafka=testcontainers}; needs a working Docker.
 *
 * <p>Testcontainers is an optional dependency of the testkit, so this is the only class that
 * references it; {@link KafkaProvider} loads it only when Testcontainers was asked for.
 */
final class TestcontainersKafka implements KafkaCluster {

    /** The broker image; keep it close to the Kafka version the project builds against. */
    static final String IMAGE = "apache/kafka:4.1.0";

    private final KafkaContainer container;

    private TestcontainersKafka(KafkaContainer container) {
        this.container = container;
    }

    /** Starts the container and returns once Testcontainers considers it ready. */
    static KafkaCluster start() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE));
        try {
            container.start();
        } catch (RuntimeException e) {
            try {
                container.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        return new TestcontainersKafka(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.close();
    }

    @Override
    public String toString() {
        return "TestcontainersKafka[" + IMAGE + ", " + bootstrapServers() + "]";
    }
}
