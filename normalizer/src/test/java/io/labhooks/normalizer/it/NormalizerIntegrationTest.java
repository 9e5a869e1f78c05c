package io.labhooks.normalizer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.normalizer.adapter.AdapterResult;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.normalizer.adapter.RawInput;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import io.labhooks.testkit.payloads.CoreOnePayloads;
import io.labhooks.testkit.payloads.FlabsPayloads;
import io.labhooks.testkit.payloads.LmlPayloads;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 5,000 mixed deliveries (30% re-deliveries, shuffled) through the real broker; the normalizer is killed
 * with SIGKILL mid-run and restarted on the same state dir. A read_committed consumer must then find every
 * distinct event exactly once, and the entities topic must end at the highest version per entity.
 */
class NormalizerIntegrationTest {
    record Delivery(String source, Map<String, String> headers, byte[] body) {
    }

    @TempDir
    Path dir;

    KafkaCluster kafka;
    Process process;

    @BeforeEach
    void start() throws Exception {
        kafka = KafkaProvider.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.RAW, 3, (short) 1), new NewTopic(Topics.EVENTS, 3, (short) 1),
                    new NewTopic(Topics.ENTITIES, 3, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(Topics.DLQ, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        kafka.close();
    }

    static final String SOURCES = """
            sources:
              - {id: confident, vendor: confident, auth: {type: none}}
              - {id: flabs, vendor: flabs, auth: {type: none}}
              - {id: lml, vendor: lml, auth: {type: none}}
              - {id: coreone, vendor: coreone, auth: {type: none}}
            """;

    /** About 3,500 distinct deliveries over the four vendors, then 30% of the total as re-deliveries, shuffled. */
    static List<Delivery> deliveries(int total, long seed) {
        Random r = new Random(seed);
        List<Delivery> distinct = new ArrayList<>();
        int target = (int) Math.round(total * 0.7);
        int n = 0;
        while (distinct.size() < target) {
            n++;
            long t = 1_705_747_800L + n * 100L;
            switch (n % 4) {
                case 0 -> {
                    ConfidentPayloads.panel("S-" + n, Instant.ofEpochSecond(t), n);
                    var base = ConfidentPayloads.minimal("S-" + n, Instant.ofEpochSecond(t));
                    for (int rev = 0; rev < 3; rev++) {
                        distinct.add(new Delivery("confident", Map.of(),
                                FlabsPayloads.bytes(ConfidentPayloads.revision(base, Instant.ofEpochSecond(t + rev * 3600L)))));
                    }
                }
                case 1 -> {
                    String bill = "bill_" + n;
                    distinct.add(new Delivery("flabs", Map.of(), FlabsPayloads.bytes(FlabsPayloads.billCreated("lab_1", bill, t, n))));
                    distinct.add(new Delivery("flabs", Map.of(), FlabsPayloads.bytes(FlabsPayloads.reportCompleted("lab_1", bill, t + 5, 0, n))));
                    distinct.add(new Delivery("flabs", Map.of(), FlabsPayloads.bytes(FlabsPayloads.reportCompleted("lab_1", bill, t + 9, 1, n + 7))));
                    distinct.add(new Delivery("flabs", Map.of(), FlabsPayloads.bytes(FlabsPayloads.billCompleted("lab_1", bill, t + 20, n))));
                    if (n % 5 == 1) {
                        distinct.add(new Delivery("flabs", Map.of(), FlabsPayloads.bytes(FlabsPayloads.billDeleted("lab_1", bill, t + 30, n))));
                    }
                }
                case 2 -> {
                    String reg = "reg-" + n;
                    for (String e : List.of("test_registration.complete", "test_registration.sample_received", "lab_results.complete")) {
                        distinct.add(new Delivery("lml", Map.of(), LmlPayloads.bytes(LmlPayloads.event(e, reg, n))));
                    }
                    if (n % 3 == 0) {
                        distinct.add(new Delivery("lml", Map.of(), LmlPayloads.bytes(LmlPayloads.retest(reg, "reg-retest-" + n))));
                    }
                    distinct.add(new Delivery("lml", Map.of(), LmlPayloads.bytes(LmlPayloads.orderShipped("ord-" + n))));
                    distinct.add(new Delivery("lml", Map.of(), LmlPayloads.bytes(LmlPayloads.orderDelivered("ord-" + n))));
                }
                default -> {
                    String type = CoreOnePayloads.WEBHOOK_TYPES.get(r.nextInt(CoreOnePayloads.WEBHOOK_TYPES.size()));
                    for (int u = 0; u < 3; u++) {
                        distinct.add(new Delivery("coreone", Map.of(Headers.COREONE_WEBHOOK_TYPE, type),
                                CoreOnePayloads.bytes(CoreOnePayloads.body(type, n, Instant.ofEpochSecond(t + u * 60L), n))));
                    }
                }
            }
        }
        List<Delivery> all = new ArrayList<>(distinct);
        while (all.size() < total) {
            all.add(distinct.get(r.nextInt(distinct.size())));
        }
        Collections.shuffle(all, r);
        return all;
    }

    /** What the pipeline must produce: the events of every distinct delivery, by id. */
    static Map<String, CanonicalEvent> expectedEvents(LabhooksConfig cfg, List<Delivery> deliveries) {
        Adapters adapters = new Adapters();
        Map<String, CanonicalEvent> out = new HashMap<>();
        for (Delivery d : deliveries) {
            SourceConfig s = cfg.source(d.source()).orElseThrow();
            AdapterResult r = adapters.forSource(s).adapt(new RawInput(s, "x", Instant.EPOCH, d.headers(), d.body()));
            assertThat(r).isInstanceOf(AdapterResult.Accepted.class);
            ((AdapterResult.Accepted) r).events().forEach(e -> out.putIfAbsent(e.id(), e));
        }
        return out;
    }

    void produce(List<Delivery> deliveries) throws Exception {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (Delivery d : deliveries) {
                String id = UUID.randomUUID().toString();
                ProducerRecord<String, byte[]> rec = new ProducerRecord<>(Topics.RAW, id, d.body());
                rec.headers().add(new RecordHeader(Headers.SOURCE, d.source().getBytes(StandardCharsets.UTF_8)));
                rec.headers().add(new RecordHeader(Headers.DELIVERY_ID, id.getBytes(StandardCharsets.UTF_8)));
                rec.headers().add(new RecordHeader(Headers.RECEIVED_AT, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8)));
                d.headers().forEach((k, v) -> rec.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
                producer.send(rec);
            }
            producer.flush();
        }
    }

