package io.labhooks.cli;

import io.labhooks.runtime.http.OpsHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The {@link OpsHandler} ({@code /metrics}, {@code /health/live}, {@code /health/ready}) on its own port, for the parts
 * that have no HTTP server of their own (the normalizer and the sink).
 */
final class MetricsServer implements AutoCloseable {
    private final ExecutorService scrapes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "labhooks-metrics-scrape");
        t.setDaemon(true);
        return t;
    });
    private final Undertow undertow;

    MetricsServer(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        this.undertow = Undertow.builder().setIoThreads(1).setWorkerThreads(2).addHttpListener(port, host)
                .setHandler(new OpsHandler(registry, ready, scrapes, OpsHandler.notFound())).build();
        undertow.start();
    }

    int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
        scrapes.shutdown();
        try {
            if (!scrapes.awaitTermination(5, TimeUnit.SECONDS)) {
                scrapes.shutdownNow();
            }
        } catch (InterruptedException e) {
            scrapes.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
