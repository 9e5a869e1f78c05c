package io.labhooks.cli;

import io.labhooks.ingress.http.Responses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * {@code /metrics}, {@code /health/live} and {@code /health/ready} for the parts that have no HTTP server of their own
 * (the normalizer and the sink).
 */
final class MetricsServer implements AutoCloseable {
    private final Undertow undertow;

    MetricsServer(String host, int port, PrometheusMeterRegistry registry, BooleanSupplier ready) {
        PathHandler paths = new PathHandler()
                .addExactPath("/metrics", ex -> {
                    if (ex.isInIoThread()) {
                        ex.dispatch(e -> send(e, registry));
                        return;
                    }
                    send(ex, registry);
                })
                .addExactPath("/health/live", ex -> Responses.json(ex, 200, "{\"status\":\"up\"}"))
                .addExactPath("/health/ready", ex -> {
                    boolean ok = ready.getAsBoolean();
                    Responses.json(ex, ok ? 200 : 503, ok ? "{\"status\":\"ready\"}" : "{\"status\":\"not ready\"}");
                });
        this.undertow = Undertow.builder().setIoThreads(1).setWorkerThreads(2).addHttpListener(port, host).setHandler(paths).build();
        undertow.start();
    }

    private static void send(io.undertow.server.HttpServerExchange ex, PrometheusMeterRegistry registry) {
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        ex.getResponseSender().send(registry.scrape());
    }

    int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
