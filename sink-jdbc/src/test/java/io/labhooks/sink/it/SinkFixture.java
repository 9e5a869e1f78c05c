package io.labhooks.sink.it;

import static org.awaitility.Awaitility.await;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A real Kafka broker with the pipeline's topics, and helpers to feed the sink and read the results. */
final class SinkFixture implements AutoCloseable {
    static final int PARTITIONS = 3;
    static final String TEST_HEADER = "x-test-origin";

    final KafkaCluster kafka;
    final Admin admin;
    final EventCodec codec = new EventCodec();

    SinkFixture() {
        this.kafka = KafkaProvider.start();
        Map<String, Object> a = new HashMap<>();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        this.admin = Admin.create(a);
    }

    /** Deletes and recreates the four topics, so each test starts from empty topics. */
    void recreateTopics() throws Exception {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<String> ours = Topics.ALL.stream().filter(existing::contains).toList();
        if (!ours.isEmpty()) {
            admin.deleteTopics(ours).all().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.listTopics().names().get().stream()
                .noneMatch(Topics.ALL::contains));
        for (String t : Topics.ALL) {
            int partitions = t.equals(Topics.EVENTS) || t.equals(Topics.ENTITIES) ? PARTITIONS : 1;
            await().atMost(Duration.ofSeconds(30)).until(() -> createTopic(t, partitions));
        }
    }

    private boolean createTopic(String name, int partitions) throws Exception {
        if (admin.listTopics().names().get().contains(name)) {
            return true;
        }
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        return false;
    }

    KafkaProducer<String, byte[]> producer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes the event as the normalizer would: to the events topic and, if {@code entity}, to the entities topic. */
    void send(KafkaProducer<String, byte[]> producer, CanonicalEvent e, boolean entity) throws Exception {
        byte[] value = codec.write(e);
        producer.send(record(Topics.EVENTS, e.entityKey(), value, e)).get(30, TimeUnit.SECONDS);
        if (entity) {
            producer.send(record(Topics.ENTITIES, e.entityKey(), value, e)).get(30, TimeUnit.SECONDS);
        }
    }

    void sendAll(KafkaProducer<String, byte[]> producer, List<CanonicalEvent> events) throws Exception {
        for (CanonicalEvent e : events) {
            byte[] value = codec.write(e);
            producer.send(record(Topics.EVENTS, e.entityKey(), value, e));
            producer.send(record(Topics.ENTITIES, e.entityKey(), value, e));
        }
        producer.flush();
    }

    static ProducerRecord<String, byte[]> record(String topic, String key, byte[] value, CanonicalEvent e) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, key, value);
        String source = e == null ? "test" : e.source().substring("labhooks/".length());
        r.headers().add(new RecordHeader(Headers.SOURCE, bytes(source)));
        r.headers().add(new RecordHeader(Headers.VENDOR, bytes(e == null ? "unknown" : e.vendor())));
        r.headers().add(new RecordHeader(TEST_HEADER, bytes("sink-test " + key)));
        return r;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A YAML config as the CLI would load it: this broker, this warehouse, this group. */
    LabhooksConfig config(String jdbcUrl, String username, String groupId, int batchSize,
                          Map<String, String> kafkaProperties) {
        String props = kafkaProperties.entrySet().stream()
                .map(en -> en.getKey() + ": \"" + en.getValue() + "\"").collect(Collectors.joining(", "));
        String yaml = "kafka: {bootstrap-servers: \"" + kafka.bootstrapServers() + "\", properties: {" + props + "}}\n"
                + "sources:\n  - {id: confident, vendor: confident, auth: {type: none}}\n"
                + "sink:\n  jdbc-url: \"" + jdbcUrl + "\"\n"
                + (username == null ? "" : "  username: " + username + "\n")
                + "  group-id: " + groupId + "\n  batch-size: " + batchSize + "\n  poll-timeout: 200ms\n";
        return ConfigLoader.parse(yaml, "test", Map.of());
    }

    /** Waits until the group has committed every record of the events and entities topics. */
    void awaitConsumed(String groupId, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> lag(groupId) == 0);
    }

    long lag(String groupId) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String t : List.of(Topics.EVENTS, Topics.ENTITIES)) {
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(t, p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        Map<TopicPartition, OffsetAndMetadata> committed = committed(groupId);
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    Map<TopicPartition, OffsetAndMetadata> committed(String groupId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, o) -> {
                    if (o != null) {
                        out.put(tp, o);
                    }
                });
        return out;
    }

    List<String> members(String groupId) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                .get(30, TimeUnit.SECONDS);
        return d.members().stream().map(MemberDescription::consumerId).sorted().toList();
    }

    /** Reads the DLQ from the beginning until it holds {@code n} records. */
    List<ConsumerRecord<byte[], byte[]>> readDlq(int n) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(Topics.DLQ, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= n;
            });
        }
        return out;
    }

    /** Every row of the three tables, in primary-key order, each column as text. */
    static Map<String, List<List<String>>> dump(Connection c) throws SQLException {
        Map<String, List<List<String>>> out = new HashMap<>();
        out.put("lab_events", rows(c, "SELECT * FROM lab_events ORDER BY event_id"));
        out.put("lab_entities", rows(c, "SELECT * FROM lab_entities ORDER BY entity_key"));
        out.put("lab_results", rows(c, "SELECT * FROM lab_results ORDER BY entity_key, category, analyte"));
        out.put("lab_result_categories", rows(c, "SELECT * FROM lab_result_categories ORDER BY entity_key, category"));
        return out;
    }

    static List<List<String>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<List<String>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<String> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    static long count(Connection c, String sql, Object... params) throws SQLException {
        return Long.parseLong(rows(c, sql, params).get(0).get(0));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
        kafka.close();
    }
}
