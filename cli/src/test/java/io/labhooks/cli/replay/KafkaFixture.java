package io.labhooks.cli.replay;

import static org.awaitility.Awaitility.await;

import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Topics, records and reads on a real broker, for the replay tests. */
final class KafkaFixture {
    static final int PARTITIONS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private KafkaFixture() {
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(Topics.RAW, PARTITIONS, (short) 1),
                    new NewTopic(Topics.EVENTS, PARTITIONS, (short) 1),
                    new NewTopic(Topics.ENTITIES, PARTITIONS, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(Topics.DLQ, 1, (short) 1))).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A config file with the broker, the given {@code sources:} block and an optional normalizer section. */
    static Path config(Path file, String bootstrap, String sources, String normalizer) throws Exception {
        Files.writeString(file, """
                kafka: {bootstrap-servers: "%s"}
                topics: {partitions: %d}
                %s
                %s
                """.formatted(bootstrap, PARTITIONS, sources, normalizer));
        return file;
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** Sends each record and waits for its ack. */
    static void send(String bootstrap, List<ProducerRecord<byte[], byte[]>> records)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                p.send(r).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The headers the ingress writes on a raw delivery. */
    static RecordHeaders rawHeaders(String source, String vendor, String deliveryId, long receivedAt) {
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, utf8(source));
        h.add(Headers.VENDOR, utf8(vendor));
        h.add(Headers.RECEIVED_AT, utf8(Long.toString(receivedAt)));
        h.add(Headers.DELIVERY_ID, utf8(deliveryId));
        h.add(Headers.CONTENT_TYPE, utf8("application/json"));
        return h;
    }

    /** A raw delivery as the ingress writes it: keyed by a new delivery id, timestamped at its receipt. */
    static ProducerRecord<byte[], byte[]> raw(String source, String vendor, byte[] body, long receivedAt) {
        String id = UUID.randomUUID().toString();
        return new ProducerRecord<>(Topics.RAW, null, receivedAt, utf8(id), body, rawHeaders(source, vendor, id, receivedAt));
    }

    static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
            return c.endOffsets(partitions(c, topic));
        }
    }

    /** Every committed record of {@code topic}. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        return readFrom(bootstrap, topic, Map.of());
    }

    /** The committed records of {@code topic} from the given offsets (0 where absent) up to its end offsets now. */
    static List<ConsumerRecord<byte[], byte[]>> readFrom(String bootstrap, String topic, Map<TopicPartition, Long> from) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
            List<TopicPartition> tps = partitions(c, topic);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            c.assign(tps);
            tps.forEach(tp -> c.seek(tp, from.getOrDefault(tp, 0L)));
            await().atMost(TIMEOUT).until(() -> {
                c.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(r);
                    }
                });
                return tps.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
            });
        }
        return out;
    }

    /** The committed offsets of consumer group {@code group} on {@code topic} equal its end offsets. */
    static boolean caughtUp(String bootstrap, String group, String topic) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(bootstrap, topic);
        try (Admin admin = admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return end.entrySet().stream().allMatch(e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return (c == null ? 0L : c.offset()) >= e.getValue();
            });
        }
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(p);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c, String topic) {
        return c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Headers as {@code key=value} texts, in order. Values are decoded as ISO-8859-1, one char per byte, so equal
     * lists mean byte-for-byte equal headers.
     */
    static List<String> headerList(Iterable<Header> headers) {
        List<String> out = new ArrayList<>();
        headers.forEach(h -> out.add(h.key() + "=" + (h.value() == null ? "<null>" : new String(h.value(), StandardCharsets.ISO_8859_1))));
        return out;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
