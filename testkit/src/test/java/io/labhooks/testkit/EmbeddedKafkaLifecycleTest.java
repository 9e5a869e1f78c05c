package io.labhooks.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start/stop behaviour: data dirs, ports, threads. Each test runs its own broker(s). */
class EmbeddedKafkaLifecycleTest {

    @Test
    void restartOnTheSameDataDirKeepsTopicsAndRecords(@TempDir Path dataDir) throws Exception {
        String clusterId;
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(dataDir).start()) {
            clusterId = first.clusterId();
            first.createTopics(new NewTopic("kept", 1, (short) 1));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(first))) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
        }
        assertThat(dataDir.resolve("meta.properties")).as("a given data dir is kept").exists();

        try (EmbeddedKafka second = EmbeddedKafka.builder().dataDir(dataDir).start()) {
            assertThat(second.clusterId()).as("not re-formatted").isEqualTo(clusterId);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
            }
            assertThat(EmbeddedKafkaTest.consumeAll(second.bootstrapServers(), "kept", 3, "read_committed"))
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("v0", "v1", "v2");
        }

        assertThatThrownBy(() -> EmbeddedKafka.builder().dataDir(dataDir).clusterId("c29tZS1vdGhlci1jbHVzdGVy").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(clusterId)
                .hasMessageContaining(dataDir.toString());
    }

    @Test
    void closeDeletesTheTempDirFreesThePortAndLeavesNoThreadsBehind() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        EmbeddedKafka kafka = EmbeddedKafka.builder().start();
        Path dataDir = kafka.dataDir();
        int port = kafka.port();
        int controllerPort = kafka.controllerPort();
        assertThat(dataDir).isDirectory();
        assertThat(nonDaemonThreadsStartedSince(before)).as("the broker runs threads").isNotEmpty();

        kafka.close();
        kafka.close(); // idempotent

        assertThat(kafka.isClosed()).isTrue();
        assertThat(dataDir).doesNotExist();
        assertThat(canBind(port)).as("client port %s is free", port).isTrue();
        assertThat(canBind(controllerPort)).as("controller port %s is free", controllerPort).isTrue();
        // Only Yammer's JVM-wide metrics tick threads (daemons, shared by all brokers) may outlive a broker.
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(
                () -> assertThat(threadsStartedSince(before))
                        .allMatch(name -> name.startsWith("metrics-meter-tick-thread-"), "is a Yammer tick thread"));
        assertThatThrownBy(() -> kafka.createTopics(new NewTopic("late", 1, (short) 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aFixedPortIsHonoured() throws Exception {
        int port = freePort();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().port(port).start()) {
            assertThat(kafka.port()).isEqualTo(port);
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
                assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(kafka.clusterId());
            }
        }
    }

    @Test
    void aFixedPortInUseFailsWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedKafka.builder().port(port).start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void twoBrokersCanRunSideBySideInOneJvm() throws Exception {
        try (EmbeddedKafka one = EmbeddedKafka.builder().start();
             EmbeddedKafka two = EmbeddedKafka.builder().start()) {
            assertThat(one.port()).isNotEqualTo(two.port());
            assertThat(one.dataDir()).isNotEqualTo(two.dataDir());
            for (EmbeddedKafka kafka : List.of(one, two)) {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                    assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(kafka.clusterId());
                }
            }
        }
    }

    @Test
    void brokerPropertiesThatWireUpTheNodeCannotBeOverridden() {
        assertThatThrownBy(() -> EmbeddedKafka.builder().brokerProperty("listeners", "PLAINTEXT://0.0.0.0:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners");
        assertThatThrownBy(() -> EmbeddedKafka.builder().brokerProperties(Map.of("log.dirs", "/tmp/elsewhere")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafka.builder().port(70_000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extraBrokerPropertiesAreApplied() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().brokerProperty("num.partitions", "3").start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            kafka.createTopics(new NewTopic("defaults", java.util.Optional.empty(), java.util.Optional.empty()));
            assertThat(admin.describeTopics(List.of("defaults")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("defaults").partitions()).hasSize(3);
        }
    }

    private static Map<String, Object> producerConfig(EmbeddedKafka kafka) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    }

    private static Set<String> nonDaemonThreadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }

    private static Set<String> threadsStartedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }

    private static boolean canBind(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            return true;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        }
    }
}
