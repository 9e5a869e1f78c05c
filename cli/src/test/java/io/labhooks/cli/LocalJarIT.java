package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.Secret;
import io.labhooks.ingress.auth.Hmac;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labhooks local} from the built jar, as a user runs it. */
class LocalJarIT {
    private static final Pattern METRICS_URL = Pattern.compile("metrics\\s+http://localhost:(\\d+)/metrics");

    @TempDir
    Path dir;

    Process process;
    final List<String> out = new CopyOnWriteArrayList<>();

    @AfterEach
    void kill() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void localAcceptsACoreOneSignedPostCountsItInMetricsAndExitsZeroOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("labhooks.jar", "target/labhooks.jar"));
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-jar", jar.toString(), "local", "--data-dir", dir.resolve("data").toString(),
                "--port", "0", "--kafka-port", "0")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(out::add);
            } catch (java.io.IOException e) {
                out.add("reader stopped: " + e);
            }
        }, "local-output");
        reader.setDaemon(true);
        reader.start();

        await().atMost(Duration.ofSeconds(90)).until(() -> out.stream().anyMatch(l -> l.contains("Stop with Ctrl-C")));
        int port = out.stream().map(METRICS_URL::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                .findFirst().orElseThrow();
        assertThat(out).anyMatch(l -> l.startsWith("curl ") && l.contains("/hooks/coreone"));

        // Sign like CoreOne does: hex HMAC-SHA256 of the exact body with the built-in development secret.
        byte[] body = "{\"id\":42,\"status\":\"received\",\"updated_at\":\"2024-03-01T10:00:00Z\"}".getBytes(StandardCharsets.UTF_8);
        String sig = Hmac.sha256Hex(Secret.of("dev-coreone-secret"), body);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hooks/coreone"))
                .header("Content-Type", "application/json").header("X-Coreone-Webhook-Type", "accession/receive")
                .header("X-Coreone-Webhook-Hash", sig).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(String.join("\n", out)).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"status\":\"accepted\",\"delivery_id\":\"");

        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("labhooks_ingress_requests_total{code=\"200\",source=\"coreone\",vendor=\"coreone\"} 1.0");
        assertThat(metrics).contains("jvm_memory_used_bytes");
        // one /metrics shows every part of the JVM: the normalizer turned the delivery into an event
        await().atMost(Duration.ofSeconds(60)).until(() -> http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body()
                .contains("labhooks_normalizer_events_total{outcome=\"accepted\",type=\"lab.coreone.accession.receive\",vendor=\"coreone\"} 1.0"));
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("kafka_stream_");

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join("\n", out)).isZero();
        assertThat(out).noneMatch(l -> l.contains("Exception"));
        assertThat(Files.exists(dir.resolve("data").resolve("kafka"))).isTrue();
    }
}
