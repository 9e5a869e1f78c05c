package io.labhooks.bench.normalizer;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.normalizer.NormalizerApp;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.bench.stage.StageOptions;
import io.labhooks.bench.stage.StageReport;
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
import java.util.Optional;
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
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end throughput of the normalizer on full Confident panels (157 analytes, 20–30 KB compact JSON),
 * as a ratio against a pass-through Kafka Streams app ({@code raw -> bench.passthrough.out}) with the same
 * {@code exactly_once_v2} properties ({@code NormalizerApp.streamsProperties}), on the same embedded broker,
 * in the same JVM and run, and against a second baseline with the normalizer's shape (a repartition and a
 * changelogged key-value store). Run it with {@code labhooks bench normalizer} (cli-dev); see
 * {@code docs/benchmarks-normalizer.md}.
 *
 * <p>Method: W warm-up deliveries are produced and processed once by each app (own application ids,
 * discarded); then N distinct deliveries (distinct sample ids, so the dedupe drops nothing) are produced
 * once. Each measured app gets a fresh application id whose consumer group is pre-committed at the end of
 * the warm-up records, so it processes exactly the N measured records. Time runs from {@code start()} to the
 * moment a {@code read_committed} consumer has counted N records on the app's output topic
 * ({@code bench.passthrough.out} resp. {@code labhooks.events.v1}); startup and rebalance are included.
 */
