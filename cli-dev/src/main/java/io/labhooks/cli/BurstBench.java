package io.labhooks.cli;

import io.labhooks.bench.stage.StageReport;
import io.labhooks.config.Vendor;
import io.labhooks.runtime.MetricNames;
import io.labhooks.testkit.sim.Credentials;
import io.labhooks.testkit.sim.Delivery;
import io.labhooks.testkit.sim.DeliveryPolicy;
import io.labhooks.testkit.sim.Report;
import io.labhooks.testkit.sim.Scenario;
import io.labhooks.testkit.sim.Simulator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backlog drain of {@code bench e2e --burst N}: N full Confident samples sent at once into the warmed-up pipeline of
 * {@code labhooks local}, and when each stage was done with them: the ingress (every delivery acknowledged), the
 * normalizer (its group caught up on the raw topic) and the sink (its group caught up and N more events committed to
 * the warehouse). The CPU each stage's threads took during the drain shows which one the others waited for.
 */
final class BurstBench {
    private static final Logger LOG = LoggerFactory.getLogger(BurstBench.class);
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    static final Duration POLL = Duration.ofMillis(100);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    private BurstBench() {
    }

    /** The parts of the JVM whose threads' CPU is reported apart, by thread name ({@link #of}). */
    enum Part {
        INGRESS, NORMALIZER, SINK, CLIENT, BROKER_AND_OTHER;

        /**
         * The part a thread belongs to, by the names the pipeline gives its threads: Undertow's {@code XNIO-*} and the
         * ingress's producer, workers, spool and probe; the Streams threads and their producers ({@code labhooks-normalizer-*}); the
         * sink's writer and decoder ({@code labhooks-sink*}); the simulator's ({@code labhooks-send*}) and the JDK HTTP
         * client's ({@code HttpClient-*}); everything else (the broker, admin clients, timers) apart.
         */
        static Part of(String threadName) {
            String n = threadName.toLowerCase(Locale.ROOT);
            if (n.startsWith("xnio-") || n.contains("labhooks-ingress") || n.startsWith("labhooks-spool") || n.startsWith("labhooks-kafka-probe")) {
                return INGRESS;
            }
            if (n.contains("labhooks-normalizer")) {
                return NORMALIZER;
            }
            if (n.startsWith("labhooks-sink")) {
                return SINK;
            }
            if (n.startsWith("labhooks-send") || n.startsWith("httpclient-")) {
                return CLIENT;
            }
            return BROKER_AND_OTHER;
        }

        String column() {
            return name().toLowerCase(Locale.ROOT).replace("_and_", "+").replace('_', ' ') + " CPU s";
        }
    }

