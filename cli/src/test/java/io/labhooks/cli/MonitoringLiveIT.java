package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.EmbeddedKafka;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import io.labhooks.testkit.payloads.CoreOnePayloads;
import io.labhooks.testkit.payloads.FlabsPayloads;
import io.labhooks.testkit.payloads.LmlPayloads;
import io.labhooks.testkit.sim.Credentials;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring files against a live pipeline. The parts run from the built jar, each its own process with its own
 * {@code /metrics}; the broker runs in this JVM so that it can be stopped and started again. Traffic exercises every
 * outcome: accepted, duplicate and stale events, a normalizer DLQ record, a sink DLQ record, auth failures, a spool
 * episode (the broker down, the spool taking deliveries until it is full, then draining) and a sink outage (the
 * SQLite warehouse locked). Then:
 * <ul>
 *   <li>every metric and label that an alert rule or a dashboard panel uses is in the scrape of some part (removing a
 *       meter, or a label value the rules ask for, fails this test);</li>
 *   <li>a real Prometheus (Debian's {@code prometheus}) scrapes the three parts and loads the rules; every dashboard
 *       panel's query returns data, and so does every alert's signal (its expression without the threshold, and
 *       {@code absent(x)} read as {@code x}). The alerts this scenario must trip (DLQ records, a sender failing,
 *       503s from a full spool) return data as written, and the absence and target-down alerts return none.</li>
 * </ul>
 */
class MonitoringLiveIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DEPLOY = Path.of("..", "deploy");
    static final Pattern INGRESS_PORT = Pattern.compile("labhooks ingress ready on port (\\d+)");
    static final Pattern PART_PORT = Pattern.compile("/metrics and /health on port (\\d+)");
    static final Pattern PROMETHEUS_READY = Pattern.compile("(Server is ready to receive web requests)");
    /** Alerts this scenario makes true, evaluated as written. */
    static final List<String> TRIPPED = List.of("LabhooksNormalizerInvalidDeliveries", "LabhooksSinkDeadLetters",
            "LabhooksSenderFailing", "LabhooksIngressUnavailable");
    /** Alerts that must be quiet while every part runs. */
    static final List<String> QUIET = List.of("LabhooksIngressAbsent", "LabhooksNormalizerAbsent", "LabhooksSinkAbsent",
            "LabhooksTargetDown");

    @TempDir
    Path dir;

    final List<AutoCloseable> running = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    EmbeddedKafka kafka;
    int kafkaPort;

    @AfterEach
    void stopAll() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyMetricTheRulesAndTheDashboardUseIsLiveAndEveryQueryReturnsData() throws Exception {
        String prometheus = DeployFilesTest.executable("prometheus");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(prometheus).as("prometheus is required under CI=true (apt-get install prometheus)").isNotNull();
        }
        assumeThat(prometheus).as("prometheus not installed (apt-get install prometheus); skipping the live monitoring test").isNotNull();

        kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).start();
        kafkaPort = kafka.port();
        Path config = writeConfig();
        try (PartProcess topics = PartProcess.labhooks("topics", "topics", "--config", config.toString())) {
            assertThat(topics.process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(topics.process.exitValue()).as(topics.output()).isZero();
        }
        PartProcess ingress = start(PartProcess.labhooks("ingress", "ingress", "--config", config.toString()));
        PartProcess normalizer = start(PartProcess.labhooks("normalizer", "normalizer", "--config", config.toString(), "--metrics-port", "0"));
        PartProcess sink = start(PartProcess.labhooks("sink", "sink", "--config", config.toString(), "--metrics-port", "0"));
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("labhooks-ingress", Integer.parseInt(ingress.awaitLine(INGRESS_PORT, Duration.ofSeconds(90))));
        ports.put("labhooks-normalizer", Integer.parseInt(normalizer.awaitLine(PART_PORT, Duration.ofSeconds(90))));
        ports.put("labhooks-sink", Integer.parseInt(sink.awaitLine(PART_PORT, Duration.ofSeconds(90))));
        for (int port : ports.values()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> status("http://127.0.0.1:" + port + "/health/ready") == 200);
        }
        int promPort = startPrometheus(prometheus, ports);
        String hooks = "http://127.0.0.1:" + ports.get("labhooks-ingress") + "/hooks/";

        // accepted, duplicate and stale events from every vendor
        ObjectNode sample = ConfidentPayloads.panel("LIVE-1", Instant.parse("2024-05-01T10:00:00Z"), 3);
        assertThat(post(hooks + "confident/tok", JSON.writeValueAsBytes(sample), Map.of())).isEqualTo(200);
        assertThat(post(hooks + "confident/tok", JSON.writeValueAsBytes(sample), Map.of())).isEqualTo(200);
        assertThat(post(hooks + "confident/tok", JSON.writeValueAsBytes(ConfidentPayloads.revision(sample,
                Instant.parse("2024-04-01T10:00:00Z"))), Map.of())).isEqualTo(200);
        assertThat(post(hooks + "flabs", FlabsPayloads.bytes(FlabsPayloads.billCreated("lab_1", "bill_1", 1_714_557_600L, 1)),
                Map.of("Authorization", "Bearer ftok"))).isEqualTo(200);
        assertThat(post(hooks + "lml/ltok", LmlPayloads.bytes(LmlPayloads.orderShipped("ord-1")), Map.of())).isEqualTo(200);
        byte[] coreone = CoreOnePayloads.bytes(CoreOnePayloads.body("client/update", 7, Instant.parse("2024-05-01T10:00:00Z"), 7));
        assertThat(post(hooks + "coreone", coreone, Map.of(CoreOnePayloads.TYPE_HEADER, "client/update",
                "X-Coreone-Webhook-Hash", Credentials.hmacSha256Hex("csecret", coreone)))).isEqualTo(200);
        // a delivery the normalizer refuses
        assertThat(post(hooks + "confident/tok", "{\"not_a_sample\": true}".getBytes(StandardCharsets.UTF_8), Map.of())).isEqualTo(200);
        // a record the sink cannot decode, straight onto the canonical topic
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            p.send(new ProducerRecord<>(Topics.EVENTS, "confident:sample:GARBAGE".getBytes(StandardCharsets.UTF_8),
                    "{not an event".getBytes(StandardCharsets.UTF_8))).get();
        }
        // a sink outage: the warehouse locked for a while, deliveries keep coming
        try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("warehouse.db"));
             Statement st = lock.createStatement()) {
            st.execute("BEGIN EXCLUSIVE TRANSACTION");
            for (int i = 0; i < 3; i++) {
                assertThat(post(hooks + "confident/tok", JSON.writeValueAsBytes(ConfidentPayloads.panel("LIVE-OUTAGE-" + i,
                        Instant.parse("2024-05-02T10:00:00Z"), i)), Map.of())).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.output().contains("warehouse unavailable"));
            st.execute("ROLLBACK");
        }
        // a spool episode: the broker down; the spool takes deliveries until it is full (503), then drains
        kafka.close();
        byte[] big = JSON.writeValueAsBytes(ConfidentPayloads.panel("LIVE-SPOOL", Instant.parse("2024-05-03T10:00:00Z"), 9));
        int spooled = 0;
        boolean full = false;
        for (int i = 0; i < 400 && !full; i++) {
            int code = post(hooks + "confident/tok", JSON.writeValueAsBytes(ConfidentPayloads.revision(
                    (ObjectNode) JSON.readTree(big), Instant.parse("2024-05-03T10:00:00Z").plusSeconds(i))), Map.of());
            assertThat(code).as("only 200 while the spool has room, then 503").isIn(200, 503);
            full = code == 503;
            spooled += code == 200 ? 1 : 0;
        }
        assertThat(full).as("the 1 MiB spool fills up with %d deliveries", spooled).isTrue();
        for (int i = 0; i < 3; i++) {
            assertThat(post(hooks + "confident/tok", big, Map.of())).as("the spool is full").isEqualTo(503);
        }
        String duringOutage = scrape(ports.get("labhooks-ingress"));
        assertThat(MetricRefs.series(duringOutage)).containsKey("labhooks_spool_records");
        kafka = EmbeddedKafka.builder().port(kafkaPort).dataDir(dir.resolve("kafka")).start();
        await().atMost(Duration.ofSeconds(120)).until(() -> gauge(scrape(ports.get("labhooks-ingress")), "labhooks_spool_records") == 0);
        // auth failures last, so that the streak is still there when Prometheus is asked
        for (int i = 0; i < 6; i++) {
            assertThat(post(hooks + "lml/wrong-token", LmlPayloads.bytes(LmlPayloads.orderShipped("ord-2")), Map.of())).isEqualTo(401);
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> gauge(scrape(ports.get("labhooks-sink")), "labhooks_sink_dead_letters_total") >= 1);

        // 1. the scrape has every metric and label the rules and the dashboard use. Micrometer's Kafka binders pick up
        // a client's new metrics (e.g. the per-partition lag after the broker came back) within a minute.
        Map<String, String> alerts = alertExpressions();
        List<String> panels = panelExpressions();
        List<String> all = new ArrayList<>(alerts.values());
        all.addAll(panels);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(unexported(all, ports)).as("metrics and labels used by deploy/ but not exported by the live pipeline").isEmpty());

        // 2. Prometheus has it all: every panel query and every alert signal returns data
        String prom = "http://127.0.0.1:" + promPort;
        await().atMost(Duration.ofSeconds(60)).until(() -> query(prom, "up{job=~\"labhooks.*\"} == 1").size() == 3
                && !query(prom, "labhooks_sink_dead_letters_total").isEmpty() && !query(prom, "labhooks_spool_forwarded_total > 0").isEmpty());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(emptyQueries(prom, panels, alerts)).as("queries that returned no data from the live pipeline").isEmpty());
        for (String name : QUIET) {
            assertThat(query(prom, alerts.get(name))).as(name + " while every part runs").isEmpty();
        }
    }

    /** The panel queries, alert signals and tripped alerts for which Prometheus has no data. */
    List<String> emptyQueries(String prom, List<String> panels, Map<String, String> alerts) throws Exception {
        List<String> empty = new ArrayList<>();
        for (String panel : panels) {
            String q = panel.replace("$__rate_interval", "5m").replace("$source", ".*").replace("$vendor", ".*");
            if (query(prom, q).isEmpty()) {
                empty.add("panel: " + q);
            }
        }
        for (Map.Entry<String, String> a : alerts.entrySet()) {
            String signal = signal(a.getValue());
            if (query(prom, signal).isEmpty()) {
                empty.add(a.getKey() + " signal: " + signal);
            }
        }
        for (String name : TRIPPED) {
            if (query(prom, alerts.get(name)).isEmpty()) {
                empty.add(name + " as written: " + alerts.get(name));
            }
        }
        return empty;
    }

    /** What the expressions use that the scrape of every part does not have. */
    List<String> unexported(List<String> expressions, Map<String, Integer> ports) throws Exception {
        Map<String, List<Map<String, String>>> scrape = new LinkedHashMap<>();
        for (int port : ports.values()) {
            MetricRefs.series(scrape(port)).forEach((k, v) -> scrape.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        List<String> problems = new ArrayList<>();
        for (String expr : expressions) {
            List<MetricRefs.Selector> selectors = MetricRefs.selectors(expr);
            for (MetricRefs.Selector s : selectors) {
                MetricRefs.missing(s, scrape).forEach(p -> problems.add(p + "   in: " + expr.strip()));
            }
            for (String label : MetricRefs.groupingLabels(expr)) {
                boolean somewhere = MetricRefs.SCRAPE_LABELS.contains(label) || selectors.stream().anyMatch(s ->
                        scrape.getOrDefault(s.metric(), List.of()).stream().anyMatch(series -> series.containsKey(label)));
                if (!somewhere) {
                    problems.add("no metric of the expression has the label '" + label + "'   in: " + expr.strip());
                }
            }
        }
        return problems;
    }

    /**
     * What must have data for the alert to work: the expression with its thresholds removed, {@code absent(x)} read as
     * {@code x}, and subqueries at the scrape interval (a 1-minute resolution has too few points in a short test).
     */
    static String signal(String expr) {
        return expr.replaceAll("\\s*(>=|<=|==|!=|>|<)\\s*-?[0-9.]+(e[0-9]+)?", "")
                .replaceAll("absent\\(", "(")
                .replaceAll("\\[(\\d+m):1m]", "[$1:1s]");
    }

    Path writeConfig() throws java.io.IOException {
        Path config = dir.resolve("labhooks.yaml");
        Files.writeString(config, """
                kafka: {bootstrap-servers: "127.0.0.1:%d"}
                topics: {partitions: 2}
                ingress:
                  port: 0
                  ack-timeout: 1s
                  spool: {dir: "%s", max-bytes: 1MiB}
                sources:
                  - {id: confident, vendor: confident, auth: {type: path-token, tokens: ["tok"]}}
                  - {id: flabs, vendor: flabs, auth: {type: bearer, tokens: ["ftok"]}}
                  - {id: lml, vendor: lml, auth: {type: path-token, tokens: ["ltok"]}}
                  - {id: coreone, vendor: coreone, auth: {type: hmac-sha256, header: X-Coreone-Webhook-Hash, secrets: ["csecret"]}}
                normalizer: {state-dir: "%s"}
                sink: {jdbc-url: "jdbc:sqlite:%s", batch-size: 100}
                """.formatted(kafkaPort, dir.resolve("spool"), dir.resolve("streams"), dir.resolve("warehouse.db")));
        return config;
    }

    int startPrometheus(String binary, Map<String, Integer> ports) throws Exception {
        Path promDir = Files.createDirectories(dir.resolve("prometheus"));
        Files.copy(DEPLOY.resolve("prometheus/labhooks-rules.yaml"), promDir.resolve("labhooks-rules.yaml"));
        StringBuilder cfg = new StringBuilder("""
                global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s}
                rule_files: [labhooks-rules.yaml]
                scrape_configs:
                """);
        ports.forEach((job, port) -> cfg.append("  - job_name: ").append(job)
                .append("\n    static_configs: [{targets: [\"127.0.0.1:").append(port).append("\"]}]\n"));
        Files.writeString(promDir.resolve("prometheus.yml"), cfg.toString());
        int port = freePort();
        PartProcess p = start(PartProcess.program("prometheus", binary, "--config.file=" + promDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + promDir.resolve("data"), "--web.listen-address=127.0.0.1:" + port));
        p.awaitLine(PROMETHEUS_READY, Duration.ofSeconds(60));
        return port;
    }

    List<JsonNode> query(String prom, String q) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(prom + "/api/v1/query?query="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).as("Prometheus on %s: %s", q, r.body()).isEqualTo("success");
        List<JsonNode> out = new ArrayList<>();
        body.at("/data/result").forEach(out::add);
        return out;
    }

    static Map<String, String> alertExpressions() throws java.io.IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("prometheus/labhooks-rules.yaml").toFile());
        Map<String, String> out = new LinkedHashMap<>();
        rules.path("groups").forEach(g -> g.path("rules").forEach(r -> {
            if (r.hasNonNull("alert")) {
                out.put(r.get("alert").asText(), r.get("expr").asText());
            }
        }));
        return out;
    }

    static List<String> panelExpressions() throws java.io.IOException {
        List<String> out = new ArrayList<>();
        collect(JSON.readTree(DEPLOY.resolve("grafana/labhooks-dashboard.json").toFile()).path("panels"), out);
        return out;
    }

    private static void collect(JsonNode panels, List<String> out) {
        for (JsonNode p : panels) {
            p.path("targets").forEach(t -> {
                if (t.hasNonNull("expr")) {
                    out.add(t.get("expr").asText());
                }
            });
            collect(p.path("panels"), out);
        }
    }

    PartProcess start(PartProcess p) {
        running.add(p);
        return p;
    }

    int post(String url, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String scrape(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of a metric's samples in a scrape. */
    static double gauge(String exposition, String metric) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric + " ") || line.startsWith(metric + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(p);
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
