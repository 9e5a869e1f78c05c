package io.labhooks.cli;

import io.labhooks.bench.stage.StageOptions;
import io.labhooks.bench.stage.StageReport;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SinkConfig;
import io.labhooks.config.TopicsConfig;
import io.labhooks.config.Vendor;
import io.labhooks.runtime.MetricNames;
import io.labhooks.sink.db.SqliteDialect;
import io.labhooks.testkit.sim.Credentials;
import io.labhooks.testkit.sim.Delivery;
import io.labhooks.testkit.sim.DeliveryPolicy;
import io.labhooks.testkit.sim.Report;
import io.labhooks.testkit.sim.Scenario;
import io.labhooks.testkit.sim.Simulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code labhooks bench e2e}: a fixed rate of mixed-vendor deliveries (CoreOne, Confident, Flabs, LML, a quarter
 * each, with their own credentials, through the delivery simulator) into the whole pipeline of
 * {@code labhooks local} ({@link LocalPipeline}: embedded broker, ingress, normalizer, SQLite sink, or the warehouse of
 * {@code --jdbc-url}) for a warm-up (discarded) and then {@code --duration}. Reports the rate held over the rate offered (the ratio),
 * receipt-to-warehouse p50/p99/p99.9 from {@code labhooks_pipeline_latency_seconds} (bucket upper bounds, over
 * the measured deliveries only), and the consumer lag of the normalizer and the sink when the load ends.
 */
final class EndToEndBench {
    private static final Logger LOG = LoggerFactory.getLogger(EndToEndBench.class);
    /** What a prebuilt delivery takes of the heap, on average over the four vendors (for the prebuild's limit). */
    static final long PREBUILT_BYTES_PER_DELIVERY = 10_000;
    private static final List<Vendor> VENDORS = List.of(Vendor.COREONE, Vendor.CONFIDENT, Vendor.FLABS, Vendor.LML);
    /** The built-in config's development credentials (cli-dev's labhooks-local.yaml). */
    private static final Map<Vendor, String> SECRETS = Map.of(Vendor.COREONE, "dev-coreone-secret",
            Vendor.CONFIDENT, "dev-confident-token", Vendor.FLABS, "dev-flabs-token", Vendor.LML, "dev-lml-token");
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private EndToEndBench() {
    }

    /** Outcome of one load phase. */
    record Phase(long offered, long acknowledged, long sent, double seconds, double clientP50Ms, double clientP99Ms) {
        double heldRate() {
            return acknowledged / seconds;
        }
    }

