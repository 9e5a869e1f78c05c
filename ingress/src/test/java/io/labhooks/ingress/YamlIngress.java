package io.labhooks.ingress;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.ingress.publish.RawPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A running ingress built from a YAML config, as an operator would write it (so that new config keys take their
 * defaults), on a real broker. {@code wrap} may decorate the Kafka publisher (e.g. to inject a failure).
 */
final class YamlIngress implements AutoCloseable {
    final LabhooksConfig config;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final KafkaRawPublisher publisher;
    final IngressServer server;
    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    YamlIngress(String bootstrap, String yaml, UnaryOperator<RawPublisher> wrap) {
        this.config = ConfigLoader.parse("kafka: {bootstrap-servers: \"" + bootstrap + "\"}\n" + yaml, "test", Map.of());
        this.publisher = new KafkaRawPublisher(config.kafka(), config.largestBodyLimit(), config.ingress().ackTimeout(), registry);
        IngressServer s;
        try {
            s = new IngressServer(config.ingress(), config.sources(), wrap.apply(publisher), registry, () -> true).start();
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
        this.server = s;
        this.base = "http://127.0.0.1:" + server.port();
    }

    YamlIngress(String bootstrap, String yaml) {
        this(bootstrap, yaml, UnaryOperator.identity());
    }

    HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(9))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(9)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            publisher.close();
            registry.close();
        }
    }
}
