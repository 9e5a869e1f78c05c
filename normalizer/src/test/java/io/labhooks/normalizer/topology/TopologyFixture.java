package io.labhooks.normalizer.topology;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.normalizer.adapter.VendorAdapter;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The normalizer topology in a {@link TopologyTestDriver}, with helpers to send raw deliveries and read the outputs. */
final class TopologyFixture implements AutoCloseable {
    final LabhooksConfig config;
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> raw;
    final TestOutputTopic<String, byte[]> events;
    final TestOutputTopic<String, byte[]> entities;
    final TestOutputTopic<String, byte[]> dlq;
    final EventCodec codec = new EventCodec();
    final Path stateDir;

    TopologyFixture(String sourcesYaml, Function<SourceConfig, VendorAdapter> adapters, NormalizerMetrics metrics) throws Exception {
        this.stateDir = Files.createTempDirectory("labhooks-ttd");
        this.config = ConfigLoader.parse("sources:\n" + sourcesYaml + "\nnormalizer: {dedupe-retention: 1h}\n", "test", Map.of());
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "ttd");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        this.driver = new TopologyTestDriver(NormalizerTopology.buildTopology(config, adapters, metrics), p, Instant.parse("2024-06-01T00:00:00Z"));
        this.raw = driver.createInputTopic(Topics.RAW, new StringSerializer(), new ByteArraySerializer());
        this.events = driver.createOutputTopic(Topics.EVENTS, new StringDeserializer(), new ByteArrayDeserializer());
        this.entities = driver.createOutputTopic(Topics.ENTITIES, new StringDeserializer(), new ByteArrayDeserializer());
        this.dlq = driver.createOutputTopic(Topics.DLQ, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Sends one delivery as the ingress would write it; returns its delivery id. */
    String send(String source, String body, Map<String, String> extraHeaders) {
        String deliveryId = UUID.randomUUID().toString();
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, bytes(source));
        SourceConfig s = config.source(source).orElse(null);
        h.add(Headers.VENDOR, bytes(s == null ? "unknown" : s.vendor().id()));
        h.add(Headers.DELIVERY_ID, bytes(deliveryId));
        h.add(Headers.RECEIVED_AT, bytes("1717200000000"));
        h.add(Headers.CONTENT_TYPE, bytes("application/json"));
        extraHeaders.forEach((k, v) -> h.add(k, bytes(v)));
        raw.pipeInput(new TestRecord<>(deliveryId, bytes(body), h, Instant.parse("2024-06-01T00:00:00Z")));
        return deliveryId;
    }

    String send(String source, String body) {
        return send(source, body, Map.of());
    }

    /** Like {@link #send(String, String, Map)} with the exact body bytes (which need not be UTF-8). */
    String sendBytes(String source, byte[] body, Map<String, String> extraHeaders) {
        String deliveryId = UUID.randomUUID().toString();
        RecordHeaders h = new RecordHeaders();
        h.add(Headers.SOURCE, bytes(source));
        SourceConfig s = config.source(source).orElse(null);
        h.add(Headers.VENDOR, bytes(s == null ? "unknown" : s.vendor().id()));
        h.add(Headers.DELIVERY_ID, bytes(deliveryId));
        h.add(Headers.RECEIVED_AT, bytes("1717200000000"));
        h.add(Headers.CONTENT_TYPE, bytes("application/json"));
        extraHeaders.forEach((k, v) -> h.add(k, v == null ? null : bytes(v)));
        raw.pipeInput(new TestRecord<>(deliveryId, body, h, Instant.parse("2024-06-01T00:00:00Z")));
        return deliveryId;
    }

    List<CanonicalEvent> readEvents() {
        return events.readValuesToList().stream().map(codec::read).toList();
    }

    /** The entities topic as a compacted topic would end: the last value per key. */
    Map<String, CanonicalEvent> readEntities() {
        Map<String, byte[]> last = entities.readKeyValuesToMap();
        Map<String, CanonicalEvent> out = new java.util.TreeMap<>();
        last.forEach((k, v) -> out.put(k, codec.read(v)));
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        driver.close();
        if (Files.exists(stateDir)) {
            try (var files = Files.walk(stateDir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
