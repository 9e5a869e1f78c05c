package io.labhooks.bench;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.ingress.IngressServer;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.ingress.spool.SpoolStore;
import io.labhooks.ingress.spool.SpoolingPublisher;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.EmbeddedKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress throughput benchmark. In one JVM it starts an embedded broker, then measures
 * <ol>
 *   <li>the baseline: Kafka's own {@code ProducerPerformance}, {@code acks=all}, idempotent, with the
 *       ingress's producer settings, records of the body size, into its own topic; and</li>
 *   <li>the ingress, wired as {@code labhooks ingress} wires it (a {@link SpoolStore}, a {@link KafkaRawPublisher},
 *       the {@link SpoolingPublisher} over both, with {@code ack: kafka}, and an {@link IngressServer} from a parsed
 *       config, bearer auth), under a closed-loop HTTP/1.1 load of
 *       {@code concurrency} keep-alive connections POSTing realistic JSON bodies of the same size.</li>
 * </ol>
 * Both sides are warmed up first (runs that are discarded), then each round measures the baseline and
 * the ingress back to back. The result is the ratio of ingress 200s per second to baseline records per
 * second, with latencies. Absolute numbers depend on the machine; the ratio is what to compare.
 */
public final class IngressBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(IngressBenchmark.class);
    /** The source id the load is sent to. */
    public static final String SOURCE = "bench";
    /** The baseline's topic, beside {@link Topics#RAW} on the same broker with the same layout. */
    public static final String PERF_TOPIC = "labhooks.bench.producer-perf";
    public static final Path DEFAULT_RESULTS = Path.of("bench", "results", "ingress.md");

    /** What the baseline producer is configured with, besides {@code acks=all} and idempotence. */
    public enum Baseline {
        /** Kafka's producer defaults (linger, batch size, ...): a yardstick that does not move when the ingress is tuned. */
        KAFKA_DEFAULTS,
        /** The ingress's own producer settings (linger, batch size, max in flight, compression, ...). */
        INGRESS
    }

    /**
     * @param records            measured records per side and round
     * @param warmupRecords      records per side in the discarded warm-up run (0: none)
     * @param concurrency        HTTP connections, one request in flight on each
     * @param bodyBytes          body size of each request and record size of the baseline
     * @param partitions         partitions of both topics
     * @param rounds             measured rounds (baseline, then ingress, in each)
     * @param kafkaProperties    the ingress config's {@code kafka.properties} (e.g. {@code linger.ms}), as an operator would set them
     * @param baseline           how the baseline producer is configured
     * @param resultsFile        the Markdown table to append the rows to, if any
     * @param showProducerOutput pass ProducerPerformance's own progress lines through to standard output
     * @param rate               the ingress (and floor) load in requests per second, fixed-rate and corrected for
     *                           coordinated omission (see {@link LoadClient}); 0 for the closed loop
     * @param duration           if set, each measured run lasts about this long instead of {@code records}: its
     *                           count is the side's warm-up rate times the duration (needs a warm-up)
     * @param floor              also run the bare Undertow floor ({@code bench/peers/undertow-floor}) in process
     *                           under the same load in every warm-up and round
     */
    public record Options(long records, long warmupRecords, int concurrency, int bodyBytes, int partitions, int rounds,
                         Map<String, String> kafkaProperties, Baseline baseline, Optional<Path> resultsFile,
                         boolean showProducerOutput, double rate, Optional<Duration> duration, boolean floor) {
        public Options {
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("rate must be a number >= 0, was " + rate);
            }
            duration = duration == null ? Optional.empty() : duration;
            if (duration.isPresent() && warmupRecords < 1) {
                throw new IllegalArgumentException("a measured duration needs a warm-up to calibrate the record counts");
            }
            if (records < 1 || records > Integer.MAX_VALUE / 4) {
                throw new IllegalArgumentException("records must be 1.." + Integer.MAX_VALUE / 4 + ", was " + records);
            }
            if (warmupRecords < 0 || warmupRecords > Integer.MAX_VALUE / 4) {
                throw new IllegalArgumentException("warm-up records must be 0.." + Integer.MAX_VALUE / 4 + ", was " + warmupRecords);
            }
            if (concurrency < 1 || concurrency > 4096) {
                throw new IllegalArgumentException("concurrency must be 1..4096, was " + concurrency);
            }
            if (bodyBytes < 512 || bodyBytes > 1 << 20) {
                throw new IllegalArgumentException("body size must be 512..1048576 bytes, was " + bodyBytes);
            }
            if (partitions < 1 || partitions > 1000) {
                throw new IllegalArgumentException("partitions must be 1..1000, was " + partitions);
            }
            if (rounds < 1 || rounds > 100) {
                throw new IllegalArgumentException("rounds must be 1..100, was " + rounds);
            }
            kafkaProperties = Map.copyOf(kafkaProperties == null ? Map.of() : kafkaProperties);
            kafkaProperties.forEach((k, v) -> {
                if (!k.matches("[a-z0-9.\\-]+") || v.contains("\"") || v.contains("\\") || v.contains("$") || v.contains("\n")) {
                    throw new IllegalArgumentException("Kafka property not accepted by the benchmark: " + k);
                }
            });
            Objects.requireNonNull(baseline, "baseline");
            resultsFile = resultsFile == null ? Optional.empty() : resultsFile;
        }

        public static Builder builder() {
            return new Builder();
        }
    }

    /**
     * Builds {@link Options}. Defaults: 200,000 records, as many for warm-up but at least 1,000,000,
     * 64 connections, 2048-byte bodies, 3 partitions, four rounds, no extra Kafka properties, the
     * Kafka-default baseline, no results file.
     */
    public static final class Builder {
        /** ProducerPerformance needs about a million 2 KB records to reach its speed (JIT; see bench/README.md). */
        public static final long MIN_DEFAULT_WARMUP = 1_000_000;
        private long records = 200_000;
        private Long warmupRecords;
        private int concurrency = 64;
        private double rate;
        private int bodyBytes = 2048;
        private int partitions = 3;
        private int rounds = 4;
        private Map<String, String> kafkaProperties = Map.of();
        private Baseline baseline = Baseline.KAFKA_DEFAULTS;
        private Path resultsFile;
        private boolean showProducerOutput;
        private Duration duration;
        private boolean floor;

        private Builder() {
        }

        public Builder records(long n) {
            this.records = n;
            return this;
        }

        /** Default: the same as {@link #records(long)}, and at least {@value #MIN_DEFAULT_WARMUP}. */
        public Builder warmupRecords(long n) {
            this.warmupRecords = n;
            return this;
        }

        public Builder concurrency(int c) {
            this.concurrency = c;
            return this;
        }

        public Builder bodyBytes(int b) {
            this.bodyBytes = b;
            return this;
        }

        public Builder partitions(int p) {
            this.partitions = p;
            return this;
        }

        public Builder rounds(int r) {
            this.rounds = r;
            return this;
        }

        public Builder kafkaProperties(Map<String, String> p) {
            this.kafkaProperties = p;
            return this;
        }

        public Builder baseline(Baseline b) {
            this.baseline = b;
            return this;
        }

        /** {@code null}: do not write a results file. */
        public Builder resultsFile(Path f) {
            this.resultsFile = f;
            return this;
        }

        public Builder rate(double requestsPerSec) {
            this.rate = requestsPerSec;
            return this;
        }

        public Builder showProducerOutput(boolean show) {
            this.showProducerOutput = show;
            return this;
        }

        /** Measure about this long per side and round instead of a record count ({@code null}: records). */
        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        /** Also run the bare Undertow floor under the same load. */
        public Builder floor(boolean f) {
            this.floor = f;
            return this;
        }

        public Options build() {
            return new Options(records, warmupRecords == null ? Math.max(records, MIN_DEFAULT_WARMUP) : warmupRecords, concurrency, bodyBytes, partitions, rounds,
                    kafkaProperties, baseline, Optional.ofNullable(resultsFile), showProducerOutput, rate,
                    Optional.ofNullable(duration), floor);
        }
    }

    /** The ingress side of one measured run. Latencies: client-observed, and the server's ack histogram. */
    public record IngressRun(int requests, int ok, SortedMap<Integer, Integer> nonOk, int ioErrors, double seconds,
                             double requestsPerSec, Latency client, Optional<Latency> serverAck) {
        static IngressRun of(LoadClient.Outcome o, Optional<Latency> serverAck) {
            return new IngressRun(o.requests(), o.ok(), o.nonOk(), o.ioErrors(), o.elapsedNanos() / 1e9, o.requestsPerSec(),
                    Latency.ofNanos(o.latencyNanos()), serverAck);
        }
    }

    /** One measured round: the baseline, then the bare Undertow floor (if asked for) and the ingress, in turns first. */
    public record Round(int number, ProducerPerf.Summary producer, IngressRun ingress, Optional<IngressRun> floor) {
        /** Ingress 200s per second over baseline records per second. */
        public double ratio() {
            return ingress.requestsPerSec() / producer.recordsPerSec();
        }

        /** Ingress 200s per second over the floor's 200s per second (NaN without the floor). */
        public double floorRatio() {
            return floor.map(f -> ingress.requestsPerSec() / f.requestsPerSec()).orElse(Double.NaN);
        }
    }

    /** Where it ran, and which commit of the working directory (if it is a git checkout) it measured. */
    public record Environment(Instant at, String jvm, int cores, String os, String commit) {
        static Environment current() {
            return new Environment(Instant.now(),
                    System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.runtime.version", System.getProperty("java.version", "?")),
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?"),
                    gitCommit());
        }

        /** {@code git rev-parse --short HEAD}, with "-dirty" if tracked files changed; "n/a" outside a checkout. */
        private static String gitCommit() {
            try {
                String head = git("rev-parse", "--short", "HEAD");
                if (head.isEmpty()) {
                    return "n/a";
                }
                return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "-dirty";
            } catch (IOException e) {
                LOG.debug("no git commit: {}", e.toString());
                return "n/a";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "n/a";
            }
        }

        private static String git(String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("git"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return p.exitValue() == 0 ? out : "";
        }
    }

    /**
     * Everything one benchmark run measured.
     *
     * @param baselineSettings the baseline producer's settings that matter for throughput (given or Kafka's defaults)
     * @param ingressSettings  the same settings of the ingress's producer
     * @param requestsSent     every ingress request, warm-up included
     * @param okResponses      the 200s among them
     * @param rawTopicRecords  records in {@link Topics#RAW} afterwards (must equal {@code okResponses})
     */
    public record Result(Options options, Environment environment, Map<String, String> baselineSettings,
                         Map<String, String> ingressSettings, List<Round> rounds,
                         long requestsSent, long okResponses, long rawTopicRecords) {
        public long non200() {
            return requestsSent - okResponses;
        }

        /** Every request answered 200 and every 200 is one record in the raw topic. */
        public boolean consistent() {
            return non200() == 0 && rawTopicRecords == okResponses;
        }

        public double medianRatio() {
            return median(rounds.stream().mapToDouble(Round::ratio).toArray());
        }

        /** The median over the rounds of ingress req/s / floor req/s (NaN without the floor). */
        public double medianFloorRatio() {
            return median(rounds.stream().mapToDouble(Round::floorRatio).toArray());
        }

        private static double median(double[] values) {
            double[] r = values.clone();
            java.util.Arrays.sort(r);
            return r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
        }

        /** The table rows of this run, one per round; see {@link ResultsTable}. */
        public List<String> markdownRows() {
            return ResultsTable.rows(this);
        }
    }

    /**
     * Runs the benchmark and, if the options name a results file, appends the rows to it.
     *
     * @throws IllegalStateException if the broker, the ingress or the baseline fails
     */
    public Result run(Options o) throws InterruptedException {
        Environment env = Environment.current();
        Path spool;
        try {
            spool = Files.createTempDirectory("labhooks-bench-spool-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary spool dir", e);
        }
        Result result;
        // Records already counted are dropped before each measured run (settle): the broker deletes their segments
        // within a second instead of the default five minutes.
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().brokerProperty("log.retention.check.interval.ms", "1000")
                .brokerProperty("file.delete.delay.ms", "1000").start()) {
            result = run(o, env, kafka, spool);
        } finally {
            deleteRecursively(spool);
        }
        o.resultsFile().ifPresent(f -> ResultsTable.append(f, result));
        return result;
    }

    private Result run(Options o, Environment env, EmbeddedKafka kafka, Path spool) throws InterruptedException {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        LabhooksConfig cfg = config(kafka.bootstrapServers(), spool, o, token);
        long maxMessage = cfg.largestBodyLimit() + 64 * 1024;
        // 128 MiB segments: only whole segments behind the log start offset can be deleted, so smaller ones bound
        // what the active segments of the nine partitions keep (at 25 KiB bodies the runs wrote 61 GB with 1 GiB ones)
        Map<String, String> topicConfig = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Long.toString(maxMessage),
                TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(SEGMENT_BYTES));
        kafka.createTopics(new NewTopic(Topics.RAW, o.partitions(), (short) 1).configs(topicConfig),
                new NewTopic(PERF_TOPIC, o.partitions(), (short) 1).configs(topicConfig),
                new NewTopic(FLOOR_TOPIC, o.partitions(), (short) 1).configs(topicConfig));
        Map<String, String> ingressSettings = sharedProducerSettings(cfg);
        Map<String, String> perfProps = new TreeMap<>(o.baseline() == Baseline.INGRESS ? ingressSettings
                : Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"));
        Map<String, String> baselineSettings = effective(perfProps);
        perfProps.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-producer-perf");
        LOG.info("benchmark: {} records ({} warm-up), {} connections, {} B bodies, {} partitions, {} round(s)",
                o.records(), o.warmupRecords(), o.concurrency(), o.bodyBytes(), o.partitions(), o.rounds());
        LOG.info("producer settings: baseline {}, ingress {}", baselineSettings, effective(ingressSettings));
        List<Round> rounds = new ArrayList<>();
        long sent = 0;
        long ok = 0;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            try (SpoolStore spoolStore = SpoolStore.open(cfg.ingress().spool());
                 KafkaRawPublisher kafkaPublisher = new KafkaRawPublisher(cfg.kafka(), cfg.largestBodyLimit(), cfg.ingress().ackTimeout(), registry);
                 SpoolingPublisher publisher = new SpoolingPublisher(cfg.ingress(), spoolStore, kafkaPublisher, registry);
                 IngressServer server = new IngressServer(cfg.ingress(), cfg.sources(), publisher, registry, () -> true).start();
                 LoadClient client = new LoadClient(new InetSocketAddress("127.0.0.1", server.port()), "/hooks/" + SOURCE,
                         Map.of("Authorization", "Bearer " + token), new Payloads(o.bodyBytes()), o.concurrency(), o.rate(), Duration.ofSeconds(30));
                 FloorSide floor = o.floor() ? FloorSide.start(kafka.bootstrapServers(), o) : null) {
                long seq = 0;
                double producerRate = 0;
                double ingressRate = 0;
                double floorRate = 0;
                // The warm-up alternates twice: baseline, ingress, baseline, ingress (half of it each time).
                // Both sides run the same Kafka client and broker code with different types and paths, and
                // the first switch from one to the other deoptimises and recompiles much of it (the JIT log
                // showed over 150 methods made not entrant when the baseline resumed after the ingress warm-up,
                // and round 1's baseline was then always the slowest). That churn belongs in the warm-up.
                long[] parts = {o.warmupRecords() - o.warmupRecords() / 2, o.warmupRecords() / 2};
                for (int cycle = 0; cycle < parts.length; cycle++) {
                    int w = (int) parts[cycle];
                    if (w == 0) {
                        continue;
                    }
                    LOG.info("warm-up {}/2 (discarded): ProducerPerformance, {} records", cycle + 1, w);
                    ProducerPerf.Summary pw = ProducerPerf.run(kafka.bootstrapServers(), PERF_TOPIC, w, o.bodyBytes(), perfProps,
                            o.showProducerOutput());
                    LOG.info("warm-up {}/2 (discarded): ProducerPerformance {} rec/s", cycle + 1, Math.round(pw.recordsPerSec()));
                    producerRate = pw.recordsPerSec();
                    if (floor != null) {
                        LoadClient.Outcome fw = floor.client.run(0, w);
                        floorRate = fw.requestsPerSec();
                        LOG.info("warm-up {}/2 (discarded): floor {} req/s, {} not 200", cycle + 1, Math.round(floorRate), fw.failures());
                    }
                    LOG.info("warm-up {}/2 (discarded): ingress, {} requests", cycle + 1, w);
                    LoadClient.Outcome iw = client.run(seq, w);
                    ingressRate = iw.requestsPerSec();
                    seq += w;
                    sent += w;
                    ok += iw.ok();
                    LOG.info("warm-up {}/2 (discarded): ingress {} req/s, {} not 200", cycle + 1, Math.round(iw.requestsPerSec()),
                            iw.failures());
                }
                int n = (int) o.records();
                int nProducer = n;
                int nFloor = n;
                if (o.duration().isPresent()) {
                    double seconds = o.duration().get().toNanos() / 1e9;
                    nProducer = count(producerRate, seconds);
                    n = count(ingressRate, seconds);
                    nFloor = count(floorRate, seconds);
                    LOG.info("about {} s per measured run: {} producer records, {} ingress requests, {} floor requests (the warm-up rates)",
                            seconds, nProducer, n, floor == null ? 0 : nFloor);
                }
                for (int r = 1; r <= o.rounds(); r++) {
                    settle(kafka);
                    LOG.info("round {}/{}: ProducerPerformance, {} records", r, o.rounds(), nProducer);
                    ProducerPerf.Summary p = ProducerPerf.run(kafka.bootstrapServers(), PERF_TOPIC, nProducer, o.bodyBytes(), perfProps,
                            o.showProducerOutput());
                    Optional<IngressRun> floorRun = Optional.empty();
                    // The floor and the ingress swap places every other round (odd: floor first; even: ingress
                    // first), so that neither always follows the other's JIT churn and broker state.
                    boolean floorFirst = r % 2 == 1;
                    if (floor != null && floorFirst) {
                        floorRun = Optional.of(floorRound(floor, kafka, r, o.rounds(), nFloor));
                    }
                    settle(kafka);
                    LOG.info("round {}/{}: ingress, {} requests", r, o.rounds(), n);
                    Optional<AckHistogram.Snapshot> before = AckHistogram.take(registry, SOURCE);
                    LoadClient.Outcome m = client.run(seq, n);
                    Optional<AckHistogram.Snapshot> after = AckHistogram.take(registry, SOURCE);
                    seq += n;
                    sent += n;
                    ok += m.ok();
                    Optional<Latency> ack = before.isPresent() && after.isPresent()
                            ? AckHistogram.between(before.get(), after.get()) : Optional.empty();
                    if (floor != null && !floorFirst) {
                        floorRun = Optional.of(floorRound(floor, kafka, r, o.rounds(), nFloor));
                    }
                    Round round = new Round(r, p, IngressRun.of(m, ack), floorRun);
                    rounds.add(round);
                    LOG.info("round {}/{}: producer {} rec/s, ingress {} req/s, ratio {}", r, o.rounds(),
                            Math.round(p.recordsPerSec()), Math.round(round.ingress().requestsPerSec()),
                            String.format("%.3f", round.ratio()));
                }
            } catch (io.labhooks.ingress.spool.SpoolException e) {
                throw new IllegalStateException("cannot open the benchmark's spool: " + e.getMessage(), e);
            }
        } finally {
            registry.close();
        }
        long raw = endOffsetSum(kafka.bootstrapServers(), Topics.RAW);
        return new Result(o, env, baselineSettings, effective(ingressSettings), List.copyOf(rounds), sent, ok, raw);
    }

    /** Records for about {@code seconds} at {@code rate} per second; at least 100. */
    private static int count(double rate, double seconds) {
        return (int) Math.max(100, Math.min(Integer.MAX_VALUE / 8, Math.round(rate * seconds)));
    }

    /** Topic of the bare Undertow floor, beside the other two with the same layout. */
    public static final String FLOOR_TOPIC = "labhooks.bench.floor";

    /** The bare Undertow floor in process and a load client of its own with the same connections and bodies. */
    private static final class FloorSide implements AutoCloseable {
        final io.labhooks.peers.floor.UndertowFloor.Running server;
        final LoadClient client;

        private FloorSide(io.labhooks.peers.floor.UndertowFloor.Running server, LoadClient client) {
            this.server = server;
            this.client = client;
        }

        static FloorSide start(String bootstrap, Options o) {
            io.labhooks.peers.floor.UndertowFloor.Running s = io.labhooks.peers.floor.UndertowFloor.start(bootstrap, "127.0.0.1", 0, FLOOR_TOPIC);
            try {
                return new FloorSide(s, new LoadClient(new InetSocketAddress("127.0.0.1", s.port()), "/hooks/" + SOURCE, Map.of(),
                        new Payloads(o.bodyBytes()), o.concurrency(), o.rate(), Duration.ofSeconds(30)));
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                client.close();
            } finally {
                server.close();
            }
        }
    }

    /** One measured run of the floor, after the broker's logs settled. */
    private static IngressRun floorRound(FloorSide floor, EmbeddedKafka kafka, int round, int rounds, int requests)
            throws InterruptedException {
        settle(kafka);
        LOG.info("round {}/{}: bare Undertow floor, {} requests", round, rounds, requests);
        return IngressRun.of(floor.client.run(0, requests), Optional.empty());
    }

    /** The segment size of the benchmark's topics. */
    static final int SEGMENT_BYTES = 128 << 20;

    /**
     * Before each measured run: drop the records written so far (their count is already taken, and the end offsets
     * that the last check reads stay where they are), so that the disk holds one run's records rather than every
     * run's; flush the broker's log files to disk, so that no run starts behind the kernel's write-back of the
     * previous run's gigabytes (without this the first round's baseline was regularly the slowest); then a GC, so
     * that neither side pays for the other's garbage.
     */
    private static void settle(EmbeddedKafka kafka) {
        long start = System.nanoTime();
        dropRecords(kafka.bootstrapServers(), List.of(Topics.RAW, PERF_TOPIC, FLOOR_TOPIC));
        try (Stream<Path> files = Files.walk(kafka.dataDir())) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.force(false);
                } catch (NoSuchFileException e) {
                    LOG.debug("{} went away before it was flushed", f);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not flush the broker's log files before a measured run: {}", e.toString());
        }
        System.gc();
        LOG.debug("settled in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** The config {@code labhooks ingress} would load: production defaults, one bearer source, the embedded broker. */
    static LabhooksConfig config(String bootstrap, Path spool, Options o, String token) {
        String yaml = String.join("\n",
                "kafka:",
                "  bootstrap-servers: \"" + bootstrap + "\"",
                "  properties: {" + o.kafkaProperties().entrySet().stream()
                        .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"").collect(Collectors.joining(", ")) + "}",
                "topics: {partitions: " + o.partitions() + ", replication-factor: 1}",
                "ingress:",
                "  host: 127.0.0.1",
                "  port: 0",
                "  spool: {dir: \"" + spool.toString().replace("\\", "/") + "\"}",
                "sources:",
                "  - {id: " + SOURCE + ", vendor: flabs, auth: {type: bearer, tokens: [\"" + token + "\"]}}",
                "");
        return ConfigLoader.parse(yaml, "benchmark config", Map.of());
    }

    /** The ingress's own producer settings that also apply to ProducerPerformance (no serializers, no timeouts). */
    static Map<String, String> sharedProducerSettings(LabhooksConfig cfg) {
        Map<String, Object> ingress = KafkaRawPublisher.producerConfig(cfg.kafka(), cfg.largestBodyLimit(), cfg.ingress().ackTimeout());
        return ingress.entrySet().stream()
                .filter(e -> ProducerPerf.SHARED_SETTINGS.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue()), (a, b) -> b, TreeMap::new));
    }

    /** The shared settings with Kafka's defaults filled in for those not given. */
    static Map<String, String> effective(Map<String, String> given) {
        Map<String, Object> defaults = ProducerConfig.configDef().defaultValues();
        Map<String, String> out = new TreeMap<>();
        for (String key : ProducerPerf.SHARED_SETTINGS) {
            Object v = given.containsKey(key) ? given.get(key) : defaults.get(key);
            if (v != null) {
                out.put(key, String.valueOf(v));
            }
        }
        return out;
    }

    /** Deletes every record of {@code topics} up to their end offsets (the broker then deletes the closed segments). */
    static void dropRecords(String bootstrap, List<String> topics) {
        try (Admin admin = admin(bootstrap, "bench-drop")) {
            Map<TopicPartition, RecordsToDelete> drop = new HashMap<>();
            endOffsets(admin, topics).forEach((tp, end) -> drop.put(tp, RecordsToDelete.beforeOffset(end)));
            admin.deleteRecords(drop).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot drop the records of " + topics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted dropping the records of " + topics, e);
        }
    }

    /** Records in a topic: the sum of its partitions' end offsets (no transactions write to it). */
    static long endOffsetSum(String bootstrap, String topic) {
        try (Admin admin = admin(bootstrap, "bench-offsets")) {
            return endOffsets(admin, List.of(topic)).values().stream().mapToLong(Long::longValue).sum();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the end offsets of " + topic, e);
        }
    }

    private static Admin admin(String bootstrap, String clientId) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, AdminClientConfig.CLIENT_ID_CONFIG, clientId));
    }

    /** The end offset of every partition of {@code topics}. */
    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, d) -> d.partitions()
                .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the temporary spool dir {}: {}", root, e.toString());
        }
    }
}
