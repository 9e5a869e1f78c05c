package io.labhooks.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Runs one part that has no HTTP server of its own (the normalizer, the sink) until SIGTERM or Ctrl-C, with
 * {@code /metrics} and health endpoints on {@code --metrics-port}. Exit code 1 if the part failed, else 0.
 */
final class BackgroundPart {
    /** Starts the part; it must call {@code onFatal} if it fails later. */
    interface Starter<T extends AutoCloseable> {
        T start(PrometheusMeterRegistry registry, Runnable onFatal) throws Exception;
    }

    /** What the part says of itself. */
    interface Probe<T> {
        boolean ready(T part);
    }

    private BackgroundPart() {
    }

    static <T extends AutoCloseable> int run(PrintWriter err, String name, String host, int metricsPort, Starter<T> starter, Probe<T> probe)
            throws Exception {
        Shutdown shutdown = new Shutdown();
        AtomicBoolean failed = new AtomicBoolean();
        try (Metrics metrics = new Metrics();
             T part = starter.start(metrics.registry, () -> {
                 failed.set(true);
                 shutdown.trigger();
             });
             MetricsServer server = new MetricsServer(host, metricsPort, metrics.registry, readiness(probe, part))) {
            err.println("labhooks " + name + " started; /metrics and /health on port " + server.port());
            err.flush();
            shutdown.await();
        }
        return failed.get() ? 1 : 0;
    }

    private static <T> BooleanSupplier readiness(Probe<T> probe, T part) {
        return () -> probe.ready(part);
    }
}
