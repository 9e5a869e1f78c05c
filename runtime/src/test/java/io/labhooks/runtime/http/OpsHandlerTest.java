package io.labhooks.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one ops handler on a real Undertow: its three routes, 405 with Allow, the fallback, and Jackson-rendered bodies. */
class OpsHandlerTest {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final AtomicBoolean ready = new AtomicBoolean(true);
    final ExecutorService scrapes = Executors.newSingleThreadExecutor();
    final HttpClient http = HttpClient.newHttpClient();
    Undertow undertow;
    String base;

    @BeforeEach
    void start() {
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(new OpsHandler(registry, ready::get, scrapes, OpsHandler.notFound())).build();
        undertow.start();
        base = "http://127.0.0.1:" + ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() {
        undertow.stop();
        scrapes.shutdownNow();
        registry.close();
    }

    @Test
    void metricsAreTheRegistrysScrape() throws Exception {
        Counter.builder("labhooks.test.things").register(registry).increment();
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains(OpsHandler.METRICS_CONTENT_TYPE);
        assertThat(r.body()).contains("labhooks_test_things_total 1.0");
    }

    @Test
    void healthAnswersJsonAndReadinessFollowsTheSupplier() throws Exception {
        assertThat(json(get("/health/live"))).isEqualTo("{\"status\":\"up\"}");
        assertThat(json(get("/health/ready"))).isEqualTo("{\"status\":\"ready\"}");
        ready.set(false);
        HttpResponse<String> notReady = get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(json(notReady)).isEqualTo("{\"status\":\"not ready\"}");
    }

    @Test
    void anotherMethodIs405WithAllowAndAnotherPathGoesToTheFallback() throws Exception {
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
        assertThat(json(post)).isEqualTo("{\"status\":\"error\",\"error\":\"method not allowed: use GET\"}");
        HttpResponse<String> other = get("/nope");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(json(other)).isEqualTo("{\"status\":\"error\",\"error\":\"not found\"}");
    }

    @Test
    void bodiesAreEscapedByJackson() throws Exception {
        undertow.stop();
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(ex -> Responses.error(ex, 400, "a \"quoted\" \\ message")).build();
        undertow.start();
        base = "http://127.0.0.1:" + ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        HttpResponse<String> r = get("/x");
        assertThat(new ObjectMapper().readTree(r.body()).path("error").asText()).isEqualTo("a \"quoted\" \\ message");
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static String json(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).contains(Responses.JSON);
        return r.body();
    }
}