    Process startNormalizer(Path config) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                NormalizerProcess.class.getName(), config.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("normalizer.log").toFile()));
        return pb.start();
    }

    static KafkaConsumer<String, byte[]> consumer(String bootstrap, String topic) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        c.subscribe(List.of(topic));
        return c;
    }

    @Test
    void fiveThousandMixedDeliveriesWithAKillAndRestartGiveEveryDistinctEventExactlyOnce() throws Exception {
        Path config = dir.resolve("labhooks.yaml");
        Files.writeString(config, SOURCES + """
                kafka: {bootstrap-servers: "%s"}
                topics: {partitions: 3}
                normalizer:
                  application-id: it-normalizer
                  state-dir: "%s"
                  properties: {session.timeout.ms: "6000", commit.interval.ms: "200"}
                """.formatted(kafka.bootstrapServers(), dir.resolve("state").toString().replace(File.separatorChar, '/')));
        LabhooksConfig cfg = ConfigLoader.load(config, Map.of());
        List<Delivery> deliveries = deliveries(5000, 42);
        Map<String, CanonicalEvent> expected = expectedEvents(cfg, deliveries);
        EventCodec codec = new EventCodec();

        produce(deliveries.subList(0, 2500));
        process = startNormalizer(config);
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> events = consumer(kafka.bootstrapServers(), Topics.EVENTS)) {
            // kill it once it is visibly mid-run
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                events.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() > 300;
            });
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            produce(deliveries.subList(2500, deliveries.size()));
            process = startNormalizer(config);

            await().atMost(Duration.ofSeconds(180)).until(() -> {
                events.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.size() >= expected.size();
            });
            // a quiet period in which any duplicate would show up
            long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < end) {
                events.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        List<String> ids = seen.stream().map(r -> codec.read(r.value()).id()).toList();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids); // exactly once: no id twice
        Set<String> missing = new HashSet<>(expected.keySet());
        missing.removeAll(ids);
        assertThat(missing).as("expected events not emitted: %s", missing.stream().limit(5).map(expected::get).toList()).isEmpty();
        assertThat(new HashSet<>(ids)).isEqualTo(expected.keySet());

        // Entities whose bodies carry no version are ordered by receipt time, which this test does not predict:
        // for them only presence is checked; for all others the final state is the highest version.
        Map<String, Long> highest = new HashMap<>();
        Set<String> receiptOrdered = new HashSet<>();
        expected.values().forEach(e -> {
            if ("receipt_time".equals(e.data().path("version_pointer").asText())) {
                receiptOrdered.add(e.entityKey());
            } else {
                highest.merge(e.entityKey(), e.version(), Math::max);
            }
        });
        highest.keySet().removeAll(receiptOrdered);
        Map<String, Long> finalState = new HashMap<>();
        try (KafkaConsumer<String, byte[]> entities = consumer(kafka.bootstrapServers(), Topics.ENTITIES)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                entities.poll(Duration.ofMillis(300)).forEach(r -> finalState.put(r.key(), codec.read(r.value()).version()));
                Map<String, Long> versioned = new HashMap<>(finalState);
                versioned.keySet().removeAll(receiptOrdered);
                return versioned.equals(highest) && finalState.keySet().containsAll(receiptOrdered);
            });
        }
        Set<String> dlqFree = new HashSet<>();
        try (KafkaConsumer<String, byte[]> dlq = consumer(kafka.bootstrapServers(), Topics.DLQ)) {
            dlq.poll(Duration.ofSeconds(2)).forEach(r -> dlqFree.add(r.key()));
        }
        assertThat(dlqFree).isEmpty();
    }
}
