package io.labhooks.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.labhooks.testkit.KafkaProvider.Choice;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** Which Kafka the provider picks, without touching the real environment. */
class KafkaProviderTest {

    @Test
    void bootstrapServersFromTheEnvironmentWinOverEverythingElse() {
        assertThat(KafkaProvider.choose(Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9092"),
                props("labhooks.kafka", "testcontainers"))).isEqualTo(Choice.EXTERNAL);
        assertThat(KafkaProvider.choose(Map.of("KAFKA_BOOTSTRAP_SERVERS", "broker:9092"), new Properties()))
                .isEqualTo(Choice.EXTERNAL);
    }

    @Test
    void blankBootstrapServersAreIgnored() {
        assertThat(KafkaProvider.choose(Map.of("KAFKA_BOOTSTRAP_SERVERS", "  "), new Properties()))
                .isEqualTo(Choice.EMBEDDED);
        assertThat(KafkaProvider.choose(Map.of("KAFKA_BOOTSTRAP_SERVERS", ""), props("labhooks.kafka", "testcontainers")))
                .isEqualTo(Choice.TESTCONTAINERS);
    }

    @Test
    void testcontainersIsOptIn() {
        assertThat(KafkaProvider.choose(Map.of(), props("labhooks.kafka", "testcontainers")))
                .isEqualTo(Choice.TESTCONTAINERS);
        assertThat(KafkaProvider.choose(Map.of(), props("labhooks.kafka", " TestContainers ")))
                .isEqualTo(Choice.TESTCONTAINERS);
    }

    @Test
    void embeddedIsTheDefault() {
        assertThat(KafkaProvider.choose(Map.of(), new Properties())).isEqualTo(Choice.EMBEDDED);
        assertThat(KafkaProvider.choose(Map.of(), props("labhooks.kafka", ""))).isEqualTo(Choice.EMBEDDED);
        assertThat(KafkaProvider.choose(Map.of(), props("labhooks.kafka", "embedded"))).isEqualTo(Choice.EMBEDDED);
    }

    @Test
    void anUnknownModeIsRejectedRatherThanIgnored() {
        assertThatThrownBy(() -> KafkaProvider.choose(Map.of(), props("labhooks.kafka", "testcontainer")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("testcontainer")
                .hasMessageContaining("labhooks.kafka");
    }

    @Test
    void anExternalBrokerIsNeitherStartedNorStopped() {
        KafkaCluster cluster = KafkaProvider.start(Map.of("KAFKA_BOOTSTRAP_SERVERS", " broker-1:9092,broker-2:9092 "),
                new Properties());
        assertThat(cluster.bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
        cluster.close();
        cluster.close();
    }

    @Test
    void theDefaultProviderStartsAWorkingEmbeddedBroker() throws Exception {
        try (KafkaCluster cluster = KafkaProvider.start(Map.of(), new Properties())) {
            assertThat(cluster).isInstanceOf(EmbeddedKafka.class);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
                assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                        .isEqualTo(((EmbeddedKafka) cluster).clusterId());
            }
        }
    }

    /**
     * Testcontainers is an optional dependency: choosing must work with only the testkit's own
     * classes visible (no Testcontainers, not even Kafka), so nothing references it eagerly.
     */
    @Test
    void choosingNeedsNeitherTestcontainersNorKafkaOnTheClasspath() throws Exception {
        URL testkitClasses = KafkaProvider.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {testkitClasses}, ClassLoader.getPlatformClassLoader())) {
            Class<?> provider = Class.forName(KafkaProvider.class.getName(), true, isolated);
            assertThat(provider.getClassLoader()).isSameAs(isolated);
            Method choose = provider.getMethod("choose", Map.class, Properties.class);
            assertThat(choose.invoke(null, Map.of(), new Properties())).hasToString("EMBEDDED");
            assertThat(choose.invoke(null, Map.of(), props("labhooks.kafka", "testcontainers"))).hasToString("TESTCONTAINERS");
            assertThatThrownBy(() -> isolated.loadClass("org.testcontainers.kafka.KafkaContainer"))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    private static Properties props(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }
}
