package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production commands from the built jar, one process per part: topics, then normalizer and sink; SIGTERM exits 0. */
class PartsJarIT {
    private static final Pattern PORT = Pattern.compile("/health on port (\\d+)");

    static KafkaCluster kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kafka = KafkaProvider.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    Process launch(List<String> out, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", System.getProperty("labhooks.jar", "target/labhooks.jar")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(out::add);
            } catch (java.io.IOException e) {
                out.add("reader stopped: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    @Test
    void normalizerAndSinkRunAsTheirOwnProcessesReportReadyAndStopOnSigterm() throws Exception {
        Path config = dir.resolve("labhooks.yaml");
        Files.writeString(config, """
                kafka: {bootstrap-servers: "%s"}
                topics: {partitions: 2}
                sources:
                  - {id: flabs, vendor: flabs, auth: {type: bearer, tokens: ["t"]}}
                normalizer: {state-dir: "%s"}
                sink: {jdbc-url: "jdbc:sqlite:%s"}
                """.formatted(kafka.bootstrapServers(), dir.resolve("streams"), dir.resolve("warehouse.db")));
        List<String> topicsOut = new CopyOnWriteArrayList<>();
        Process topics = launch(topicsOut, "topics", "--config", config.toString());
        assertThat(topics.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(topics.exitValue()).as(String.join("\n", topicsOut)).isZero();

        HttpClient http = HttpClient.newHttpClient();
        for (String part : List.of("normalizer", "sink")) {
            List<String> out = new CopyOnWriteArrayList<>();
            Process p = launch(out, part, "--config", config.toString(), "--metrics-port", "0");
            try {
                await().atMost(Duration.ofSeconds(90)).until(() -> out.stream().anyMatch(l -> PORT.matcher(l).find()) || !p.isAlive());
                assertThat(p.isAlive()).as(String.join("\n", out)).isTrue();
                int port = out.stream().map(PORT::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1))).findFirst().orElseThrow();
                URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
                await().atMost(Duration.ofSeconds(90)).until(() ->
                        http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("jvm_memory_used_bytes");
                p.destroy();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(part + ":\n" + String.join("\n", out)).isZero();
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }
}
