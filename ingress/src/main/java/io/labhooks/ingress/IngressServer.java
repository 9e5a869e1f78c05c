package io.labhooks.ingress;

import io.labhooks.config.AuthType;
import io.labhooks.config.IngressConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.ingress.auth.Authenticators;
import io.labhooks.ingress.http.Framing;
import io.labhooks.ingress.http.SslContexts;
import io.labhooks.ingress.publish.RawPublisher;
import io.labhooks.runtime.http.OpsHandler;
import io.labhooks.runtime.http.Responses;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.PathTemplateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The webhook receiver: Undertow with {@code /hooks/*}, {@code /health/live}, {@code /health/ready}
 * and {@code /metrics}. {@link #close()} shuts down gracefully: it stops accepting, lets in-flight
 * requests finish (each within the ack timeout), then stops. The publisher belongs to the caller,
 * which closes it after this server so that every in-flight record is flushed.
 */
public final class IngressServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngressServer.class);
    static final String METRICS_CONTENT_TYPE = OpsHandler.METRICS_CONTENT_TYPE;

    private final IngressConfig config;
    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final ExecutorService worker;
    private final WebhookHandler hooks;
    private volatile boolean closed;

    /**
     * @param ready extra readiness condition (e.g. the other parts of {@code labhooks local}); combined with the publisher's
     */
    public IngressServer(IngressConfig config, Iterable<SourceConfig> sources, RawPublisher publisher,
                         PrometheusMeterRegistry registry, Supplier<Boolean> ready) {
        this.config = config;
        IngressMetrics metrics = new IngressMetrics(registry);
        Map<String, WebhookHandler.Source> bySource = new LinkedHashMap<>();
        for (SourceConfig s : sources) {
            if (s.auth().type() == AuthType.NONE) {
                LOG.warn("source {} accepts deliveries without authentication (auth: none)", s.id());
            }
            bySource.put(s.id(), new WebhookHandler.Source(s, Authenticators.of(s.auth()),
                    s.rateLimit().map(r -> new TokenBucket(r, System::nanoTime)).orElse(null),
                    metrics.source(s.id(), s.vendor().id())));
        }
        AtomicInteger n = new AtomicInteger();
        this.worker = Executors.newFixedThreadPool(Math.max(4, Math.min(64, config.maxInFlight())), r -> {
            Thread t = new Thread(r, "labhooks-ingress-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.hooks = new WebhookHandler(bySource, publisher, config, metrics, new DeliveryIds(System::currentTimeMillis), worker);
        Gauge.builder(io.labhooks.runtime.MetricNames.INGRESS_IN_FLIGHT, hooks, WebhookHandler::inFlight)
                .description("Webhook requests being handled").register(registry);

        // /hooks/{sourceId} and /hooks/{sourceId}/{pathToken} (any method: the hooks answer 405 themselves, counted per
        // source), then the ops routes, then 404.
        HttpHandler paths = new PathTemplateHandler(new OpsHandler(registry, () -> publisher.ready() && ready.get(), worker,
                ex -> Responses.error(ex, 404, "not found")), false)
                .add(WebhookHandler.ROUTE, hooks)
                .add(WebhookHandler.TOKEN_ROUTE, hooks);
        this.graceful = new GracefulShutdownHandler(new ErrorGuard(paths));

        int ioThreads = config.ioThreads() > 0 ? config.ioThreads() : Math.max(2, Runtime.getRuntime().availableProcessors());
        Undertow.Builder b = Undertow.builder()
                .setIoThreads(ioThreads)
                .setWorkerThreads(4)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) config.idleTimeout().toMillis())
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) config.readTimeout().toMillis())
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
                .setServerOption(UndertowOptions.MAX_HEADERS, 100)
                .setServerOption(UndertowOptions.MAX_PARAMETERS, 100)
                // HTTP/1.1 only. With HTTP/2 the TLS listener negotiates ALPN first, in a stage with no timeout at all:
                // a client that stalls its handshake held the connection for ever (IngressTlsTest). Webhook senders
                // post one request per event, so HTTP/2 buys them nothing.
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
                .setSocketOption(Options.BACKLOG, 1024)
                .setHandler(graceful)
                .addHttpListener(config.port(), config.host());
        if (config.tls().isPresent()) {
            try {
                SSLContext ssl = SslContexts.server(config.tls().get());
                b.addHttpsListener(config.tls().get().port(), config.host(), ssl);
            } catch (IOException | GeneralSecurityException e) {
                worker.shutdownNow();
                throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
            }
        }
        this.undertow = b.build();
    }

    public IngressServer start() {
        undertow.start();
        LOG.info("ingress listening on http://{}:{}{}", config.host(), port(),
                tlsPort().isPresent() ? " and https port " + tlsPort().getAsInt() : "");
        return this;
    }

    /** The bound HTTP port (useful with port 0). */
    public int port() {
        return boundPort("http").orElseThrow(() -> new IllegalStateException("not started"));
    }

    public OptionalInt tlsPort() {
        return boundPort("https");
    }

    private OptionalInt boundPort(String protocol) {
        for (Undertow.ListenerInfo li : undertow.getListenerInfo()) {
            if (li.getProtcol().equals(protocol) && li.getAddress() instanceof InetSocketAddress a) {
                return OptionalInt.of(a.getPort());
            }
        }
        return OptionalInt.empty();
    }

    /** Stops accepting, waits for in-flight requests, then stops the listener. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("ingress shutting down: {} requests in flight", hooks.inFlight());
        graceful.shutdown();
        try {
            if (!graceful.awaitShutdown(config.shutdownTimeout().toMillis())) {
                LOG.warn("ingress: {} requests still in flight after {}, stopping anyway", hooks.inFlight(), config.shutdownTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            undertow.stop();
            worker.shutdown();
            try {
                if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                    worker.shutdownNow();
                }
            } catch (InterruptedException e) {
                worker.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("ingress stopped");
    }

    /**
     * Runs a step of a request outside Undertow's root handler (e.g. on the worker pool) so that an unexpected
     * failure is answered 500 and logged like one in the root handler, instead of leaving the exchange open.
     */
    static void guarded(HttpServerExchange ex, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            ErrorGuard.failed(ex, e);
        }
    }

    /**
     * A request path fit for a log line: past {@code /hooks/{source}} it may hold a path token, so that part is
     * replaced by {@code ***}.
     */
    static String redactedPath(String path) {
        if (path == null || !path.startsWith("/hooks/")) {
            return path;
        }
        int slash = path.indexOf('/', "/hooks/".length());
        return slash < 0 ? path : path.substring(0, slash) + "/***";
    }

    /**
     * Refuses ambiguous framing with 400 (see {@link Framing}); any unexpected failure answers a bare 500: no
     * stack trace reaches the sender, and the logged path has its token redacted.
     */
    private static final class ErrorGuard implements HttpHandler {
        private final HttpHandler next;

        ErrorGuard(HttpHandler next) {
            this.next = next;
        }

        @Override
        public void handleRequest(HttpServerExchange ex) {
            String framing = Framing.problem(ex.getRequestHeaders());
            if (framing != null) {
                ex.setPersistent(false);
                Responses.error(ex, 400, framing);
                return;
            }
            try {
                next.handleRequest(ex);
            } catch (Exception e) {
                failed(ex, e);
            }
        }

        static void failed(HttpServerExchange ex, Exception e) {
            LOG.error("unexpected failure handling {} {}", ex.getRequestMethod(), redactedPath(ex.getRequestPath()), e);
            if (!ex.isResponseStarted()) {
                ex.setPersistent(false);
                Responses.error(ex, 500, "internal error");
            } else {
                ex.endExchange();
            }
        }
    }
}
