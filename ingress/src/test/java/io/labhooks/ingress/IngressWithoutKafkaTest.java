package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Without a spool (the bare Kafka publisher), when Kafka cannot take a record within ack-timeout the answer is 503, never a 200, and never a hang. The spooling publisher answers 200 instead: SpoolingIngressTest. */
class IngressWithoutKafkaTest {
    IngressFixture f;

    @BeforeEach
    void start() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // closed again: nothing listens there
        }
        f = new IngressFixture("127.0.0.1:" + deadPort, List.of(SourceConfig.of("open", Vendor.GENERIC, AuthConfig.none()),
                SourceConfig.of("flabs", Vendor.FLABS, AuthConfig.bearer("t0ken"))),
                Duration.ofMillis(700), Duration.ofSeconds(5), 1, Optional.empty());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void unreachableKafkaGives503WithinTheAckTimeoutAndNotReady() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = f.post("/hooks/open", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.headers().firstValue("X-Labhooks-Delivery-Id")).isEmpty();
        assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"error\":\"unavailable: try again\"}");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(f.get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(f.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(f.metrics()).contains("labhooks_ingress_requests_total{code=\"503\",source=\"open\",vendor=\"generic\"}");
    }

    @Test
    void requestsOverMaxInFlightAreAnswered503AtOnce() throws Exception {
        byte[] body = "{\"held\":true}".getBytes(StandardCharsets.UTF_8);
        try (Socket held = new Socket("127.0.0.1", f.server.port())) {
            OutputStream out = held.getOutputStream();
            out.write(("POST /hooks/open HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> f.metrics().contains("labhooks_ingress_in_flight 1.0"));
            long t0 = System.nanoTime();
            HttpResponse<String> r = f.post("/hooks/flabs", body, "Authorization", "Bearer t0ken");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("busy");
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        }
    }
}