    /**
     * @param rate       offered deliveries per second in total (0: 500/s)
     * @param maxWarmUp  the longest warm-up: it ends before that once the JIT has settled (see {@link WarmUp})
     * @param jdbcUrl    the warehouse, or empty for SQLite in the run's temporary folder (as {@code labhooks local})
     * @param burst      0 for the fixed rate; else, after the warm-up, that many full Confident samples at once
     *                   ({@link BurstBench}) instead of {@code --duration} at the rate
     */
    static StageReport run(StageOptions o, Duration maxWarmUp, Optional<String> jdbcUrl, int burst) throws Exception {
        double rate = o.rate() > 0 ? o.rate() : 500;
        double seconds = o.duration().toNanos() / 1e9;
        double maxWarmSeconds = maxWarmUp.toNanos() / 1e9;
        // at least a third of --duration, 1-30 s (never more than the longest warm-up asked for)
        double minWarmSeconds = Math.min(maxWarmSeconds, Math.max(1, Math.min(30, seconds / 3)));
        Path dataDir = Files.createTempDirectory("labhooks-e2e-bench-");
        try {
            LabhooksConfig builtIn = LocalPipelines.builtInConfig();
            SinkConfig s = builtIn.sink();
            SinkConfig sink = jdbcUrl.map(url -> new SinkConfig(url, s.username(), s.password(), s.groupId(), s.batchSize(),
                    s.pollTimeout())).orElse(s);
            LabhooksConfig cfg = new LabhooksConfig(builtIn.kafka(), new TopicsConfig(o.partitions(), (short) 1), builtIn.ingress(),
                    builtIn.sources(), builtIn.normalizer(), sink);
            AtomicReference<String> fatal = new AtomicReference<>();
            try (LocalPipeline p = new LocalPipeline(cfg, dataDir, 0, 0, jdbcUrl.isPresent(),
                    () -> fatal.compareAndSet(null, "the normalizer or the sink failed"));
                 Lag lag = new Lag(p)) {
                URI base = URI.create("http://127.0.0.1:" + p.port() + "/hooks/");
                WarmUp warm;
                try (Progress ignored = Progress.every(PROGRESS_EVERY, p, lag, "warm-up")) {
                    warm = WarmUp.run(minWarmSeconds, maxWarmSeconds, chunk -> load(base, rate, chunk, o.concurrency(), "w"));
                }
                drain(lag, fatal);
                String warehouse = p.config.sink().redactedUrl().startsWith("jdbc:sqlite:") ? "SQLite" : "PostgreSQL";
                if (burst > 0) {
                    BurstBench.Drain d = BurstBench.run(p, lag, burst, o.concurrency(), fatal);
                    return BurstBench.report(d, warm, o.concurrency(), o.partitions(), warehouse);
                }
                Buckets before = Buckets.take(p.registry());
                LOG.info("measured: {} deliveries/s for {} s", rate, seconds);
                JitClock jit = JitClock.start();
                Phase m;
                try (Progress ignored = Progress.every(PROGRESS_EVERY, p, lag, "measured")) {
                    m = load(base, rate, seconds, o.concurrency(), "m");
                }
                double jitMeasured = jit.shareOfOneCore();
                long lagNormalizer = lag.normalizer();
                long lagSink = lag.sink();
                double drainSeconds = drain(lag, fatal);
                Buckets after = Buckets.take(p.registry());
                if (fatal.get() != null) {
                    throw new IllegalStateException(fatal.get());
                }
                Buckets delta = after.minus(before);
                double ratio = Math.min(m.heldRate(), m.offered() / seconds) / rate;
                StageReport r = new StageReport("e2e", "deliveries acknowledged per second / deliveries offered per second "
                        + "(fixed rate, mixed vendors, through labhooks local's pipeline)",
                        List.of("offered/s", "held/s", "deliveries", "acknowledged", "requests", "seconds",
                                "client p50 ms", "client p99 ms", "e2e events", "e2e p50 ms", "e2e p99 ms", "e2e p999 ms",
                                "lag normalizer", "lag sink", "drain s", "warm-up s", "JIT % warm-up end", "JIT % measured"));
                r.row(rate, m.heldRate(), m.offered(), m.acknowledged(), m.sent(), m.seconds(), m.clientP50Ms(), m.clientP99Ms(),
                        delta.count(), delta.quantileMs(0.50), delta.quantileMs(0.99), delta.quantileMs(0.999), lagNormalizer, lagSink,
                        drainSeconds, warm.seconds(), 100 * warm.lastJitShare(), 100 * jitMeasured);
                r.parameter("rate", rate).parameter("duration_s", seconds).parameter("warmup_s", warm.seconds())
                        .parameter("warmup_max_s", maxWarmSeconds).parameter("warmup_jit_settled", warm.settled())
                        .parameter("concurrency", o.concurrency()).parameter("partitions", o.partitions())
                        .parameter("vendors", VENDORS.stream().map(Vendor::id).toList())
                        .parameter("warehouse", warehouse)
                        .parameter("sqlite_page_size", SqliteDialect.PAGE_SIZE);
                r.figure("e2e p99 ms", delta.quantileMs(0.99));
                r.note("e2e = labhooks_pipeline_latency_seconds (ingress receipt to warehouse commit), bucket upper bounds, "
                        + "over the events committed after the warm-up; lag = records not yet committed by the normalizer's "
                        + "and the sink's consumer groups when the load ended (the drain then waited for 0).");
                r.note("JIT % = the JIT compilers' time over the phase's wall time, in % of one core (the whole JVM: pipeline, "
                        + "broker and client). The warm-up ran until that was under " + Math.round(100 * WarmUp.SETTLED_SHARE)
                        + "% over " + Math.round(WarmUp.CHUNK_SECONDS) + " s of load, or for the longest warm-up (--warmup).");
                r.note("Goal: e2e p99 < 1000 ms at 500/s.");
                return r.ratio(ratio);
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /** One warm-up load of about the given seconds. */
    @FunctionalInterface
    interface Load {
        Phase run(double seconds) throws Exception;
    }

    /**
     * The discarded warm-up: load in chunks of {@link #CHUNK_SECONDS} until at least {@code minSeconds} have passed and the
     * JIT compiled for less than {@link #SETTLED_SHARE} of one core over the last chunk, or until {@code maxSeconds}.
     * Every stage, the broker and the client run in this JVM: at 500/s on two cores the JIT compiled on a whole core for
     * about two minutes, so a fixed 30 s warm-up measured a pipeline running profiled code and short of a core.
     *
     * @param seconds      how long the warm-up load ran
     * @param lastJitShare the JIT's share of one core over the last chunk
     * @param settled      whether it ended because the JIT settled (else at {@code maxSeconds})
     */
    record WarmUp(double seconds, double lastJitShare, boolean settled) {
        static final double CHUNK_SECONDS = 15;
        static final double SETTLED_SHARE = 0.10;

        static WarmUp run(double minSeconds, double maxSeconds, Load load) throws Exception {
            return run(minSeconds, maxSeconds, load, JitClock.SYSTEM);
        }

        static WarmUp run(double minSeconds, double maxSeconds, Load load, JitClock.Source source) throws Exception {
            long t0 = source.nanos();
            double elapsed = 0;
            double share = Double.NaN;
            while (elapsed < maxSeconds) {
                double chunk = Math.min(maxSeconds - elapsed, Math.max(CHUNK_SECONDS, minSeconds - elapsed));
                LOG.info("warm-up (discarded): {} s of load, then the JIT's share is checked ({} s so far, longest {} s)",
                        Math.round(chunk), Math.round(elapsed), Math.round(maxSeconds));
                JitClock jit = JitClock.start(source);
                load.run(chunk);
                share = jit.shareOfOneCore();
                elapsed = (source.nanos() - t0) / 1e9;
                LOG.info("warm-up: {} s; the JIT compiled for {}% of one core over the last {} s", Math.round(elapsed),
                        Math.round(100 * share), Math.round(jit.seconds()));
                if (elapsed >= minSeconds && share < SETTLED_SHARE) {
                    return new WarmUp(elapsed, share, true);
                }
            }
            if (maxSeconds > 0) {
                LOG.info("warm-up: ended at the longest warm-up ({} s) with the JIT at {}% of one core", Math.round(maxSeconds),
                        Math.round(100 * share));
            }
            return new WarmUp(elapsed, share, false);
        }
    }

    /** The JIT compilers' time since {@link #start}, from the JVM's {@link CompilationMXBean}. */
    record JitClock(Source source, long startNanos, long startCompileMs) {
        /** Wall time and the JIT's total compile time (ms; negative if the JVM does not measure it). */
        interface Source {
            long nanos();

            long compileMs();
        }

        static final Source SYSTEM = new Source() {
            @Override
            public long nanos() {
                return System.nanoTime();
            }

            @Override
            public long compileMs() {
                CompilationMXBean c = ManagementFactory.getCompilationMXBean();
                return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
            }
        };

        static JitClock start() {
            return start(SYSTEM);
        }

        static JitClock start(Source source) {
            return new JitClock(source, source.nanos(), source.compileMs());
        }

        double seconds() {
            return (source.nanos() - startNanos) / 1e9;
        }

        /** Compile time over wall time since the start: 1.0 is one core compiling all the time; NaN if not known. */
        double shareOfOneCore() {
            long now = source.compileMs();
            double wall = seconds();
            return now < 0 || startCompileMs < 0 || wall <= 0 ? Double.NaN : (now - startCompileMs) / 1e3 / wall;
        }
    }

    /**
     * A quarter of the rate per vendor, each its own simulator, all at once; about {@code seconds} long. Every vendor's
     * deliveries (the bodies included) are built before the clock starts, so that the client's own preparation neither
     * delays the later vendors' start nor takes CPU from the pipeline while it is measured.
     */
    private static Phase load(URI base, double rate, double seconds, int concurrency, String phase) throws Exception {
        double vendorRate = rate / VENDORS.size();
        // about 10 KB a delivery over the four vendors (a quarter are ~35 KB Confident panels); held in the heap
        boolean prebuild = (long) (rate * seconds) * PREBUILT_BYTES_PER_DELIVERY < Runtime.getRuntime().maxMemory() / 3;
        if (!prebuild) {
            LOG.warn("{}: the deliveries of {} s at {}/s would take over a third of the heap: their bodies are made as they are "
                    + "sent, on the client's threads (the client then takes CPU from the pipeline while it is measured)", phase,
                    Math.round(seconds), rate);
        }
        List<List<Delivery>> scenarios = new ArrayList<>();
        long offered = 0;
        int perVendor = (int) Math.max(1, Math.round(vendorRate * seconds));
        for (Vendor v : VENDORS) {
            List<Delivery> deliveries = deliveries(v, perVendor, phase);
            scenarios.add(prebuild ? List.copyOf(deliveries) : deliveries); // a scenario makes a body when it is read
            offered += deliveries.size();
        }
        ExecutorService pool = Executors.newFixedThreadPool(VENDORS.size());
        try {
            List<Future<Report>> runs = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < VENDORS.size(); i++) {
                Vendor v = VENDORS.get(i);
                List<Delivery> s = scenarios.get(i);
                Simulator sim = Simulator.builder(base.resolve(v.id())).credentials(Credentials.forVendor(v, SECRETS.get(v)))
                        .policy(DeliveryPolicy.forVendor(v)).rate(vendorRate).concurrency(Math.max(1, concurrency / VENDORS.size()))
                        .build();
                runs.add(pool.submit(() -> {
                    try (sim) {
                        return sim.run(s);
                    }
                }));
            }
            long ack = 0;
            long sent = 0;
            double p50 = 0;
            double p99 = 0;
            for (Future<Report> f : runs) {
                Report rep = f.get();
                ack += rep.acknowledged();
                sent += rep.sent();
                p50 = Math.max(p50, rep.latencyP50Millis());
                p99 = Math.max(p99, rep.latencyP99Millis());
            }
            return new Phase(offered, ack, sent, (System.nanoTime() - t0) / 1e9, p50, p99);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The first {@code n} deliveries of a scenario of {@code vendor} with enough entities: each vendor sends exactly
     * its quarter of the rate for the whole phase. (Whole lifecycles made the vendors' counts differ from rate times
     * duration by as much as a sixth, as an entity's deliveries vary; the vendors then finished seconds apart, and for
     * those seconds fewer than four sent.) The entities the cut leaves unfinished are simply not finished.
     */
    static List<Delivery> deliveries(Vendor vendor, int n, String phase) {
        int perEntity = Math.max(1, Scenario.build(Scenario.Options.of(vendor).withCount(1).withRevisions(1)).size());
        int count = Math.max(1, n / perEntity + 1);
        String prefix = "b" + phase + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + vendor.id().charAt(0);
        while (true) {
            Scenario s = Scenario.build(Scenario.Options.of(vendor).withCount(count).withRevisions(1).withIdPrefix(prefix));
            if (s.size() >= n) {
                return s.deliveries().subList(0, n);
            }
            count = count * 2;
        }
    }

    /**
     * Logs, every {@code period} while a phase runs, the events committed to the warehouse so far and the consumer lag of the
     * normalizer and the sink, so that a long run shows its progress and which stage falls behind, and when.
     */
    static final class Progress implements AutoCloseable {
        private final ScheduledExecutorService timer;

        private Progress(ScheduledExecutorService timer) {
            this.timer = timer;
        }

        static Progress every(Duration period, LocalPipeline p, Lag lag, String phase) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-e2e-progress");
                t.setDaemon(true);
                return t;
            });
            long t0 = System.nanoTime();
            long committed0 = Buckets.take(p.registry()).count();
            timer.scheduleAtFixedRate(() -> {
                try {
                    LOG.info("{}: {} s, {} events committed to the warehouse, lag normalizer {}, lag sink {}", phase,
                            Math.round((System.nanoTime() - t0) / 1e9), Buckets.take(p.registry()).count() - committed0,
                            lag.normalizer(), lag.sink());
                } catch (RuntimeException e) {
                    if (!Thread.currentThread().isInterrupted()) { // else: closed while it read the lag
                        LOG.warn("{}: cannot read the progress: {}", phase, e.toString());
                    }
                }
            }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
            return new Progress(timer);
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            if (!timer.awaitTermination(35, TimeUnit.SECONDS)) {
                LOG.warn("the progress log did not stop within 35 s");
            }
        }
    }

    /** Waits until both consumer groups have committed everything; returns the seconds it took. */
    private static double drain(Lag lag, AtomicReference<String> fatal) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + DRAIN_TIMEOUT.toNanos();
        while (lag.normalizer() + lag.sink() > 0) {
            if (fatal.get() != null) {
                throw new IllegalStateException(fatal.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pipeline did not drain within " + DRAIN_TIMEOUT);
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The consumer lag of the normalizer's and the sink's groups, read over one admin client for the whole run. */
    static final class Lag implements AutoCloseable {
        private final LocalPipeline p;
        private final Admin admin;

        Lag(LocalPipeline p) {
            this.p = p;
            this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, p.kafka.bootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG, "bench-e2e-lag"));
        }

        long normalizer() {
            return of(p.config.normalizer().applicationId());
        }

        long sink() {
            return of(p.config.sink().groupId());
        }

        /** Records not committed by {@code group}: the sum over its committed partitions of end offset minus committed offset. */
        long of(String group) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                if (committed.isEmpty()) {
                    return 0;
                }
                Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                long lag = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                    if (e.getValue() != null && ends.containsKey(e.getKey())) {
                        // a transaction's commit marker takes one offset after the last record, so a drained group can sit one behind
                        lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset() - 1);
                    }
                }
                return lag;
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot read the lag of consumer group " + group, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted reading the lag of consumer group " + group, e);
            }
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(10));
        }
    }

    /** The pipeline latency histograms of all vendors summed (they share one bucket layout). */
    record Buckets(long count, double[] boundsNanos, double[] cumulative) {
        static Buckets take(MeterRegistry registry) {
            long count = 0;
            double[] bounds = new double[0];
            double[] cum = new double[0];
            for (Timer t : registry.find(MetricNames.PIPELINE_LATENCY).timers()) {
                HistogramSnapshot s = t.takeSnapshot();
                CountAtBucket[] b = s.histogramCounts();
                if (bounds.length == 0) {
                    bounds = new double[b.length];
                    cum = new double[b.length];
                    for (int i = 0; i < b.length; i++) {
                        bounds[i] = b[i].bucket(TimeUnit.NANOSECONDS);
                    }
                } else if (b.length != bounds.length) {
                    throw new IllegalStateException("pipeline latency timers with different bucket layouts");
                }
                for (int i = 0; i < b.length; i++) {
                    cum[i] += b[i].count();
                }
                count += s.count();
            }
            return new Buckets(count, bounds, cum);
        }

        Buckets minus(Buckets earlier) {
            if (earlier.boundsNanos.length == 0) {
                return this;
            }
            double[] d = cumulative.clone();
            for (int i = 0; i < d.length; i++) {
                d[i] -= earlier.cumulative[i];
            }
            return new Buckets(count - earlier.count, boundsNanos, d);
        }

        /** The bucket upper bound holding quantile {@code q}, in ms; NaN without samples. */
        double quantileMs(double q) {
            if (count <= 0) {
                return Double.NaN;
            }
            double rank = Math.ceil(q * count);
            for (int i = 0; i < boundsNanos.length; i++) {
                if (cumulative[i] >= rank) {
                    return boundsNanos[i] / 1e6;
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
