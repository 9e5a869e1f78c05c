package io.labhooks.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviour of one shared embedded broker: produce/consume, identity, transactions, limits. */
class EmbeddedKafkaTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String CLUSTER_ID = "bGFiaG9va3MtdGVzdGtpdA"; // a valid base64 Kafka Uuid

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder().clusterId(CLUSTER_ID).start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void bootstrapServersReachOurBroker() throws Exception {
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
        assertThat(kafka.port()).isPositive().isNotEqualTo(kafka.controllerPort());
        assertThat(kafka.clusterId()).isEqualTo(CLUSTER_ID);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            DescribeClusterResult cluster = admin.describeCluster();
            assertThat(cluster.clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(CLUSTER_ID);
            Collection<Node> nodes = cluster.nodes().get(30, TimeUnit.SECONDS);
            assertThat(nodes).singleElement().satisfies(node -> {
                assertThat(node.id()).isEqualTo(EmbeddedKafka.NODE_ID);
                assertThat(node.host()).isEqualTo("127.0.0.1");
                assertThat(node.port()).isEqualTo(kafka.port());
            });
        }
    }

    @Test
    void idempotentProducerRecordComesBackByteForByteWithHeaders() {
        String topic = newTopic();
        byte[] key = {0, 1, 2, (byte) 0xff};
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        List<Header> headers = List.of(
                new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("binary", new byte[] {(byte) 0xca, (byte) 0xfe, 0}),
                new RecordHeader("empty", new byte[0]));

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, null, key, value, headers))
                    .get(30, TimeUnit.SECONDS);
            assertThat(metadata.offset()).isZero();
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }

        List<ConsumerRecord<byte[], byte[]>> records = consumeAll(topic, 1, "read_uncommitted");
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.key()).containsExactly(key);
            assertThat(record.value()).containsExactly(value);
            assertThat(record.headers().toArray()).hasSize(3);
            for (Header expected : headers) {
                assertThat(record.headers().lastHeader(expected.key()).value()).containsExactly(expected.value());
            }
            assertThat(Arrays.stream(record.headers().toArray()).map(Header::key))
                    .containsExactly("content-type", "binary", "empty");
        });
    }

    @Test
    void readCommittedConsumerSeesCommittedButNotAbortedTransactions() {
        String topic = newTopic();
        Map<String, Object> txConfig = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(txConfig))) {
            producer.initTransactions();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, bytes("aborted")));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, bytes("committed")));
            producer.commitTransaction();
        }

        List<ConsumerRecord<byte[], byte[]>> records = consumeAll(topic, 1, "read_committed");
        assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("committed");
    }

    @Test
    void acceptsRecordsLargerThanTheDefaultOneMebibyteLimit() throws Exception {
        String topic = newTopic();
        byte[] value = new byte[3 * 1024 * 1024];
        Arrays.fill(value, (byte) 'x');
        Map<String, Object> large = Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(large))) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
        assertThat(consumeAll(topic, 1, "read_uncommitted"))
                .singleElement().satisfies(r -> assertThat(r.value()).isEqualTo(value));
    }

    @Test
    void clientsCanAlsoBootstrapThroughLocalhost() throws Exception {
        assumeThat(localhostAddresses()).as("localhost resolves to 127.0.0.1").contains("127.0.0.1");
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + kafka.port()))) {
            assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS)).isEqualTo(CLUSTER_ID);
        }
    }

    @Test
    void autoTopicCreationIsOffAndDuplicateTopicsAreRejected() throws Exception {
        String topic = newTopic();
        assertThatThrownBy(() -> kafka.createTopics(new NewTopic(topic, 1, (short) 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(topic);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(topic);
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(EmbeddedKafka.NODE_ID));
            Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);
            assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
            assertThat(config.get("message.max.bytes").value()).isEqualTo(String.valueOf(16 * 1024 * 1024));
        }
    }

    private static String newTopic() {
        String topic = "t-" + UUID.randomUUID();
        kafka.createTopics(new NewTopic(topic, 1, (short) 1));
        return topic;
    }

    private static Map<String, Object> producerConfig(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        config.putAll(extra);
        return config;
    }

    /** Polls {@code topic} from the beginning until {@code expected} records arrived (or times out). */
    static List<ConsumerRecord<byte[], byte[]>> consumeAll(String bootstrapServers, String topic, int expected,
                                                           String isolationLevel) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            // KafkaConsumer is single-threaded: poll it on the test thread.
            await().atMost(TIMEOUT).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                        return records.size() >= expected;
                    });
            // One more short poll: anything beyond `expected` (e.g. an aborted record) would show up here.
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expected, String isolationLevel) {
        return consumeAll(kafka.bootstrapServers(), topic, expected, isolationLevel);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> localhostAddresses() throws UnknownHostException {
        return Arrays.stream(InetAddress.getAllByName("localhost")).map(InetAddress::getHostAddress).toList();
    }
}
