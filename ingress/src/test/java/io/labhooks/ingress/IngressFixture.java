package io.labhooks.ingress;

import io.labhooks.config.IngressConfig;
import io.labhooks.config.KafkaConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.SpoolConfig;
import io.labhooks.config.TlsConfig;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A running ingress on a real broker, with the helpers the ingress tests share. */
final class IngressFixture implements AutoCloseable {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final KafkaRawPublisher publisher;
    final IngressServer server;
    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    IngressFixture(String bootstrap, List<SourceConfig> sources, Duration ackTimeout, Duration readTimeout, int maxInFlight,
                   Optional<TlsConfig> tls) {
        IngressConfig cfg = ingressConfig(ackTimeout, readTimeout, maxInFlight, tls);
        long largest = sources.stream().mapToLong(SourceConfig::maxBodyBytes).max().orElse(1 << 20);
        publisher = new KafkaRawPublisher(new KafkaConfig(bootstrap, Map.of()), largest, ackTimeout, registry);
        server = new IngressServer(cfg, sources, publisher, registry, () -> true).start();
        base = "http://127.0.0.1:" + server.port();
    }

    static IngressConfig ingressConfig(Duration ackTimeout, Duration readTimeout, int maxInFlight, Optional<TlsConfig> tls) {
        return new IngressConfig("127.0.0.1", 0, IngressConfig.AckMode.KAFKA, ackTimeout,
                new SpoolConfig(Path.of("target", "spool"), 1L << 30), maxInFlight, readTimeout, Duration.ofSeconds(30),
                Duration.ofSeconds(10), 2, tls);
    }

    HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String metrics() throws Exception {
        return get("/metrics").body();
    }

    /** Reads the raw topic from the start until {@code expected} records arrived or the timeout passes. */
    static List<ConsumerRecord<String, byte[]>> readRaw(String bootstrap, int expected, Duration timeout) {
        Map<String, Object> p = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(Topics.RAW));
            long end = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < end) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // one more short poll catches records beyond the expected count (duplicates)
            c.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
        publisher.close();
        registry.close();
        // java.net.http.HttpClient has no close() before Java 21; its selector thread ends once the client is unreachable.
    }
}
