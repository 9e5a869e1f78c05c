package io.labhooks.testkit;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Gives tests a Kafka cluster, choosing in this order:
 * <ol>
 *   <li>environment variable {@value #BOOTSTRAP_ENV} set and non-blank: that external broker
 *       (nothing is started, {@link KafkaCluster#close()} does nothing);</li>
 *   <li>system property {@code -D}{@value #MODE_PROPERTY}{@code =testcontainers}: a Testcontainers
 *       broker (image {@code apache/kafka:4.1.0}; needs Docker and the optional
 *       {@code org.testcontainers:kafka} dependency on the classpath);</li>
 *   <li>otherwise (property unset, blank or {@code embedded}): an {@link EmbeddedKafka} on a free port
 *       with a temporary data dir.</li>
 * </ol>
 * Any other value of {@value #MODE_PROPERTY} is rejected, so a typo does not silently fall back.
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaProvider.start()) {
 *     producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 */
public final class KafkaProvider {

    /** Environment variable naming an external broker's bootstrap servers. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";

    /** System property selecting the broker kind: {@code testcontainers} or {@code embedded}. */
    public static final String MODE_PROPERTY = "labhooks.kafka";

    /** Where the cluster comes from. */
    public enum Choice {
        /** An already running broker named by {@value KafkaProvider#BOOTSTRAP_ENV}. */
        EXTERNAL,
        /** A Docker container started through Testcontainers. */
        TESTCONTAINERS,
        /** An in-process {@link EmbeddedKafka}. */
        EMBEDDED
    }

    private KafkaProvider() {
    }

    /** Chooses and starts a cluster from the real environment and system properties. */
    public static KafkaCluster start() {
        return start(System.getenv(), System.getProperties());
    }

    /** Chooses (see {@link #choose(Map, Properties)}) and starts a cluster. */
    public static KafkaCluster start(Map<String, String> env, Properties systemProperties) {
        return switch (choose(env, systemProperties)) {
            case EXTERNAL -> new ExternalKafka(env.get(BOOTSTRAP_ENV).strip());
            case TESTCONTAINERS -> TestcontainersKafka.start();
            case EMBEDDED -> EmbeddedKafka.start();
        };
    }

    /**
     * The choice {@link #start(Map, Properties)} makes, without starting anything.
     *
     * @throws IllegalArgumentException if {@value #MODE_PROPERTY} has an unknown value
     */
    public static Choice choose(Map<String, String> env, Properties systemProperties) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(systemProperties, "systemProperties");
        String bootstrap = env.get(BOOTSTRAP_ENV);
        if (bootstrap != null && !bootstrap.isBlank()) {
            return Choice.EXTERNAL;
        }
        String mode = systemProperties.getProperty(MODE_PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        switch (mode) {
            case "testcontainers":
                return Choice.TESTCONTAINERS;
            case "":
            case "embedded":
                return Choice.EMBEDDED;
            default:
                throw new IllegalArgumentException("Unknown -D" + MODE_PROPERTY + "=" + mode
                        + "; use 'testcontainers' or 'embedded' (or set " + BOOTSTRAP_ENV + ")");
        }
    }

    /** A broker somebody else runs: nothing to start or stop. */
    private record ExternalKafka(String bootstrapServers) implements KafkaCluster {
        @Override
        public void close() {
            // Not ours to stop.
        }
    }
}
