package io.labhooks.runtime.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /metrics}, {@code GET /health/live} and {@code GET /health/ready}: the one ops handler of every part (the
 * ingress serves it beside its webhooks; the normalizer and the sink on their {@code --metrics-port}). Routed by
 * Undertow's {@link RoutingHandler}; another method on these paths is a 405 with {@code Allow: GET}; any other path
 * goes to {@code next}.
 */
public final class OpsHandler implements HttpHandler {
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final RoutingHandler routes;

    /**
     * @param ready   the part's readiness (200 while true, else 503)
     * @param scrapes where a scrape runs, off the IO thread (it renders every meter)
     * @param next    every other path
     */
    public OpsHandler(PrometheusMeterRegistry registry, BooleanSupplier ready, Executor scrapes, HttpHandler next) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(scrapes, "scrapes");
        HttpHandler metrics = ex -> {
            if (ex.isInIoThread()) {
                ex.dispatch(scrapes, () -> scrape(ex, registry));
            } else {
                scrape(ex, registry);
            }
        };
        HttpHandler live = ex -> Responses.json(ex, 200, new Responses.StatusBody("up"));
        HttpHandler readiness = ex -> {
            boolean ok = ready.getAsBoolean();
            Responses.json(ex, ok ? 200 : 503, new Responses.StatusBody(ok ? "ready" : "not ready"));
        };
        this.routes = new RoutingHandler()
                .get("/metrics", metrics).add("HEAD", "/metrics", metrics)
                .get("/health/live", live).add("HEAD", "/health/live", live)
                .get("/health/ready", readiness).add("HEAD", "/health/ready", readiness)
                .setInvalidMethodHandler(ex -> {
                    ex.getResponseHeaders().put(Headers.ALLOW, "GET");
                    Responses.error(ex, 405, "method not allowed: use GET");
                })
                .setFallbackHandler(Objects.requireNonNull(next, "next"));
    }

    /** For a part with nothing but the ops routes: every other path is a 404. */
    public static HttpHandler notFound() {
        return ex -> Responses.error(ex, 404, "not found");
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        routes.handleRequest(ex);
    }

    private static void scrape(HttpServerExchange ex, PrometheusMeterRegistry registry) {
        ex.setStatusCode(200);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, METRICS_CONTENT_TYPE);
        ex.getResponseSender().send(registry.scrape());
    }
}
