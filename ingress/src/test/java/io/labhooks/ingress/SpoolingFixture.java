package io.labhooks.ingress;

import io.labhooks.config.IngressConfig;
import io.labhooks.config.KafkaConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.SpoolConfig;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.ingress.spool.SpoolStore;
import io.labhooks.ingress.spool.SpoolingPublisher;
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
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The ingress as {@code labhooks ingress} wires it: spool store, producer, spooling publisher, HTTP server. */
final class SpoolingFixture implements AutoCloseable {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final SpoolStore store;
    final KafkaRawPublisher kafka;
    final SpoolingPublisher publisher;
    final IngressServer server;
    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    private boolean closed;

    SpoolingFixture(String bootstrap, List<SourceConfig> sources, IngressConfig cfg) throws Exception {
        store = SpoolStore.open(cfg.spool());
        try {
            long largest = sources.stream().mapToLong(SourceConfig::maxBodyBytes).max().orElse(1 << 20);
            kafka = new KafkaRawPublisher(new KafkaConfig(bootstrap, Map.of()), largest, cfg.ackTimeout(), registry);
            publisher = new SpoolingPublisher(cfg, store, kafka, registry);
            server = new IngressServer(cfg, sources, publisher, registry, () -> true).start();
        } catch (Exception | Error e) {
            store.close();
            throw e;
        }
        base = "http://127.0.0.1:" + server.port();
    }

    static IngressConfig config(IngressConfig.AckMode ack, Duration ackTimeout, Path spoolDir, long maxBytes, Duration shutdownTimeout) {
        return new IngressConfig("127.0.0.1", 0, ack, ackTimeout, new SpoolConfig(spoolDir, maxBytes), 256, Duration.ofSeconds(5),
                Duration.ofSeconds(30), shutdownTimeout, 2, Optional.empty());
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

    String metrics() {
        return registry.scrape();
    }

    /** The value of a series in the scrape, e.g. {@code labhooks_spool_records}, or -1 if absent. */
    double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** Acks recorded on one path for one source. */
    double acks(String source, String path) {
        return metric("labhooks_ingress_ack_seconds_count{path=\"" + path + "\",source=\"" + source + "\"}");
    }

    /** Reads {@code topic} from the start until {@code expected} records arrived or the timeout passes. */
    static List<ConsumerRecord<String, byte[]>> read(String bootstrap, String topic, int expected, Duration timeout) {
        Map<String, Object> p = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long end = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < end) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String deliveryId(HttpResponse<String> r) {
        return r.headers().firstValue("X-Labhooks-Delivery-Id").orElseThrow();
    }

    /** HTTP server, forwarder, producer, then the store: the order {@code labhooks ingress} closes them in. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } finally {
            try {
                publisher.close();
            } finally {
                try {
                    kafka.close();
                } finally {
                    store.close();
                    registry.close();
                }
            }
        }
    }
}