public final class NormalizerThroughputBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(NormalizerThroughputBenchmark.class);
    static final String PASSTHROUGH_OUT = "bench.passthrough.out";
    static final String STATEFUL_OUT = "bench.stateful.out";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    public static final Path DEFAULT_RESULTS = Path.of("bench", "results", "normalizer.md");

    /** The three apps: the normalizer and its two baselines. */
    enum App {
        /** {@code stream(raw).to(out)}: bytes in, bytes out; the ratio's baseline. */
        PASSTHROUGH,
        /** {@code stream(raw).repartition().processValues(put into a changelogged store).to(out)}: the normalizer's shape. */
        STATEFUL,
        NORMALIZER
    }

    /** One timed app run over N records. */
    public record Run(String name, int records, double seconds, double firstToLastSeconds) {
        public double recordsPerSecond() {
            return records / seconds;
        }
    }

    /** One round: the pass-through, the stateful baseline, the normalizer. */
    public record Round(Run passthrough, Run stateful, Run normalizer) {
        public double ratio() {
            return normalizer.recordsPerSecond() / passthrough.recordsPerSecond();
        }

        public double statefulRatio() {
            return normalizer.recordsPerSecond() / stateful.recordsPerSecond();
        }
    }

    /** What a run measured: N, the average body, the rounds. */
    public record Result(int records, int warmupRecords, double avgBodyBytes, int partitions, int threads, List<Round> rounds) {
        public double medianRatio() {
            return StageReport.median(rounds.stream().map(Round::ratio).toList());
        }

        public double medianStatefulRatio() {
            return StageReport.median(rounds.stream().map(Round::statefulRatio).toList());
        }
    }

    private final EmbeddedKafka kafka;
    private final Path work;
    private final int partitions;
    private final int threads;

    NormalizerThroughputBenchmark(EmbeddedKafka kafka, Path work, int partitions, int threads) {
        this.kafka = kafka;
        this.work = work;
        this.partitions = partitions;
        this.threads = threads;
    }

    /**
     * {@code labhooks bench normalizer}: an embedded broker, a warm-up of each app (discarded), then rounds of
     * pass-through, stateful baseline and normalizer over the same N measured deliveries. N is the normalizer's
     * warm-up rate (first to last output) times {@code --duration}, so its run lasts about that long (the baselines' less).
     * {@code --concurrency} is {@code num.stream.threads} of every app; {@code --body-size} and {@code --rate}
     * do not apply (full Confident panels, as fast as the app goes).
     *
     * @param rounds      measured rounds
     * @param resultsFile the Markdown table to append the summary row to, if any
     */
    public static StageReport stage(StageOptions o, int rounds, Optional<Path> resultsFile) throws Exception {
        double seconds = o.duration().toNanos() / 1e9;
        // 300 per second of --duration (200..10,000): at 100 the JIT was still compiling the adapter in the measured runs
        int warm = (int) Math.max(200, Math.min(10_000, Math.round(seconds * 300)));
        Path work = Files.createTempDirectory("labhooks-nbench-");
        Result r;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
            r = new NormalizerThroughputBenchmark(kafka, work, o.partitions(), o.concurrency()).run(warm, seconds, rounds);
        } finally {
            deleteRecursively(work);
        }
        if (resultsFile.isPresent()) {
            appendRow(resultsFile.get(), row(r, repoRoot()));
        }
        StageReport report = new StageReport("normalizer", "normalizer rec/s / pass-through exactly_once_v2 Streams app rec/s "
                + "(median of the rounds; goal >= 0.5)",
                List.of("round", "app", "records", "seconds", "rec/s", "MB/s in", "ratio"));
        for (int i = 0; i < r.rounds().size(); i++) {
            Round round = r.rounds().get(i);
            for (Run run : List.of(round.passthrough(), round.stateful(), round.normalizer())) {
                report.row(i + 1, run.name().replaceFirst(" #\\d+$", ""), run.records(), run.seconds(), run.recordsPerSecond(),
                        run.recordsPerSecond() * r.avgBodyBytes() / 1e6, run.recordsPerSecond() / round.passthrough().recordsPerSecond());
            }
        }
        report.parameter("duration_s", seconds).parameter("records", r.records()).parameter("warmup_records", r.warmupRecords())
                .parameter("avg_body_bytes", Math.round(r.avgBodyBytes())).parameter("partitions", r.partitions())
                .parameter("stream_threads", r.threads()).parameter("rounds", rounds);
        report.note(String.format(Locale.ROOT, "N=%d full Confident panels (body avg %.0f B), %d warm-up (discarded), %d partitions, "
                + "%d stream thread(s), exactly_once_v2 for every app; ratio column: rec/s / pass-through rec/s of the round.",
                r.records(), r.avgBodyBytes(), r.warmupRecords(), r.partitions(), r.threads()));
        report.figure("ratio vs stateful baseline (repartition + changelogged store)", r.medianStatefulRatio());
        return report.ratio(r.medianRatio());
    }

    Result run(int warm, double seconds, int rounds) throws Exception {
        kafka.createTopics(new NewTopic(Topics.RAW, partitions, (short) 1), new NewTopic(Topics.EVENTS, partitions, (short) 1),
                new NewTopic(Topics.ENTITIES, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic(Topics.DLQ, 1, (short) 1), new NewTopic(PASSTHROUGH_OUT, partitions, (short) 1),
                new NewTopic(STATEFUL_OUT, partitions, (short) 1));
        log("producing %d warm-up deliveries", warm);
        produce("W", warm);
        run("warm-up pass-through", "bench-pass-warm", warm, App.PASSTHROUGH, null);
        run("warm-up stateful", "bench-state-warm", warm, App.STATEFUL, null);
        Run warmNorm = run("warm-up normalizer", "bench-norm-warm", warm, App.NORMALIZER, null);
        Map<TopicPartition, Long> warmEnd = endOffsets(Topics.RAW);
        // the rate from first to last output: the warm-up's start-up and rebalance would halve a short calibration
        double warmRate = warmNorm.records() / Math.max(1e-3, warmNorm.firstToLastSeconds());
        int n = (int) Math.max(100, Math.min(1_000_000, Math.round(warmRate * seconds)));

        log("producing %d measured deliveries", n);
        long bytes = produce("S", n);
        double avgBody = (double) bytes / n;
        log("average body %.0f bytes", avgBody);

        List<Round> result = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            Run base = run("pass-through #" + r, "bench-pass-" + r, n, App.PASSTHROUGH, warmEnd);
            Run stateful = run("stateful #" + r, "bench-state-" + r, n, App.STATEFUL, warmEnd);
            Run norm = run("normalizer #" + r, "bench-norm-" + r, n, App.NORMALIZER, warmEnd);
            result.add(new Round(base, stateful, norm));
        }
        return new Result(n, warm, avgBody, partitions, threads, List.copyOf(result));
    }

    /** Waits, at most 60 s, until the app is no longer rebalancing (running, or stopped by a failure). */
    private static void awaitSettled(java.util.function.Supplier<KafkaStreams.State> state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (state.get() == KafkaStreams.State.REBALANCING && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** The summary row of bench/results/normalizer.md. */
    static String row(Result r, Path repo) {
        double base = r.rounds().stream().mapToDouble(x -> x.passthrough().recordsPerSecond()).average().orElse(Double.NaN);
        double norm = r.rounds().stream().mapToDouble(x -> x.normalizer().recordsPerSecond()).average().orElse(Double.NaN);
        String ratios = r.rounds().stream().map(x -> String.format(Locale.ROOT, "%.2f", x.ratio()))
                .collect(java.util.stream.Collectors.joining(", "));
        return String.format(Locale.ROOT, "| %s | %d | %.1f KB | %.0f | %.0f | **%.2f** (%s) | %.1f | %s | %d | %s |",
                LocalDate.now(ZoneOffset.UTC), r.records(), r.avgBodyBytes() / 1000, base, norm, norm / base, ratios,
                norm * r.avgBodyBytes() / 1e6, System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                gitCommit(repo));
    }

    static final String HEADER_ROW = "| date | N | body avg | baseline rec/s | normalizer rec/s | ratio (per pair) | normalizer MB/s in | JVM | cores | commit |";
    static final String HEADER_SEP = "|---|---|---|---|---|---|---|---|---|---|";

    /** Starts one app, times it from start() until its output has {@code expected} committed records, closes it. */
    Run run(String name, String appId, int expected, App which, Map<TopicPartition, Long> startAt) throws Exception {
        boolean normalizer = which == App.NORMALIZER;
        if (startAt != null) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                startAt.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
                admin.alterConsumerGroupOffsets(appId, offsets).all().get(30, TimeUnit.SECONDS);
            }
        }
        LabhooksConfig config = config(appId);
        String out = switch (which) {
            case NORMALIZER -> Topics.EVENTS;
            case PASSTHROUGH -> PASSTHROUGH_OUT;
            case STATEFUL -> STATEFUL_OUT;
        };
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
                if (which == App.PASSTHROUGH) {
                    b.stream(Topics.RAW, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                            .to(PASSTHROUGH_OUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
                } else {
                    statefulTopology(b, partitions);
                }
                passthrough = new KafkaStreams(b.build(), streamsProperties(config));
                passthrough.setUncaughtExceptionHandler(e -> {
                    failure.compareAndSet(null, e);
                    return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                });
                KafkaStreams s = passthrough;
                start = System.nanoTime();
                s.start();
                app = () -> {
                    if (!s.close(Duration.ofSeconds(60))) {
                        log("%s did not stop within 60 s; its state dir is left to the run's cleanup", name);
                    }
                };
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
                // Not timed: with several stream threads a rebalance may still be under way when the last record is
                // counted, and closing in the middle of one waits for it to time out; let it finish first.
                awaitSettled(normalizer ? ((NormalizerApp) app)::state : passthrough::state);
                app.close();
                if (passthrough != null && passthrough.state() == KafkaStreams.State.NOT_RUNNING) {
                    passthrough.cleanUp();
                }
            }
        }
    }

    /**
     * The normalizer's shape without its work: a repartition (as the normalizer's by entity key; here by the
     * record key, with as many partitions), then every value put into a persistent key-value store with a
     * changelog (as its dedupe store) and forwarded.
     */
    static void statefulTopology(StreamsBuilder b, int partitions) {
        String store = "bench-stateful-store";
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.ByteArray(), Serdes.ByteArray()));
        b.stream(Topics.RAW, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("bench-stateful")
                        .withNumberOfPartitions(partitions))
                .processValues(() -> new FixedKeyProcessor<byte[], byte[], byte[]>() {
                    private FixedKeyProcessorContext<byte[], byte[]> context;
                    private KeyValueStore<byte[], byte[]> kv;

                    @Override
                    public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
                        this.context = context;
                        this.kv = context.getStateStore(store);
                    }

                    @Override
                    public void process(FixedKeyRecord<byte[], byte[]> record) {
                        kv.put(record.key(), record.value());
                        context.forward(record);
                    }
                }, store)
                .to(STATEFUL_OUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
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
                  properties: {num.stream.threads: "%d"}
                """.formatted(kafka.bootstrapServers(), partitions, appId,
                work.resolve("state-" + appId).toString().replace(File.separatorChar, '/'), threads);
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

                    Produced by `labhooks bench normalizer` (`io.labhooks.bench.normalizer.NormalizerThroughputBenchmark`).

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
        } catch (IOException e) {
            LOG.debug("no git commit: {}", e.toString());
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    static void log(String format, Object... args) {
        if (LOG.isInfoEnabled()) {
            LOG.info(String.format(Locale.ROOT, format, args));
        }
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