    /** CPU seconds of the live threads of this JVM by {@link Part}, and the JIT's and the collectors' time. */
    record Cpu(Map<Long, Long> byThread, Map<Long, Part> parts, long jitMs, long gcMs) {
        static Cpu take() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Map<Long, Long> cpu = new HashMap<>();
            Map<Long, Part> parts = new HashMap<>();
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t == null) {
                    continue; // ended since the ids were read
                }
                long ns = threads.getThreadCpuTime(t.getThreadId());
                if (ns >= 0) {
                    cpu.put(t.getThreadId(), ns);
                    parts.put(t.getThreadId(), Part.of(t.getThreadName()));
                }
            }
            long gc = 0;
            for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
                gc += Math.max(0, g.getCollectionTime());
            }
            var compiler = ManagementFactory.getCompilationMXBean();
            long jit = compiler != null && compiler.isCompilationTimeMonitoringSupported() ? compiler.getTotalCompilationTime() : 0;
            return new Cpu(cpu, parts, jit, gc);
        }

        /** Seconds of CPU per part since {@code earlier} (threads that started since count from 0; threads that ended are lost). */
        Map<Part, Double> since(Cpu earlier) {
            Map<Part, Double> out = new EnumMap<>(Part.class);
            for (Part p : Part.values()) {
                out.put(p, 0.0);
            }
            byThread.forEach((id, ns) -> out.merge(parts.get(id), (ns - earlier.byThread.getOrDefault(id, 0L)) / 1e9, Double::sum));
            return out;
        }
    }

    /** Seconds from the burst's start until each stage was done with it, and the CPU each part took meanwhile. */
    record Drain(int samples, long bytes, long acknowledged, double ackSeconds, double normalizedSeconds, double warehouseSeconds,
                 Map<Part, Double> cpuSeconds, double jitSeconds, double gcSeconds) {
        /** The stage that finished last, and by how much after the one before it. */
        String slowest() {
            if (warehouseSeconds - normalizedSeconds >= normalizedSeconds - ackSeconds) {
                return String.format(Locale.ROOT, "sink (+%.1f s after the normalizer)", warehouseSeconds - normalizedSeconds);
            }
            return String.format(Locale.ROOT, "normalizer (+%.1f s after the ingress)", normalizedSeconds - ackSeconds);
        }
    }

    /**
     * Sends {@code samples} full Confident panels (built before the clock starts) at once with {@code concurrency}
     * requests in flight, and waits until the warehouse has them all.
     */
    static Drain run(LocalPipeline p, EndToEndBench.Lag lag, int samples, int concurrency, AtomicReference<String> fatal)
            throws Exception {
        Scenario s = Scenario.build(Scenario.Options.of(Vendor.CONFIDENT).withCount(samples).withRevisions(1)
                .withIdPrefix("burst" + Long.toString(System.nanoTime() % 1_000_000_000L, 36)));
        List<Delivery> deliveries = List.copyOf(s.deliveries()); // the bodies are made lazily: make them before the clock
        long bytes = deliveries.stream().mapToLong(d -> d.body().length).sum();
        LOG.info("burst: {} full Confident samples ({} MB) at once, {} in flight", deliveries.size(), bytes / 1_000_000,
                concurrency);
        MeterRegistry registry = p.registry();
        long committed0 = EndToEndBench.Buckets.take(registry).count();
        double acked0 = acknowledged(registry);
        Simulator sim = Simulator.builder(URI.create("http://127.0.0.1:" + p.port() + "/hooks/confident"))
                .credentials(Credentials.forVendor(Vendor.CONFIDENT, "dev-confident-token"))
                .policy(DeliveryPolicy.forVendor(Vendor.CONFIDENT)).concurrency(concurrency).build();
        ExecutorService client = Executors.newSingleThreadExecutor(r -> new Thread(r, "labhooks-send-burst"));
        try (sim) {
            Cpu cpu0 = Cpu.take();
            long t0 = System.nanoTime();
            Future<Report> sent = client.submit(() -> sim.run(deliveries));
            double ackAt = Double.NaN;
            double normalizedAt = Double.NaN;
            double warehouseAt;
            long acknowledged = 0;
            long nextLog = t0 + PROGRESS_EVERY.toNanos();
            while (true) {
                if (fatal.get() != null) {
                    throw new IllegalStateException(fatal.get());
                }
                long now = System.nanoTime();
                double t = (now - t0) / 1e9;
                if (now - t0 > TIMEOUT.toNanos()) {
                    throw new IllegalStateException("the burst did not reach the warehouse within " + TIMEOUT);
                }
                if (Double.isNaN(ackAt) && sent.isDone()) {
                    Report r = sent.get();
                    acknowledged = r.acknowledged();
                    if (acknowledged < samples) {
                        throw new IllegalStateException("the ingress acknowledged " + acknowledged + " of " + samples
                                + " deliveries: " + r.failuresText());
                    }
                    ackAt = t;
                }
                long committed = EndToEndBench.Buckets.take(registry).count() - committed0;
                long lagNormalizer = lag.normalizer();
                if (!Double.isNaN(ackAt) && Double.isNaN(normalizedAt) && lagNormalizer == 0) {
                    normalizedAt = t;
                }
                if (!Double.isNaN(normalizedAt) && committed >= samples && lag.sink() == 0) {
                    warehouseAt = t;
                    break;
                }
                if (now >= nextLog) {
                    LOG.info("burst: {} s, {} acknowledged, lag normalizer {}, {} committed to the warehouse",
                            Math.round(t), Math.round(acknowledged(registry) - acked0), lagNormalizer, committed);
                    nextLog += PROGRESS_EVERY.toNanos();
                }
                Thread.sleep(POLL.toMillis());
            }
            Cpu cpu1 = Cpu.take();
            Drain d = new Drain(samples, bytes, acknowledged, ackAt, normalizedAt, warehouseAt, cpu1.since(cpu0),
                    (cpu1.jitMs - cpu0.jitMs) / 1e3, (cpu1.gcMs - cpu0.gcMs) / 1e3);
            LOG.info("burst: acknowledged after {} s, normalized after {} s, in the warehouse after {} s", round(ackAt),
                    round(normalizedAt), round(warehouseAt));
            return d;
        } finally {
            client.shutdownNow();
            if (!client.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the burst's client thread did not stop within 30 s");
            }
        }
    }

    private static double acknowledged(MeterRegistry registry) {
        return registry.find(MetricNames.INGRESS_REQUESTS).tag(MetricNames.TAG_CODE, "200").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }

    /** The e2e report of a burst; ratio = the warehouse's samples per second / the ingress's (1: no stage after it held it up). */
    static StageReport report(Drain d, EndToEndBench.WarmUp warm, int concurrency, int partitions, String warehouse) {
        List<String> columns = new java.util.ArrayList<>(List.of("samples", "MB", "acknowledged", "ingress s", "normalizer s",
                "warehouse s", "ingress samples/s", "normalizer samples/s", "warehouse samples/s"));
        for (Part p : Part.values()) {
            columns.add(p.column());
        }
        columns.addAll(List.of("JIT s", "GC s", "warm-up s", "last stage"));
        StageReport r = new StageReport("e2e", "samples per second into the warehouse / samples per second acknowledged by the "
                + "ingress (a burst of full Confident samples at once, through labhooks local's pipeline)", columns);
        List<Object> row = new java.util.ArrayList<>(List.of(d.samples(), d.bytes() / 1e6, d.acknowledged(), d.ackSeconds(),
                d.normalizedSeconds(), d.warehouseSeconds(), d.samples() / d.ackSeconds(), d.samples() / d.normalizedSeconds(),
                d.samples() / d.warehouseSeconds()));
        for (Part p : Part.values()) {
            row.add(d.cpuSeconds().get(p));
        }
        row.addAll(List.of(d.jitSeconds(), d.gcSeconds(), warm.seconds(), d.slowest()));
        r.row(row.toArray());
        r.parameter("scenario", "burst").parameter("samples", d.samples()).parameter("concurrency", concurrency)
                .parameter("partitions", partitions).parameter("warehouse", warehouse).parameter("warmup_s", warm.seconds())
                .parameter("warmup_jit_settled", warm.settled());
        r.figure("warehouse samples/s", d.samples() / d.warehouseSeconds());
        r.note("Seconds from the first request of the burst: ingress = every delivery acknowledged (200); normalizer = its "
                + "group caught up on the raw topic; warehouse = the sink's group caught up and as many events committed "
                + "(labhooks_pipeline_latency_seconds' count) as samples sent.");
        r.note("CPU s = the CPU time of each part's threads over the drain, by thread name (ingress: XNIO and its producer; "
                + "normalizer: the stream threads and their producers; sink: its writer and decoder; client: the simulator and "
                + "the JDK HTTP client; broker+other: the embedded broker and the rest). JIT s = compile time, GC s = "
                + "collection time (both wall time of their own threads). Two cores give 2 CPU s per second of drain.");
        return r.ratio(d.ackSeconds() / d.warehouseSeconds());
    }
}
