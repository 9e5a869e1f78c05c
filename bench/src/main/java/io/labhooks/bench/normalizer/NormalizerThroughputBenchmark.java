package io.labhooks.normalizer.bench;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.normalizer.NormalizerApp;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.EmbeddedKafka;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * End-to-end throughput of the normalizer on full Confident panels (157 analytes, 20–30 KB compact JSON),
 * as a ratio against a pass-through Kafka Streams app ({@code raw -> bench.passthrough.out}) with the same
 * {@code exactly_once_v2} properties ({@code NormalizerApp.streamsProperties}), on the same embedded broker,
 * in the same JVM and run. Not a JUnit test. Run it with
 * <pre>{@code mvn -B -q -pl normalizer -am -Pjmh test -DskipTests \
 *     -Djmh.benchmark=io.labhooks.normalizer.bench.NormalizerThroughputBenchmark}</pre>
 * Settings are {@code key=value} args, system properties of the benchmark JVM, or environment variables
 * ({@code BENCH_N=40000}; {@code -D} on the mvn command line does not reach the exec'd JVM):
 * {@code bench.n} (measured deliveries, default 20000), {@code bench.rounds} (baseline/normalizer pairs,
 * default 2), {@code bench.partitions} (default 3), {@code bench.results} (Markdown file the result row is
 * appended to; default {@code <repo>/bench/results/normalizer.md}, {@code none} to skip).
 *
 * <p>Method: N/4 warm-up deliveries are produced and processed once by each app (own application ids,
 * discarded); then N distinct deliveries (distinct sample ids, so the dedupe drops nothing) are produced
 * once. Each measured app gets a fresh application id whose consumer group is pre-committed at the end of
 * the warm-up records, so it processes exactly the N measured records. Time runs from {@code start()} to the
 * moment a {@code read_committed} consumer has counted N records on the app's output topic
 * ({@code bench.passthrough.out} resp. {@code labhooks.events.v1}); startup and rebalance are included.
 */
public final class NormalizerThroughputBenchmark {
    static final String PASSTHROUGH_OUT = "bench.passthrough.out";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    record Run(String name, int records, double seconds, double firstToLastSeconds) {
        double recordsPerSecond() {
            return records / seconds;
        }
    }

    private final EmbeddedKafka kafka;
    private final Path work;
    private final int partitions;

    NormalizerThroughputBenchmark(EmbeddedKafka kafka, Path work, int partitions) {
        this.kafka = kafka;
        this.work = work;
        this.partitions = partitions;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                opts.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        int n = Integer.parseInt(opt(opts, "bench.n", "20000"));
        int rounds = Integer.parseInt(opt(opts, "bench.rounds", "2"));
        int partitions = Integer.parseInt(opt(opts, "bench.partitions", "3"));
        Path repo = repoRoot();
        String results = opt(opts, "bench.results", repo == null ? "none" : repo.resolve("bench/results/normalizer.md").toString());

        Path work = Files.createTempDirectory("labhooks-nbench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
            String row = new NormalizerThroughputBenchmark(kafka, work, partitions).run(n, rounds, repo);
            if (!"none".equals(results)) {
                appendRow(Path.of(results), row);
                System.out.println("appended to " + results);
            }
        } finally {
            deleteRecursively(work);
        }
        System.exit(0); // Kafka leaves non-daemon threads behind now and then; everything is closed by here
    }

    String run(int n, int rounds, Path repo) throws Exception {
        kafka.createTopics(new NewTopic(Topics.RAW, partitions, (short) 1), new NewTopic(Topics.EVENTS, partitions, (short) 1),
                new NewTopic(Topics.ENTITIES, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.DLQ, 1, (short) 1), new NewTopic(PASSTHROUGH_OUT, partitions, (short) 1));
        int warm = Math.max(1, n / 4);
        log("producing %d warm-up deliveries", warm);
        produce("W", warm);
        run("warm-up baseline", "bench-pass-warm", warm, false, null);
        run("warm-up normalizer", "bench-norm-warm", warm, true, null);
        Map<TopicPartition, Long> warmEnd = endOffsets(Topics.RAW);

        log("producing %d measured deliveries", n);
        long bytes = produce("S", n);
        double avgBody = (double) bytes / n;
        log("average body %.0f bytes", avgBody);

        List<Run[]> pairs = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            Run base = run("baseline #" + r, "bench-pass-" + r, n, false, warmEnd);
            Run norm = run("normalizer #" + r, "bench-norm-" + r, n, true, warmEnd);
            pairs.add(new Run[] {base, norm});
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "N=%d, body avg %.0f B, %d partitions, %d cores, JVM %s%n", n, avgBody, partitions,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        System.out.println("| pair | baseline rec/s | normalizer rec/s | ratio | baseline MB/s | normalizer MB/s | ratio (first→last output) |");
        System.out.println("|---|---|---|---|---|---|---|");
        double sumBase = 0;
        double sumNorm = 0;
        StringBuilder ratios = new StringBuilder();
        for (int i = 0; i < pairs.size(); i++) {
            Run b = pairs.get(i)[0];
            Run m = pairs.get(i)[1];
            sumBase += b.recordsPerSecond();
            sumNorm += m.recordsPerSecond();
            double ratio = m.recordsPerSecond() / b.recordsPerSecond();
            ratios.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", ratio));
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.1f | %.1f | %.2f |%n", i + 1, b.recordsPerSecond(),
                    m.recordsPerSecond(), ratio, b.recordsPerSecond() * avgBody / 1e6, m.recordsPerSecond() * avgBody / 1e6,
                    (n / m.firstToLastSeconds()) / (n / b.firstToLastSeconds()));
        }
        double base = sumBase / pairs.size();
        double norm = sumNorm / pairs.size();
        String row = String.format(Locale.ROOT, "| %s | %d | %.1f KB | %.0f | %.0f | **%.2f** (%s) | %.1f | %s | %d | %s |",
                LocalDate.now(ZoneOffset.UTC), n, avgBody / 1000, base, norm, norm / base, ratios, norm * avgBody / 1e6,
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), gitCommit(repo));
        System.out.println();
        System.out.println(HEADER_ROW);
        System.out.println(HEADER_SEP);
        System.out.println(row);
        return row;
    }

    static final String HEADER_ROW = "| date | N | body avg | baseline rec/s | normalizer rec/s | ratio (per pair) | normalizer MB/s in | JVM | cores | commit |";
    static final String HEADER_SEP = "|---|---|---|---|---|---|---|---|---|---|";

    /** Starts one app, times it from start() until its output has {@code expected} committed records, closes it. */
    Run run(String name, String appId, int expected, boolean normalizer, Map<TopicPartition, Long> startAt) throws Exception {
        if (startAt != null) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                startAt.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
                admin.alterConsumerGroupOffsets(appId, offsets).all().get(30, TimeUnit.SECONDS);
            }
        }
        LabhooksConfig config = config(appId);
        String out = normalizer ? Topics.EVENTS : PASSTHROUGH_OUT;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (KafkaConsumer<byte[], byte[]> counter = counter(out)) {
            AutoCloseable app;
            KafkaStreams passthrough = null;
            long start;
            if (normalizer) {
                NormalizerApp a = new NormalizerApp(config, new Adapters()::forSource, new SimpleMeterRegistry(),
                        () -> failure.compareAndSet(null, new IllegalStateException("normalizer failed")));
                start = System.nanoTime();
                a.start();
                app = a;
            } else {
                StreamsBuilder b = new StreamsBuilder();
                b.stream(Topics.RAW, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                        .to(PASSTHROUGH_OUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
                passthrough = new KafkaStreams(b.build(), streamsProperties(config));
                passthrough.setUncaughtExceptionHandler(e -> {
                    failure.compareAndSet(null, e);
                    return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
                KafkaStreams s = passthrough;
                start = System.nanoTime();
                s.start();
                app = () -> s.close(Duration.ofSeconds(30));
            }
            try {
                int seen = 0;
                long first = 0;
                long deadline = start + RUN_TIMEOUT.toNanos();
                while (seen < expected) {
                    ConsumerRecords<byte[], byte[]> recs = counter.poll(Duration.ofMillis(100));
                    if (!recs.isEmpty() && seen == 0) {
                        first = System.nanoTime();
                    }
                    seen += recs.count();
                    if (failure.get() != null) {
                        throw new IllegalStateException(name + " failed", failure.get());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(name + ": only " + seen + " of " + expected + " records after " + RUN_TIMEOUT);
                    }
                }
                long end = System.nanoTime();
                Run r = new Run(name, expected, (end - start) / 1e9, (end - first) / 1e9);
                log("%-20s %6d records in %6.2f s = %7.0f rec/s (first output after %.2f s)%s", name, seen, r.seconds(),
                        r.recordsPerSecond(), (first - start) / 1e9, seen > expected ? " (" + (seen - expected) + " extra!)" : "");
                return r;
            } finally {
                app.close();
                if (passthrough != null) {
                    passthrough.cleanUp();
                }
            }
        }
    }

    LabhooksConfig config(String appId) {
        String yaml = """
                sources:
                  - {id: confident, vendor: confident, auth: {type: none}}
                kafka: {bootstrap-servers: "%s"}
                topics: {partitions: %d}
                normalizer:
                  application-id: %s
                  state-dir: "%s"
                """.formatted(kafka.bootstrapServers(), partitions, appId,
                work.resolve("state-" + appId).toString().replace(File.separatorChar, '/'));
        return ConfigLoader.parse(yaml, "bench", Map.of());
    }

    /** The very properties {@link NormalizerApp} runs with. */
    static Properties streamsProperties(LabhooksConfig config) {
        Properties p = NormalizerApp.streamsProperties(config);
        if (!StreamsConfig.EXACTLY_ONCE_V2.equals(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            throw new IllegalStateException("expected exactly_once_v2: " + p);
        }
        return p;
    }

    /** Produces {@code count} full Confident panels with distinct sample ids; returns the total body bytes. */
    long produce(String prefix, int count) throws Exception {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        long bytes = 0;
        long t0 = 1_705_747_800L;
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                String sampleId = String.format(Locale.ROOT, "24%s%07d", prefix, i);
                byte[] body = ConfidentPayloads.panel(sampleId, Instant.ofEpochSecond(t0 + i), i).toString()
                        .getBytes(StandardCharsets.UTF_8);
                bytes += body.length;
                String id = UUID.randomUUID().toString();
                ProducerRecord<String, byte[]> rec = new ProducerRecord<>(Topics.RAW, id, body);
                rec.headers().add(new RecordHeader(Headers.SOURCE, "confident".getBytes(StandardCharsets.UTF_8)));
                rec.headers().add(new RecordHeader(Headers.DELIVERY_ID, id.getBytes(StandardCharsets.UTF_8)));
                rec.headers().add(new RecordHeader(Headers.RECEIVED_AT,
                        Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8)));
                producer.send(rec, (md, e) -> {
                    if (e != null) {
                        sendFailure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            if (sendFailure.get() != null) {
                throw new IllegalStateException("producing the benchmark's raw deliveries failed", sendFailure.get());
            }
        }
        return bytes;
    }

    Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
            return c.endOffsets(tps);
        }
    }

    /** A read_committed consumer on all partitions of {@code topic}, positioned at its current end. */
    KafkaConsumer<byte[], byte[]> counter(String topic) {
        KafkaConsumer<byte[], byte[]> c = consumer();
        List<TopicPartition> tps = c.partitionsFor(topic).stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
        c.assign(tps);
        c.seekToEnd(tps);
        tps.forEach(c::position);
        return c;
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    static void appendRow(Path file, String row) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    # Normalizer throughput vs. a pass-through Streams app

                    Produced by `io.labhooks.normalizer.bench.NormalizerThroughputBenchmark` (normalizer test sources):

                        mvn -B -q -pl normalizer -am -Pjmh test -DskipTests \\
                            -Djmh.benchmark=io.labhooks.normalizer.bench.NormalizerThroughputBenchmark

                    Method. One embedded single-node Kafka broker (KRaft, in the benchmark JVM), topics with 3 partitions.
                    N distinct full Confident panels (157 analytes, compact JSON, distinct sample ids so the dedupe drops
                    nothing) are produced once to `labhooks.raw.v1` with the ingress headers. Two Kafka Streams apps then
                    each consume exactly those N records (own application id, consumer group pre-committed past the
                    warm-up records), one at a time, with the *same* properties (`NormalizerApp.streamsProperties`:
                    `exactly_once_v2`, default commit interval, etc.):

                    * baseline: `builder.stream(raw).to("bench.passthrough.out")`, bytes in, bytes out;
                    * normalizer: `new NormalizerApp(config, new Adapters()::forSource, ...)` (parse, DLQ split,
                      repartition by entity key, dedupe store with changelog, events + entities).

                    Each app's time runs from `start()` to the moment a `read_committed` consumer has counted N records on
                    its output topic (`bench.passthrough.out` resp. `labhooks.events.v1`), so startup and rebalance are
                    included. Before measuring, each app runs once on N/4 other deliveries (discarded). Pairs run
                    alternately (baseline, normalizer, baseline, normalizer); the row gives the mean rec/s over the pairs
                    and the ratio normalizer / baseline (mean, then per pair). The machine is shared and noisy: compare
                    ratios, not absolute rates. MB/s is input body bytes per second through the normalizer.
                    Goal (issue): ratio >= 0.5.

                    """ + HEADER_ROW + "\n" + HEADER_SEP + "\n");
        }
        Files.writeString(file, row + "\n", StandardOpenOption.APPEND);
    }

    static String opt(Map<String, String> args, String key, String def) {
        String env = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_')); // bench.n -> BENCH_N
        return args.getOrDefault(key, System.getProperty(key, env != null ? env : def));
    }

    static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git")) && Files.exists(d.resolve("normalizer"))) {
                return d;
            }
        }
        return null;
    }

    static String gitCommit(Path repo) {
        if (repo == null) {
            return "?";
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(repo.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? out : "?";
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[nbench %tT] " + format + "%n", Stream.concat(Stream.of(new java.util.Date()), Stream.of(args)).toArray());
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
