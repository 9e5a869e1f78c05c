package io.labhooks.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.labhooks.config.Vendor;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.KafkaNodeMain;
import io.labhooks.testkit.sim.ExpectedState;
import io.labhooks.testkit.sim.Report;
import io.labhooks.testkit.sim.Scenario;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The shared driver of the chaos scenarios: starts each part of the pipeline as its own OS process from the built
 * {@code labhooks.jar} (broker or cluster, ingress, normalizers, sinks), kills them with SIGKILL and restarts them,
 * runs the simulator load, then lets the pipeline settle and checks the warehouse:
 * acknowledged &sube; warehouse &sube; attempted (as multisets, so nothing twice), the version guard, and which
 * vendors got non-200s. {@link #close()} kills every child still running and deletes the temp dirs.
 */
final class Harness implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("labhooks.jar", "../cli/target/labhooks.jar")).toAbsolutePath();
    /** The dev kit's jar: the broker nodes run from it, since the production jar holds no broker. */
    static final Path DEV_JAR = Path.of(System.getProperty("labhooks.dev.jar", "../cli-dev/target/labhooks-dev.jar")).toAbsolutePath();
    static final Duration START = Duration.ofSeconds(180);
    static final Duration SETTLE = Duration.ofMinutes(5);
    static final String NORMALIZER_APP = "labhooks-normalizer";
    static final String SINK_GROUP = "labhooks-sink";
    private static final Pattern METRICS_PORT = Pattern.compile("/health on port (\\d+)");
    private static final Pattern INGRESS_READY = Pattern.compile("labhooks ingress ready on port (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    final String scenario;
    final Path dir;
    final Path logs;
    final int ingressPort;
    final List<Child> children = new CopyOnWriteArrayList<>();
    final Map<String, Child> parts = new LinkedHashMap<>();
    final Map<String, Integer> metricsPorts = new HashMap<>();
    final Set<String> down = new HashSet<>();
    final List<String> selfExits = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    String ack = "kafka";
    int partitions = 3;
    int replicationFactor = 1;
    String bootstrap;
    String jdbcUrl;
    String dbUser;
    PrivatePostgres postgres;
    final Map<String, Integer> brokerPorts = new LinkedHashMap<>();
    int controllerPort;
    String clusterId;

    Harness(String scenario) throws IOException {
        assertThat(JAR).as("build the jar first: mvn -B -q -DskipTests package").isRegularFile();
        this.scenario = scenario;
        this.dir = Files.createTempDirectory("labhooks-chaos-" + scenario + "-");
        this.logs = Path.of(System.getProperty("chaos.results", "target/chaos-results")).resolve(scenario);
        deleteRecursively(logs);
        Files.createDirectories(logs);
        this.ingressPort = Ports.free();
        this.jdbcUrl = "jdbc:sqlite:" + dir.resolve("warehouse.db");
    }

    // ------------------------------------------------------------------ processes

    private List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Child launch(String name, List<String> command) throws IOException {
        Child c = Child.start(name, command, logs.resolve(name + ".log"));
        children.add(c);
        parts.put(name, c);
        return c;
    }

    Child part(String name) {
        Child c = parts.get(name);
        assertThat(c).as("no part " + name).isNotNull();
        return c;
    }

    /** SIGKILL, and checks that it died of it. It stays down until {@link #restart}. */
    void kill(String name) throws InterruptedException {
        note("kill -9 " + name + " (pid " + part(name).pid() + ")");
        part(name).kill9();
        down.add(name);
    }

    /** Starts a part again under the same name, config, ports and data dirs. */
    void restart(String name) throws Exception {
        down.remove(name);
        if (name.startsWith("ingress")) {
            ingress(name);
        } else if (name.startsWith("normalizer")) {
            normalizer(name);
        } else if (name.startsWith("sink")) {
            sink(name);
        } else if (name.startsWith("broker")) {
            startBroker(name);
        } else {
            throw new IllegalArgumentException("cannot restart " + name);
        }
    }

    /**
     * What a supervisor (Kubernetes) does: a normalizer or sink that exited by itself (e.g. exit 1 after a stream
     * thread failed while the cluster was away) is started again. Every such restart is noted and counted.
     */
    void supervise() throws Exception {
        for (Child c : List.copyOf(parts.values())) {
            boolean supervised = c.name.startsWith("normalizer") || c.name.startsWith("sink") || c.name.startsWith("ingress");
            if (supervised && !c.alive() && !down.contains(c.name)) {
                note(c.name + " exited " + c.process.exitValue() + " by itself; supervisor restarts it");
                selfExits.add(c.name + " exit " + c.process.exitValue());
                restart(c.name);
            }
        }
    }

    // ------------------------------------------------------------------ Kafka

    /** One combined broker + controller on a fixed port and data dir, so it can be restarted on the same ones. */
    void singleBroker() throws IOException {
        brokerPorts.put("broker", Ports.free());
        bootstrap = "127.0.0.1:" + brokerPorts.get("broker");
        startBroker("broker");
    }

    void startBroker(String name) throws IOException {
        Child c;
        if (clusterId == null) {
            c = launch(name, java("-cp", DEV_JAR.toString(), KafkaNodeMain.class.getName(), "--port",
                    String.valueOf(brokerPorts.get(name)), "--data-dir", dir.resolve(name).toString()));
        } else {
            int nodeId = List.copyOf(brokerPorts.keySet()).indexOf(name) + 2;
            c = launch(name, java("-cp", DEV_JAR.toString(), KafkaNodeMain.class.getName(), "--role", "broker",
                    "--node-id", String.valueOf(nodeId), "--port", String.valueOf(brokerPorts.get(name)),
                    "--controller-port", String.valueOf(controllerPort), "--cluster-id", clusterId,
                    "--data-dir", dir.resolve(name).toString(), "--prop", "offsets.topic.replication.factor=3",
                    "--prop", "offsets.topic.num.partitions=3", "--prop", "transaction.state.log.replication.factor=3",
                    "--prop", "transaction.state.log.min.isr=2", "--prop", "transaction.state.log.num.partitions=3",
                    "--prop", "default.replication.factor=3", "--prop", "min.insync.replicas=2"));
        }
        c.awaitLine(Pattern.compile(KafkaNodeMain.READY), START);
        note("started " + name + " (pid " + c.pid() + ")");
    }

    /** One dedicated controller and three brokers, each its own JVM; replication factor 3, min.insync.replicas 2. */
    void cluster() throws Exception {
        clusterId = Uuid.randomUuid().toString();
        controllerPort = Ports.free();
        for (String b : List.of("broker-1", "broker-2", "broker-3")) {
            brokerPorts.put(b, Ports.free());
        }
        replicationFactor = 3;
        bootstrap = brokerPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        Child controller = launch("controller", java("-cp", DEV_JAR.toString(), KafkaNodeMain.class.getName(), "--role",
                "controller", "--node-id", String.valueOf(KafkaNodeMain.CONTROLLER_ID), "--port",
                String.valueOf(controllerPort), "--controller-port", String.valueOf(controllerPort), "--cluster-id",
                clusterId, "--data-dir", dir.resolve("controller").toString()));
        controller.awaitLine(Pattern.compile(KafkaNodeMain.READY), START);
        for (String b : brokerPorts.keySet()) {
            startBroker(b);
        }
        try (Admin admin = admin()) {
            await("3 brokers registered").atMost(START).until(() ->
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() == 3);
        }
    }

    Admin admin() {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(p);
    }

    // ------------------------------------------------------------------ database

    void usePrivatePostgres() throws Exception {
        postgres = PrivatePostgres.start();
        jdbcUrl = postgres.jdbcUrl();
        dbUser = "postgres";
        note("private PostgreSQL on port " + postgres.port + " in " + postgres.dir);
    }

    Connection warehouse() throws SQLException {
        return dbUser == null ? DriverManager.getConnection(jdbcUrl) : DriverManager.getConnection(jdbcUrl, dbUser, null);
    }

    // ------------------------------------------------------------------ pipeline parts

    /** The YAML config of one part (each has its own state dir and spool dir). */
    Path config(String part) throws IOException {
        Path f = dir.resolve(part + ".yaml");
        Files.writeString(f, """
                kafka: {bootstrap-servers: "%s"}
                topics: {partitions: %d, replication-factor: %d}
                ingress:
                  host: 127.0.0.1
                  port: %d
                  ack: %s
                  ack-timeout: 2s
                  spool: {dir: "%s", max-bytes: 512MiB}
                sources:
                  - {id: confident, vendor: confident, auth: {type: path-token, tokens: ["%s"]}}
                  - {id: flabs, vendor: flabs, auth: {type: bearer, tokens: ["%s"]}}
                  - {id: lml, vendor: lml, auth: {type: path-token, tokens: ["%s"]}}
                  - {id: coreone, vendor: coreone, auth: {type: hmac-sha256, header: X-Coreone-Webhook-Hash, encoding: hex, secrets: ["%s"]}}
                normalizer: {application-id: %s, state-dir: "%s"}
                sink: {jdbc-url: "%s", %sgroup-id: %s, batch-size: 500}
                """.formatted(bootstrap, partitions, replicationFactor, ingressPort, ack, dir.resolve(part + "-spool"),
                Load.SECRETS.get(Vendor.CONFIDENT), Load.SECRETS.get(Vendor.FLABS), Load.SECRETS.get(Vendor.LML),
                Load.SECRETS.get(Vendor.COREONE), NORMALIZER_APP, dir.resolve(part + "-streams"), jdbcUrl,
                dbUser == null ? "" : "username: " + dbUser + ", ", SINK_GROUP));
        return f;
    }

    /** {@code labhooks topics --config F}; must exit 0. */
    void topics() throws Exception {
        Child c = launch("topics", java("-jar", JAR.toString(), "topics", "--config", config("topics").toString()));
        assertThat(c.process.waitFor(START.toSeconds(), TimeUnit.SECONDS)).as(c.tail()).isTrue();
        assertThat(c.process.exitValue()).as(c.tail()).isZero();
    }

    Child ingress(String name) throws Exception {
        Child c = launch(name, java("-jar", JAR.toString(), "ingress", "--config", config(name).toString()));
        c.awaitLine(INGRESS_READY, START);
        note("started " + name + " (pid " + c.pid() + ") on port " + ingressPort);
        return c;
    }

    Child normalizer(String name) throws Exception {
        return background(name, "normalizer");
    }

    Child sink(String name) throws Exception {
        return background(name, "sink");
    }

    private Child background(String name, String command) throws Exception {
        Child c = launch(name, java("-jar", JAR.toString(), command, "--config", config(name).toString(), "--metrics-port", "0"));
        int port = Integer.parseInt(c.awaitLine(METRICS_PORT, START));
        metricsPorts.put(name, port);
        URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
        await(name + " ready").atMost(START).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(c.alive()).as(c.tail()).isTrue();
            return status(ready) == 200;
        });
        note("started " + name + " (pid " + c.pid() + ")");
        return c;
    }

    private int status(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening (yet): the caller keeps polling
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A gauge from the ingress's /metrics, or null if the ingress does not export it. */
    Double ingressMetric(String name) throws Exception {
        String body = ingressMetrics();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    // ------------------------------------------------------------------ load and time

    Load load(List<Load.Spec> specs) throws Exception {
        note("load started: " + specs);
        Load load = Load.start(specs, ingressPort, "ch-" + scenario.replaceAll("[^a-z0-9]", "").substring(0, Math.min(6,
                scenario.replaceAll("[^a-z0-9]", "").length())) + "-");
        // A source whose auth does not match its simulator's credentials would only show as a load that never ends
        // (the vendor retries its 401s and 404s for minutes): fail at once, with what the ingress answered.
        try {
            awaitFirstAccepted(specs);
        } catch (RuntimeException | Error e) {
            load.close();
            throw e;
        }
        return load;
    }

    private void awaitFirstAccepted(List<Load.Spec> specs) {
        await("every vendor's first delivery accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    String metrics = ingressMetrics();
                    for (Load.Spec spec : specs) {
                        assertThat(ingressRequests(metrics, "200", spec.vendor().id()))
                                .as("200s for source %s; the ingress's request counts:%n%s", spec.vendor().id(),
                                        metrics.lines().filter(l -> l.startsWith("labhooks_ingress_requests_total"))
                                                .collect(java.util.stream.Collectors.joining("\n")))
                                .isPositive();
                    }
                });
    }

    private String ingressMetrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ingressPort + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** {@code labhooks_ingress_requests_total} of one status code and source, 0 when absent. */
    static double ingressRequests(String metrics, String code, String source) {
        Matcher m = Pattern.compile("(?m)^labhooks_ingress_requests_total\\{code=\"" + Pattern.quote(code) + "\",source=\""
                + Pattern.quote(source) + "\"[^}]*} ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** A deliberate wait (an outage's length, load before a kill): until {@code duration} has passed. */
    void hold(Duration duration, String what) {
        Instant until = Instant.now().plus(duration);
        note("hold " + duration.toSeconds() + " s: " + what);
        await(what).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).atMost(duration.plusSeconds(10))
                .until(() -> !Instant.now().isBefore(until));
    }

    /** Waits until the warehouse holds at least {@code n} events: the pipeline is flowing. */
    void awaitEvents(long n, Duration atMost) {
        await("at least " + n + " events in the warehouse").atMost(atMost).pollInterval(Duration.ofMillis(500))
                .until(() -> count("SELECT count(*) FROM lab_events") >= n);
    }

    long count(String sql) throws SQLException {
        try (Connection c = warehouse(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if (e.getMessage() != null && (e.getMessage().contains("no such table") || e.getMessage().contains("does not exist"))) {
                return 0; // not migrated yet
            }
            throw e;
        }
    }

    void note(String line) {
        String l = Instant.now() + " " + scenario + ": " + line;
        System.out.println(l);
        try {
            Files.writeString(logs.resolve("timeline.txt"), l + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ settle and check

    /**
     * Waits until the pipeline is drained: the spool (if the ingress reports one) is empty, the normalizer has
     * committed every raw record, and the warehouse holds exactly the events of {@code labhooks.events.v1}
     * (read {@code read_committed}).
     */
    void settle() throws Exception {
        note("settling");
        if (parts.values().stream().anyMatch(c -> c.name.startsWith("ingress") && c.alive())) {
            await("spool empty").atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Double records = ingressMetric("labhooks_spool_records");
                return records == null || records == 0;
            });
        }
        try (Admin admin = admin()) {
            await("normalizer caught up on " + Topics.RAW).atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        supervise();
                        return lag(admin, NORMALIZER_APP, Topics.RAW) == 0;
                    });
        }
        await("warehouse holds exactly the events of " + Topics.EVENTS).atMost(SETTLE).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    supervise();
                    assertThat(warehouseEventIds()).isEqualTo(topicEventIds());
                });
        note("settled");
    }

    private long lag(Admin admin, String group, String topic) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        d.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
        long lag = 0;
        for (var e : admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(15, TimeUnit.SECONDS).entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            lag += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    Set<String> warehouseEventIds() throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = warehouse(); PreparedStatement ps = c.prepareStatement("SELECT event_id FROM lab_events");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Every event id in {@code labhooks.events.v1}, read {@code read_committed} from the beginning to the end. */
    Set<String> topicEventIds() throws IOException {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(Topics.EVENTS, Duration.ofSeconds(15)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(15));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (tps.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(15)) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topics.EVENTS + " to its end in 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    ids.add(JSON.readTree(r.value()).path("id").asText());
                }
            }
        }
        return ids;
    }

    /**
     * The records of {@code labhooks.raw.v1} and how many of them repeat a delivery id already seen: a record the
     * spool forwarded again after a crash (at least once), not a vendor retry (a retry gets a new delivery id).
     */
    long[] rawRecordsAndRepeats() {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long records = 0;
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(Topics.RAW, Duration.ofSeconds(15)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(15));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (tps.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(15)) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + Topics.RAW + " to its end in 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    records++;
                    keys.add(new String(r.key(), StandardCharsets.UTF_8));
                }
            }
        }
        return new long[] {records, records - keys.size()};
    }

    /**
     * The checks every scenario ends with, once {@link #settle() settled}. Returns the measured figures.
     *
     * @param failuresAllowed the vendors allowed to see failures (e.g. refused connections while the only ingress
     *                        is down); Confident and Flabs must otherwise get nothing but 200s
     */
    Outcome check(Load load, Map<Vendor, Report> reports, Set<Vendor> failuresAllowed) throws Exception {
        Map<String, Integer> ackRows = new TreeMap<>();
        Map<String, Integer> allRows = new TreeMap<>();
        Set<String> ackEntities = new HashSet<>();
        Set<String> allEntities = new HashSet<>();
        Set<String> receiptOrdered = new HashSet<>();
        for (Map.Entry<Vendor, Scenario> e : load.scenarios.entrySet()) {
            Report r = reports.get(e.getKey());
            ExpectedState ack = Load.acknowledged(e.getValue(), r);
            ExpectedState all = Load.attempted(e.getValue());
            all.events().stream().filter(ev -> ev.version() == null).forEach(ev -> receiptOrdered.add(ev.entityKey() + "|" + ev.type()));
            ack.events().forEach(ev -> ackRows.merge(row(ev), 1, Integer::sum));
            all.events().forEach(ev -> allRows.merge(row(ev), 1, Integer::sum));
            ack.entities().forEach(en -> ackEntities.add(en.entityKey()));
            all.entities().forEach(en -> allEntities.add(en.entityKey()));
        }
        long[] raw = rawRecordsAndRepeats();
        Map<String, Integer> found = new TreeMap<>();
        Map<String, Long> entityVersions = new HashMap<>();
        Map<String, Long> maxEventVersion = new HashMap<>();
        try (Connection c = warehouse()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT entity_key, type, version FROM lab_events");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    String type = rs.getString(2);
                    long version = rs.getLong(3);
                    found.merge(key + "|" + type + "|" + (receiptOrdered.contains(key + "|" + type) ? "*" : version), 1, Integer::sum);
                    maxEventVersion.merge(key, version, Math::max);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT entity_key, version FROM lab_entities");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entityVersions.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<String> lost = new ArrayList<>();
        long[] lostCount = {0};
        ackRows.forEach((row, n) -> {
            if (found.getOrDefault(row, 0) < n) {
                lost.add(row + " x" + (n - found.getOrDefault(row, 0)));
                lostCount[0] += n - found.getOrDefault(row, 0);
            }
        });
        List<String> unexpected = new ArrayList<>();
        long[] unexpectedCount = {0};
        found.forEach((row, n) -> {
            if (n > allRows.getOrDefault(row, 0)) {
                unexpected.add(row + " x" + (n - allRows.getOrDefault(row, 0)));
                unexpectedCount[0] += n - allRows.getOrDefault(row, 0);
            }
        });
        List<String> guard = new ArrayList<>();
        entityVersions.forEach((key, v) -> {
            if (!v.equals(maxEventVersion.get(key))) {
                guard.add(key + ": entity version " + v + ", highest event version " + maxEventVersion.get(key));
            }
        });
        Set<String> missingEntities = new HashSet<>(ackEntities);
        missingEntities.removeAll(entityVersions.keySet());
        Set<String> strayEntities = new HashSet<>(entityVersions.keySet());
        strayEntities.removeAll(allEntities);

        Outcome o = new Outcome(scenario,
                load.scenarios.values().stream().mapToLong(Scenario::size).sum(),
                reports.values().stream().mapToLong(Report::acknowledged).sum(),
                ackRows.values().stream().mapToLong(Integer::longValue).sum(),
                found.values().stream().mapToLong(Integer::longValue).sum(),
                lostCount[0], unexpectedCount[0], raw[0], raw[1], reports, List.copyOf(selfExits));
        Files.writeString(logs.resolve("outcome.txt"), o.describe());
        note(o.describe());

        assertThat(lost).as("acknowledged events missing from the warehouse (lost)").isEmpty();
        assertThat(unexpected).as("warehouse events the simulator did not send, or held twice (duplicated)").isEmpty();
        assertThat(missingEntities).as("entities of acknowledged deliveries missing from lab_entities").isEmpty();
        assertThat(strayEntities).as("lab_entities rows the simulator did not send").isEmpty();
        assertThat(guard).as("version guard: each entity at its highest event version").isEmpty();
        for (Vendor v : List.of(Vendor.CONFIDENT, Vendor.FLABS)) {
            Report r = reports.get(v);
            if (r != null && !failuresAllowed.contains(v)) {
                assertThat(r.failures()).as(v.id() + " got non-200 answers:\n" + r.summary()).isEmpty();
                assertThat(r.disabled()).as(v.id() + " disabled the webhook").isFalse();
            }
        }
        return o;
    }

    private static String row(ExpectedState.Event e) {
        return e.entityKey() + "|" + e.type() + "|" + (e.version() == null ? "*" : e.version());
    }

    /** The figures of one run, for docs/reliability.md. */
    record Outcome(String scenario, long sent, long acknowledged, long expectedEvents, long foundEvents, long lostEvents,
                   long unexpectedEvents, long rawRecords, long rawRepeats, Map<Vendor, Report> reports,
                   List<String> selfExits) {
        long failures(String kind) {
            return reports.values().stream().mapToLong(r -> r.failures().getOrDefault(kind, 0L)).sum();
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "RESULT %s: deliveries sent %d, acknowledged %d; events expected from acks %d,"
                    + " found %d, lost %d, unexpected or duplicated %d; raw records %d, of which repeated delivery ids %d%n",
                    scenario, sent, acknowledged, expectedEvents, foundEvents, lostEvents, unexpectedEvents, rawRecords,
                    rawRepeats));
            reports.forEach((v, r) -> b.append(String.format(Locale.ROOT, "  %-9s %d/%d acknowledged, requests %d, failures %s,"
                    + " gave up %d, disabled %s%n", v.id(), r.acknowledged(), r.deliveries(), r.sent(), r.failuresText(),
                    r.gaveUp(), r.disabled())));
            if (!selfExits.isEmpty()) {
                b.append("  parts that exited by themselves (restarted as a supervisor would): ").append(selfExits).append('\n');
            }
            return b.toString();
        }
    }

    // ------------------------------------------------------------------ cleanup

    /** Kills every child still running (and its descendants), stops the private PostgreSQL, deletes the temp dir. */
    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (Child c : children) {
            try {
                c.destroy();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(e);
            }
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
