package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.labhooks.config.AuthConfig;
import io.labhooks.config.IngressConfig;
import io.labhooks.config.KafkaConfig;
import io.labhooks.config.Pointers;
import io.labhooks.config.RateLimit;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.SpoolConfig;
import io.labhooks.config.Vendor;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.ingress.spool.SpoolStore;
import io.labhooks.ingress.spool.SpoolingPublisher;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/openapi.yaml} against the running ingress (the spooling publisher on a real broker, as
 * {@code labhooks ingress} wires it): every status the document lists for a route is produced by a real request,
 * every status a battery of good and bad requests produces is in the document, and every documented header
 * ({@code X-Labhooks-Delivery-Id}, {@code Retry-After}, {@code Allow}) comes with its status.
 */
class OpenApiContractTest {
    static final Path OPENAPI = Path.of("..", "deploy", "openapi.yaml");
    static final String HOOK = "/hooks/{sourceId}";
    static final String TOKEN_HOOK = "/hooks/{sourceId}/{pathToken}";
    static final byte[] JSON_BODY = "{\"id\":\"1\",\"updated_at\":\"2024-05-01T10:00:00Z\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    static KafkaCluster kafka;
    static PrometheusMeterRegistry registry;
    static SpoolStore store;
    static KafkaRawPublisher producer;
    static SpoolingPublisher publisher;
    static IngressServer server;
    static final AtomicBoolean ready = new AtomicBoolean(true);
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final Map<String, Set<Integer>> produced = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaProvider.start();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngressConfig cfg = new IngressConfig("127.0.0.1", 0, IngressConfig.AckMode.KAFKA, Duration.ofSeconds(2),
                new SpoolConfig(dir.resolve("spool"), 1L << 30), 1, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(5), 2, Optional.empty());
        Optional<RateLimit> limit = Optional.of(new RateLimit(0.01, 1));
        List<SourceConfig> sources = List.of(
                new SourceConfig("bearer", Vendor.FLABS, ZoneId.of("UTC"), 1024, AuthConfig.bearer("tok"), Optional.empty(), Pointers.DEFAULTS),
                new SourceConfig("token", Vendor.CONFIDENT, ZoneId.of("UTC"), 1024, AuthConfig.pathToken("ptok"), Optional.empty(), Pointers.DEFAULTS),
                new SourceConfig("limited", Vendor.FLABS, ZoneId.of("UTC"), 1024, AuthConfig.bearer("tok"), limit, Pointers.DEFAULTS),
                new SourceConfig("limited-token", Vendor.LML, ZoneId.of("UTC"), 1024, AuthConfig.pathToken("ptok"), limit, Pointers.DEFAULTS));
        store = SpoolStore.open(cfg.spool());
        producer = new KafkaRawPublisher(new KafkaConfig(kafka.bootstrapServers(), Map.of()), 1024, cfg.ackTimeout(), registry);
        publisher = new SpoolingPublisher(cfg, store, producer, registry);
        server = new IngressServer(cfg, sources, publisher, registry, ready::get).start();
        runTheBattery();
    }

    @AfterAll
    static void stop() {
        server.close();
        publisher.close();
        producer.close();
        store.close();
        registry.close();
        kafka.close();
    }

    /** Good and bad requests on every documented route, each status recorded under its route. */
    static void runTheBattery() throws Exception {
        String bearer = "Bearer tok";
        // /hooks/{sourceId}
        HttpResponse<String> ok = post("/hooks/bearer", JSON_BODY, "application/json", bearer);
        record(HOOK, ok);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("X-Labhooks-Delivery-Id")).as("documented header of 200").isPresent();
        assertThat(JsonTree.of(ok.body()).path("delivery_id").asText()).isEqualTo(ok.headers().firstValue("X-Labhooks-Delivery-Id").orElseThrow());
        record(HOOK, post("/hooks/bearer", JSON_BODY, "application/json", "Bearer wrong"));
        record(HOOK, post("/hooks/nobody", JSON_BODY, "application/json", bearer));
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(uri("/hooks/bearer")).GET().build(), HttpResponse.BodyHandlers.ofString());
        record(HOOK, wrongMethod);
        assertThat(wrongMethod.headers().firstValue("Allow")).as("documented header of 405").contains("POST");
        record(HOOK, post("/hooks/bearer", new byte[2048], "application/json", bearer));
        record(HOOK, post("/hooks/bearer", JSON_BODY, "text/plain", bearer));
        record(HOOK, post("/hooks/bearer", "not json".getBytes(StandardCharsets.UTF_8), "application/json", bearer));
        record(HOOK, post("/hooks/limited", JSON_BODY, "application/json", bearer));
        HttpResponse<String> limited = post("/hooks/limited", JSON_BODY, "application/json", bearer);
        record(HOOK, limited);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).as("documented header of 429").isPresent();
        record(HOOK, raw("POST /hooks/bearer HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer
                + "\r\nContent-Type: application/json\r\nContent-Length: 12abc\r\n\r\n{}"));
        record(HOOK, raw("POST /hooks/bearer HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":"));
        record(HOOK, raw("POST /hooks/bearer HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer
                + "\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}"));
        record(HOOK, overloaded("/hooks/bearer", "Authorization: " + bearer + "\r\n"));

        // /hooks/{sourceId}/{pathToken}
        record(TOKEN_HOOK, post("/hooks/token/ptok", JSON_BODY, "application/json", null));
        record(TOKEN_HOOK, post("/hooks/token/wrong", JSON_BODY, "application/json", null));
        record(TOKEN_HOOK, post("/hooks/nobody/ptok", JSON_BODY, "application/json", null));
        record(TOKEN_HOOK, post("/hooks/bearer/ptok", JSON_BODY, "application/json", bearer));
        record(TOKEN_HOOK, http.send(HttpRequest.newBuilder(uri("/hooks/token/ptok")).DELETE().build(), HttpResponse.BodyHandlers.ofString()));
        record(TOKEN_HOOK, post("/hooks/token/ptok", new byte[2048], "application/json", null));
        record(TOKEN_HOOK, post("/hooks/token/ptok", JSON_BODY, "application/xml", null));
        record(TOKEN_HOOK, post("/hooks/limited-token/ptok", JSON_BODY, "application/json", null));
        record(TOKEN_HOOK, post("/hooks/limited-token/ptok", JSON_BODY, "application/json", null));
        record(TOKEN_HOOK, raw("POST /hooks/token/ptok HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 12abc\r\n\r\n{}"));
        record(TOKEN_HOOK, raw("POST /hooks/token/ptok HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"a\":"));
        record(TOKEN_HOOK, overloaded("/hooks/token/ptok", ""));

        // operations
        for (String path : List.of("/health/live", "/health/ready", "/metrics")) {
            record(path, http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString()));
            record(path, post(path, JSON_BODY, "application/json", null));
        }
        ready.set(false);
        record("/health/ready", http.send(HttpRequest.newBuilder(uri("/health/ready")).GET().build(), HttpResponse.BodyHandlers.ofString()));
        ready.set(true);
    }

    @Test
    void everyDocumentedStatusIsProduced() throws Exception {
        assertThat(produced).as("statuses the running server produced, by route").containsAllEntriesOf(documented());
    }

    @Test
    void everyProducedStatusIsDocumented() throws Exception {
        Map<String, Set<Integer>> documented = documented();
        produced.forEach((route, statuses) -> assertThat(documented.getOrDefault(route, Set.of()))
                .as("documented statuses of %s", route).containsAll(statuses));
        assertThat(documented.keySet()).as("documented routes").containsExactlyInAnyOrderElementsOf(produced.keySet());
    }

    @Test
    void documentedHeadersComeWithTheirStatuses() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(OPENAPI.toFile());
        assertThat(doc.at("/components/responses/Accepted/headers").has("X-Labhooks-Delivery-Id")).isTrue();
        assertThat(doc.at("/components/responses/RateLimited/headers").has("Retry-After")).isTrue();
        assertThat(doc.at("/components/responses/Unavailable/headers").has("Retry-After")).isTrue();
        assertThat(doc.at("/components/responses/MethodNotAllowed/headers").has("Allow")).isTrue();
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
    }

    /** Route template to the statuses of all its operations, from {@code deploy/openapi.yaml}. */
    static Map<String, Set<Integer>> documented() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(OPENAPI.toFile());
        Map<String, Set<Integer>> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            Set<Integer> statuses = new TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                op.getValue().path("responses").fieldNames().forEachRemaining(code -> statuses.add(Integer.parseInt(code)));
            }
            out.put(p.getKey(), statuses);
        }
        return out;
    }

    static void record(String route, HttpResponse<?> r) {
        record(route, r.statusCode());
    }

    static void record(String route, int status) {
        assertThat(status).as("an HTTP answer on %s, not a dropped connection", route).isPositive();
        produced.computeIfAbsent(route, k -> new TreeSet<>()).add(status);
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /**
     * Waits until no request is in flight: with {@code max-in-flight: 1}, the next request would otherwise race the
     * previous one's completion and get a 503.
     */
    static void settle() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                registry.find(io.labhooks.runtime.MetricNames.INGRESS_IN_FLIGHT).gauge().value() == 0);
    }

    static HttpResponse<String> post(String path, byte[] body, String contentType, String authorization) throws Exception {
        settle();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the bytes as they are on a new connection and returns the status of the answer. */
    static int raw(String request) throws Exception {
        return raw(true, request);
    }

    static int raw(boolean settleFirst, String request) throws Exception {
        if (settleFirst) {
            settle();
        }
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return status(s.getInputStream());
        }
    }

    /** One request holds the only in-flight slot (its body never finishes); a second one meanwhile gets the answer. */
    static int overloaded(String path, String headers) throws Exception {
        settle();
        try (Socket holder = new Socket("127.0.0.1", server.port())) {
            holder.setSoTimeout(10_000);
            OutputStream out = holder.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\n" + headers + "Content-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
                    registry.find(io.labhooks.runtime.MetricNames.INGRESS_IN_FLIGHT).gauge().value() >= 1);
            int second = raw(false, "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + headers
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            status(holder.getInputStream()); // the holder is cut off at read-timeout (408)
            return second;
        }
    }

    private static int status(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        String[] parts = line.toString().trim().split(" ");
        return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    }

    /** Jackson for one small JSON answer. */
    private static final class JsonTree {
        static JsonNode of(String s) throws java.io.IOException {
            return new ObjectMapper().readTree(s);
        }
    }
}
