package io.labhooks.bench;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.ingress.IngressServer;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.ingress.spool.SpoolException;
import io.labhooks.ingress.spool.SpoolStore;
import io.labhooks.ingress.spool.SpoolingPublisher;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.EmbeddedKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool benchmark ({@code labhooks bench ingress --scenario spool}). On one embedded broker, three runs of the
 * same closed-loop HTTP load against the ingress wired as {@code labhooks ingress} wires it (spool store, producer,
 * spooling publisher, server), each with a fresh spool:
 * <ol>
 *   <li>{@code kafka-healthy}: {@code ack: kafka}, the broker up (the reference);</li>
 *   <li>{@code spool}: {@code ack: spool}, the broker up: every record synced to the spool, the forwarder drains
 *       it meanwhile;</li>
 *   <li>{@code kafka-outage}: {@code ack: kafka} with the broker stopped: the first requests wait
 *       {@code ack-timeout}, then everything goes straight to the spool. Afterwards the broker starts again on the
 *       same port and data dir and the time to drain the spool is measured.</li>
 * </ol>
 * Reports 200s per second, client and server-side (ack histogram, by path) p50/p99, and for the spool runs how
 * long the drain took after the load. Checks that every 200 is in the raw topic (at least once).
 */
public final class SpoolBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolBenchmark.class);
    public static final Path DEFAULT_RESULTS = Path.of("bench", "results", "ingress-spool.md");

    /** Which configuration a run measured. */
    public enum Scenario { KAFKA_HEALTHY, SPOOL, KAFKA_OUTAGE }

    /**
     * @param records       measured requests per scenario
     * @param warmupRecords discarded requests before each scenario's measured run (broker up)
     */
    public record Options(long records, long warmupRecords, int concurrency, int bodyBytes, int partitions, Optional<Path> resultsFile) {
        public Options {
            if (records < 1 || records > 10_000_000 || warmupRecords < 0 || warmupRecords > 10_000_000) {
                throw new IllegalArgumentException("records and warm-up records must be 1..10000000 (warm-up may be 0)");
            }
            if (concurrency < 1 || concurrency > 4096 || bodyBytes < 512 || bodyBytes > 1 << 20 || partitions < 1 || partitions > 1000) {
                throw new IllegalArgumentException("concurrency 1..4096, body 512..1048576 bytes, partitions 1..1000");
            }
            resultsFile = resultsFile == null ? Optional.empty() : resultsFile;
        }
    }

    /** One scenario's run. {@code drainSeconds}: from the end of the load to an empty spool (NaN if it never spooled). */
    public record Run(Scenario scenario, LoadClient.Outcome load, Latency client, Optional<Latency> ackKafka,
                      Optional<Latency> ackSpool, double drainSeconds, long spoolPeakRecords) {
        public double requestsPerSec() {
            return load.requestsPerSec();
        }
    }

    public record Result(Options options, IngressBenchmark.Environment environment, List<Run> runs, long okResponses,
                         long rawTopicRecords) {
        /** Every request got 200 and every 200 is in the raw topic (at least once: a timed-out send may also land). */
        public boolean consistent() {
            return runs.stream().allMatch(r -> r.load().failures() == 0) && rawTopicRecords >= okResponses;
        }

        public List<String> markdownRows() {
            List<String> rows = new ArrayList<>();
            for (Run r : runs) {
                rows.add(String.format(java.util.Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %.0f | %s | %s | %s | %s | %s | %d | %s |",
                        environment.at().toString().substring(0, 16).replace('T', ' '), environment.commit(),
                        r.scenario().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), options.records(),
                        options.concurrency(), options.bodyBytes(), r.requestsPerSec(),
                        ms(r.client().p50Ms()), ms(r.client().p99Ms()),
                        r.ackKafka().map(l -> ms(l.p50Ms()) + " / " + ms(l.p99Ms()) + " (" + l.samples() + ")").orElse("-"),
                        r.ackSpool().map(l -> ms(l.p50Ms()) + " / " + ms(l.p99Ms()) + " (" + l.samples() + ")").orElse("-"),
                        Double.isNaN(r.drainSeconds()) ? "-" : String.format(java.util.Locale.ROOT, "%.1f", r.drainSeconds()),
                        r.spoolPeakRecords(), r.load().failures() == 0 ? "all 200" : r.load().failures() + " not 200"));
            }
            return rows;
        }
    }

    public static final String COLUMNS = """
            | when (UTC) | commit | scenario | requests | connections | body B | 200/s | client p50 ms | client p99 ms | ack kafka p50 / p99 ms (n) | ack spool p50 / p99 ms (n) | drain s | spool peak records | answers |
            |---|---|---|---|---|---|---|---|---|---|---|---|---|---|
            """;

    private static String ms(double v) {
        return Double.isInfinite(v) ? ">10000" : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    public Result run(Options o) throws InterruptedException {
        IngressBenchmark.Environment env = IngressBenchmark.Environment.current();
        Path work;
        try {
            work = Files.createTempDirectory("labhooks-bench-spool-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary dir", e);
        }
        try {
            Result r = run(o, env, work);
            o.resultsFile().ifPresent(f -> append(f, r));
            return r;
        } finally {
            deleteRecursively(work);
        }
    }

    private Result run(Options o, IngressBenchmark.Environment env, Path work) throws InterruptedException {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Path kafkaDir = work.resolve("kafka");
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(kafkaDir).start();
        int port = kafka.port();
        List<Run> runs = new ArrayList<>();
        long ok = 0;
        try {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopics(new NewTopic(Topics.RAW, o.partitions(), (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(2L << 20))));
            long seq = 0;
            for (Scenario s : Scenario.values()) {
                LabhooksConfig cfg = config(bootstrap, work.resolve("spool-" + s.name().toLowerCase(java.util.Locale.ROOT)),
                        s == Scenario.SPOOL ? "spool" : "kafka", token);
                PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                try (SpoolStore store = SpoolStore.open(cfg.ingress().spool());
                     KafkaRawPublisher kp = new KafkaRawPublisher(cfg.kafka(), cfg.largestBodyLimit(), cfg.ingress().ackTimeout(), registry);
                     SpoolingPublisher publisher = new SpoolingPublisher(cfg.ingress(), store, kp, registry);
                     IngressServer server = new IngressServer(cfg.ingress(), cfg.sources(), publisher, registry, () -> true).start();
                     LoadClient client = new LoadClient(new InetSocketAddress("127.0.0.1", server.port()), "/hooks/" + IngressBenchmark.SOURCE,
                             Map.of("Authorization", "Bearer " + token), new Payloads(o.bodyBytes()), o.concurrency(), Duration.ofSeconds(30))) {
                    awaitUntil(kp::ready, Duration.ofSeconds(30), "the producer to reach the broker");
                    if (o.warmupRecords() > 0) {
                        LOG.info("{}: warm-up, {} requests (discarded)", s, o.warmupRecords());
                        LoadClient.Outcome w = client.run(seq, (int) o.warmupRecords());
                        seq += o.warmupRecords();
                        ok += w.ok();
                        awaitUntil(() -> store.records() == 0, Duration.ofMinutes(5), "the spool to drain after the warm-up");
                    }
                    if (s == Scenario.KAFKA_OUTAGE) {
                        LOG.info("{}: stopping the broker", s);
                        kafka.close();
                        kafka = null;
                    }
                    Optional<AckHistogram.Snapshot> kb = AckHistogram.take(registry, IngressBenchmark.SOURCE, "kafka");
                    Optional<AckHistogram.Snapshot> sb = AckHistogram.take(registry, IngressBenchmark.SOURCE, "spool");
                    SpoolPeak peak = new SpoolPeak(store);
                    LOG.info("{}: {} requests", s, o.records());
                    LoadClient.Outcome m = client.run(seq, (int) o.records());
                    seq += o.records();
                    ok += m.ok();
                    long peakRecords = peak.stop();
                    Optional<AckHistogram.Snapshot> ka = AckHistogram.take(registry, IngressBenchmark.SOURCE, "kafka");
                    Optional<AckHistogram.Snapshot> sa = AckHistogram.take(registry, IngressBenchmark.SOURCE, "spool");
                    long loadEnd = System.nanoTime();
                    if (s == Scenario.KAFKA_OUTAGE) {
                        LOG.info("{}: starting the broker again ({} records spooled)", s, store.records());
                        kafka = EmbeddedKafka.builder().port(port).dataDir(kafkaDir).start();
                    }
                    double drain = Double.NaN;
                    if (peakRecords > 0 || store.records() > 0) {
                        awaitUntil(() -> store.records() == 0, Duration.ofMinutes(10), "the spool to drain");
                        drain = (System.nanoTime() - loadEnd) / 1e9;
                    }
                    Run run = new Run(s, m, Latency.ofNanos(m.latencyNanos()), between(kb, ka), between(sb, sa), drain, peakRecords);
                    runs.add(run);
                    LOG.info("{}: {} 200/s, client p50 {} ms p99 {} ms, drain {} s, {} not 200", s, Math.round(run.requestsPerSec()),
                            ms(run.client().p50Ms()), ms(run.client().p99Ms()), drain, m.failures());
                } catch (SpoolException e) {
                    throw new IllegalStateException("cannot open the benchmark's spool: " + e.getMessage(), e);
                } finally {
                    registry.close();
                }
            }
            long raw = IngressBenchmark.endOffsetSum(kafka.bootstrapServers(), Topics.RAW);
            return new Result(o, env, List.copyOf(runs), ok, raw);
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private static Optional<Latency> between(Optional<AckHistogram.Snapshot> before, Optional<AckHistogram.Snapshot> after) {
        return before.isPresent() && after.isPresent() ? AckHistogram.between(before.get(), after.get()) : Optional.empty();
    }

    /** Samples the spool's record count every 50 ms while the load runs, for its peak. */
    private static final class SpoolPeak {
        private final java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-spool-peak");
            t.setDaemon(true);
            return t;
        });
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();

        SpoolPeak(SpoolStore store) {
            timer.scheduleAtFixedRate(() -> peak.accumulateAndGet(store.records(), Math::max), 0, 50, TimeUnit.MILLISECONDS);
        }

        long stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(5, TimeUnit.SECONDS);
            return peak.get();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
            }
            synchronized (monitor) {
                monitor.wait(20);
            }
        }
    }

    static LabhooksConfig config(String bootstrap, Path spool, String ack, String token) {
        String yaml = String.join("\n",
                "kafka: {bootstrap-servers: \"" + bootstrap + "\"}",
                "ingress:",
                "  host: 127.0.0.1",
                "  port: 0",
                "  ack: " + ack,
                "  shutdown-timeout: 5s",
                "  spool: {dir: \"" + spool.toString().replace("\\", "/") + "\", max-bytes: 8GiB}",
                "sources:",
                "  - {id: " + IngressBenchmark.SOURCE + ", vendor: flabs, auth: {type: bearer, tokens: [\"" + token + "\"]}}",
                "");
        return ConfigLoader.parse(yaml, "spool benchmark config", Map.of());
    }

    private static void append(Path file, Result r) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            StringBuilder b = new StringBuilder();
            if (!Files.exists(file)) {
                b.append("# Ingress spool benchmark results\n\n")
                        .append("`labhooks bench ingress --scenario spool`: see bench/README.md. Each row is one scenario of one run: ")
                        .append("kafka-healthy (ack: kafka, broker up), spool (ack: spool, broker up), kafka-outage (ack: kafka, broker ")
                        .append("stopped for the whole load, then started again; drain s is from the end of the load, broker start included). ")
                        .append("ack columns: the server's ack histogram by path (bucket upper bounds). The machines are small and shared: ")
                        .append("compare rows of one run, not runs.\n\n").append(COLUMNS);
            }
            r.markdownRows().forEach(row -> b.append(row).append('\n'));
            Files.writeString(file, b, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.toString());
        }
    }
}
