package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.Secret;
import io.labhooks.ingress.auth.Hmac;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labhooks local} from the built jar, as a user runs it. */
class LocalJarIT {
    @TempDir
    Path dir;

    @Test
    void localAcceptsACoreOneSignedPostCountsItInMetricsAndExitsZeroOnSigterm() throws Exception {
        try (LocalProcess local = new LocalProcess("--data-dir", dir.resolve("data").toString(), "--port", "0", "--kafka-port", "0")) {
            int port = local.awaitStarted(Duration.ofSeconds(90));
            assertThat(local.out).anyMatch(l -> l.startsWith("curl ") && l.contains("/hooks/coreone"));

            // Sign like CoreOne does: hex HMAC-SHA256 of the exact body with the built-in development secret.
            byte[] body = "{\"id\":42,\"status\":\"received\",\"updated_at\":\"2024-03-01T10:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
            String sig = Hmac.sha256Hex(Secret.of("dev-coreone-secret"), body);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hooks/coreone"))
                    .header("Content-Type", "application/json").header("X-Coreone-Webhook-Type", "accession/receive")
                    .header("X-Coreone-Webhook-Hash", sig).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(local.output()).isEqualTo(200);
            assertThat(r.body()).startsWith("{\"status\":\"accepted\",\"delivery_id\":\"");

            URI metricsUrl = URI.create("http://localhost:" + port + "/metrics");
            String metrics = http.send(HttpRequest.newBuilder(metricsUrl).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("labhooks_ingress_requests_total{code=\"200\",source=\"coreone\",vendor=\"coreone\"} 1.0");
            assertThat(metrics).contains("jvm_memory_used_bytes");
            // one /metrics shows every part of the JVM: the normalizer made an event, the sink wrote rows
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String m = http.send(HttpRequest.newBuilder(metricsUrl).build(), HttpResponse.BodyHandlers.ofString()).body();
                return m.contains("labhooks_normalizer_events_total{outcome=\"accepted\",type=\"lab.coreone.accession.receive\",vendor=\"coreone\"} 1.0")
                        && m.contains("labhooks_sink_rows_total{outcome=\"inserted\",table=\"lab_entities\"} 1.0")
                        && m.contains("kafka_stream_");
            });

            assertThat(local.terminate(Duration.ofSeconds(60))).as(local.output()).isZero();
            assertThat(local.out).noneMatch(l -> l.contains("Exception"));
            assertThat(Files.exists(dir.resolve("data").resolve("kafka"))).isTrue();
        }
    }
}
