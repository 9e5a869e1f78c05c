package io.labhooks.chaos;

import io.labhooks.config.Vendor;
import io.labhooks.testkit.sim.Credentials;
import io.labhooks.testkit.sim.DeliveryPolicy;
import io.labhooks.testkit.sim.ExpectedState;
import io.labhooks.testkit.sim.Report;
import io.labhooks.testkit.sim.Scenario;
import io.labhooks.testkit.sim.Simulator;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The seeded simulator load: one {@link Simulator} per vendor, in this JVM, each with the vendor's own retry and
 * disable behaviour, sending over real HTTP to the ingress process. Bounded: each vendor sends a fixed scenario.
 */
final class Load implements AutoCloseable {
    /** The credentials the generated config accepts. */
    static final Map<Vendor, String> SECRETS = Map.of(Vendor.CONFIDENT, "chaos-confident-token",
            Vendor.FLABS, "chaos-flabs-token", Vendor.LML, "chaos-lml-token", Vendor.COREONE, "chaos-coreone-secret");

    /** One vendor's share of the load. */
    record Spec(Vendor vendor, int count, int revisions, double rate, double timeScale, long seed) {
    }

    /** The default mix: all four vendors, about 80 s at ~9 requests/s; Confident as in the broker-outage measurement. */
    static List<Spec> allVendors(long seed) {
        return List.of(new Spec(Vendor.CONFIDENT, 150, 2, 4, 0.01, seed),
                new Spec(Vendor.FLABS, 40, 2, 2, 0.01, seed),
                new Spec(Vendor.LML, 40, 2, 2, 0.001, seed),
                new Spec(Vendor.COREONE, 2, 2, 1, 0.01, seed));
    }

    final Map<Vendor, Scenario> scenarios = new LinkedHashMap<>();
    final Map<Vendor, CompletableFuture<Report>> reports = new LinkedHashMap<>();
    private final ExecutorService pool;

    private Load(List<Spec> specs, int port, String idPrefix) {
        pool = Executors.newFixedThreadPool(specs.size(), r -> {
            Thread t = new Thread(r, "chaos-load");
            t.setDaemon(true);
            return t;
        });
        for (Spec s : specs) {
            Scenario scenario = Scenario.build(new Scenario.Options(s.vendor(), s.count(), s.revisions(), 0.0, false,
                    s.seed(), idPrefix + s.vendor().id().charAt(0) + "-"));
            scenarios.put(s.vendor(), scenario);
            URI url = URI.create("http://127.0.0.1:" + port + "/hooks/" + s.vendor().id());
            reports.put(s.vendor(), CompletableFuture.supplyAsync(() -> {
                try (Simulator sim = Simulator.builder(url).credentials(Credentials.forVendor(s.vendor(), SECRETS.get(s.vendor())))
                        .policy(DeliveryPolicy.forVendor(s.vendor())).rate(s.rate()).concurrency(4).timeScale(s.timeScale())
                        .build()) {
                    return sim.run(scenario);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("load interrupted", e);
                }
            }, pool));
        }
    }

    static Load start(List<Spec> specs, int port, String idPrefix) {
        return new Load(specs, port, idPrefix);
    }

    /** Waits for every vendor's run to end. */
    Map<Vendor, Report> await(Duration atMost) throws InterruptedException, ExecutionException, TimeoutException {
        Map<Vendor, Report> out = new LinkedHashMap<>();
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Map.Entry<Vendor, CompletableFuture<Report>> e : reports.entrySet()) {
            out.put(e.getKey(), e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        return out;
    }

    /** The warehouse state the acknowledged deliveries must produce (a subset of what is there). */
    static ExpectedState acknowledged(Scenario s, Report r) {
        return s.expected(r.acknowledgedEventKeys());
    }

    /** The warehouse state every delivery of the scenario would produce (a superset of what is there). */
    static ExpectedState attempted(Scenario s) {
        return s.expected();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
