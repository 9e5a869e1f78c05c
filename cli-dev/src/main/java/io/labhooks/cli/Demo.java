package io.labhooks.cli;

import io.labhooks.config.Vendor;
import io.labhooks.runtime.MetricNames;
import io.labhooks.testkit.sim.Credentials;
import io.labhooks.testkit.sim.Report;
import io.labhooks.testkit.sim.Scenario;
import io.labhooks.testkit.sim.Simulator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code labhooks local --demo}: the simulator for all four vendors at a gentle rate, round after round with new
 * ids, against the local ingress, with a progress line on the console: deliveries sent and acknowledged, events,
 * warehouse rows.
 */
final class Demo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
    static final Map<Vendor, String> DEV_CREDENTIALS = Map.of(Vendor.CONFIDENT, "dev-confident-token",
            Vendor.FLABS, "dev-flabs-token", Vendor.LML, "dev-lml-token", Vendor.COREONE, "dev-coreone-secret");

    private final ExecutorService senders;
    private final ScheduledExecutorService progress;
    private final Map<Vendor, Report> lastReports = new ConcurrentHashMap<>();
    private final Map<Vendor, long[]> totals = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    Demo(int port, double ratePerVendor, MeterRegistry registry, PrintWriter out) {
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(4, r -> daemon(r, "labhooks-demo-" + n.incrementAndGet()));
        this.progress = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "labhooks-demo-progress"));
        for (Vendor v : List.of(Vendor.CONFIDENT, Vendor.FLABS, Vendor.LML, Vendor.COREONE)) {
            totals.put(v, new long[2]);
            senders.submit(() -> rounds(v, port, ratePerVendor));
        }
        progress.scheduleAtFixedRate(() -> out.println(line(registry)), 5, 5, TimeUnit.SECONDS);
        out.println("demo: sending deliveries from all four vendors at about " + ratePerVendor + "/s each");
        out.flush();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void rounds(Vendor vendor, int port, double rate) {
        URI url = URI.create("http://127.0.0.1:" + port + "/hooks/" + vendor.id());
        long round = 0;
        try (Simulator sim = Simulator.builder(url).credentials(Credentials.forVendor(vendor, DEV_CREDENTIALS.get(vendor)))
                .rate(rate).concurrency(2).progress(Duration.ofSeconds(1), r -> lastReports.put(vendor, r)).build()) {
            while (!stopped && !Thread.currentThread().isInterrupted()) {
                round++;
                Scenario s = Scenario.build(Scenario.Options.of(vendor).withCount(vendor == Vendor.COREONE ? 1 : 3)
                        .withRevisions(2).withDuplicates(0.2).withShuffle(true).withSeed(System.nanoTime())
                        .withIdPrefix("demo" + ProcessHandle.current().pid() + "r" + round + "-"));
                Report r = sim.run(s);
                long[] t = totals.get(vendor);
                synchronized (t) {
                    t[0] += r.sent();
                    t[1] += r.ok();
                }
                lastReports.remove(vendor);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopped) {
                LOG.warn("demo sender for {} stopped: {}", vendor.id(), e.toString());
            }
        }
    }

    String line(MeterRegistry registry) {
        long sent = 0;
        long ok = 0;
        for (Vendor v : totals.keySet()) {
            long[] t = totals.get(v);
            synchronized (t) {
                sent += t[0];
                ok += t[1];
            }
            Report current = lastReports.get(v);
            if (current != null) {
                sent += current.sent();
                ok += current.ok();
            }
        }
        return String.format("demo: %d deliveries sent, %d acknowledged (200), %d events, %d warehouse rows written",
                sent, ok, (long) sum(registry, MetricNames.NORMALIZER_EVENTS, "accepted", "stale"),
                (long) sum(registry, MetricNames.SINK_ROWS, "inserted", "updated"));
    }

    private static double sum(MeterRegistry registry, String name, String... outcomes) {
        double total = 0;
        for (String o : outcomes) {
            for (Counter c : registry.find(name).tag(MetricNames.TAG_OUTCOME, o).counters()) {
                total += c.count();
            }
        }
        return total;
    }

    @Override
    public void close() {
        stopped = true;
        progress.shutdownNow();
        senders.shutdownNow();
        try {
            if (!senders.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warn("demo senders did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
