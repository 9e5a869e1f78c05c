package io.labhooks.ingress;

import io.labhooks.config.AuthType;
import io.labhooks.config.IngressConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.ingress.auth.AuthFailureLog;
import io.labhooks.ingress.auth.Authenticator;
import io.labhooks.ingress.publish.RawDelivery;
import io.labhooks.ingress.publish.RawPublisher;
import io.labhooks.runtime.http.Responses;
import io.labhooks.schemas.Headers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

/**
 * {@code POST /hooks/{sourceId}[/{pathToken}]}: checks, reads the body without holding a worker
 * thread, verifies, publishes the exact bytes, and answers 200 only once the record is durable.
 */
final class WebhookHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);
    /** Vendor headers that the normalizer needs, forwarded verbatim. */
    static final String SOURCE_PARAM = "sourceId";
    static final String TOKEN_PARAM = "pathToken";
    /** The routes this handler serves, as Undertow path templates (and as deploy/openapi.yaml names them). */
    static final String ROUTE = "/hooks/{" + SOURCE_PARAM + "}";
    static final String TOKEN_ROUTE = "/hooks/{" + SOURCE_PARAM + "}/{" + TOKEN_PARAM + "}";
    private static final String[] FORWARDED = {Headers.COREONE_WEBHOOK_TYPE};
    private static final HttpString DELIVERY_ID_HEADER = new HttpString(Headers.HTTP_DELIVERY_ID);
    private static final int MAX_FORWARDED_HEADER_CHARS = 256;
    /** Bodies up to this size are verified and published on the I/O thread when the publisher will not block. */
    static final int INLINE_MAX_BODY = 64 * 1024;
    /** Every answer comes before senders such as Flabs give up (10 s). */
    private static final long RESPONSE_GUARD_MS = IngressConfig.RESPONSE_LIMIT.toMillis() - 500;

    /** A configured source, ready to serve. */
    record Source(SourceConfig config, Authenticator auth, TokenBucket bucket, IngressMetrics.SourceMeters meters) {
    }

    private final Map<String, Source> sources;
    private final RawPublisher publisher;
    private final IngressConfig config;
    private final IngressMetrics metrics;
    private final DeliveryIds ids;
    private final Executor worker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AuthFailureLog authFailures = new AuthFailureLog(LOG, AuthFailureLog.DEFAULT_WINDOW, System::nanoTime);

    WebhookHandler(Map<String, Source> sources, RawPublisher publisher, IngressConfig config, IngressMetrics metrics,
                   DeliveryIds ids, Executor worker) {
        this.sources = Map.copyOf(sources);
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
        this.ids = ids;
        this.worker = worker;
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        PathTemplateMatch route = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String sourceId = route == null ? null : route.getParameters().get(SOURCE_PARAM);
        String pathToken = route == null ? null : route.getParameters().get(TOKEN_PARAM);
        if (sourceId == null || sourceId.isEmpty() || (pathToken != null && pathToken.isEmpty())) {
            reject(ex, null, 404, "unknown source");
            return;
        }
        Source source = sources.get(sourceId);
        if (source == null) {
            reject(ex, null, 404, "unknown source");
            return;
        }
        boolean pathTokenMode = source.config().auth().type() == AuthType.PATH_TOKEN;
        if (pathToken != null && !pathTokenMode) {
            reject(ex, null, 404, "unknown source");
            return;
        }
        if (!Methods.POST.equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().put(io.undertow.util.Headers.ALLOW, "POST");
            reject(ex, source, 405, "method not allowed: use POST");
            return;
        }
        if (inFlight.incrementAndGet() > config.maxInFlight()) {
            inFlight.decrementAndGet();
            Responses.header(ex, "Retry-After", "1");
            LOG.warn("source {}: {} requests in flight, answering 503", source.config().id(), config.maxInFlight());
            reject(ex, source, 503, "busy: try again");
            return;
        }
        ex.addExchangeCompleteListener((done, next) -> {
            inFlight.decrementAndGet();
            next.proceed();
        });
        if (source.bucket() != null) {
            long wait = source.bucket().tryAcquire();
            if (wait > 0) {
                Responses.header(ex, "Retry-After", Long.toString(wait));
                reject(ex, source, 429, "rate limited");
                return;
            }
        }
        String contentType = ex.getRequestHeaders().getFirst(io.undertow.util.Headers.CONTENT_TYPE);
        if (contentType != null && !isJson(contentType)) {
            reject(ex, source, 415, "unsupported media type: send application/json");
            return;
        }
        long max = source.config().maxBodyBytes();
        if (ex.getRequestContentLength() > max) {
            reject(ex, source, 413, "body too large");
            return;
        }
        Request req = new Request(ex, pathToken);
        if (!source.auth().needsBody() && !source.auth().verify(req, null)) {
            reject(ex, source, 401, "unauthorized");
            return;
        }
        readBody(ex, source, req, contentType);
    }

    private void readBody(HttpServerExchange ex, Source source, Request req, String contentType) {
        ex.setMaxEntitySize(source.config().maxBodyBytes());
        AtomicBoolean settled = new AtomicBoolean();
        AtomicReference<XnioExecutor.Key> deadline = new AtomicReference<>();
        long max = source.config().maxBodyBytes();
        long declared = ex.getRequestContentLength();
        BodyBuffer buf = new BodyBuffer((int) Math.min(max, declared > 0 ? declared : 8192));
        // Partial reads keep the count ourselves: a chunked body has no Content-Length to check up front.
        ex.getRequestReceiver().receivePartialBytes((exchange, chunk, last) -> {
            if (settled.get()) {
                return;
            }
            if (buf.size() + (long) chunk.length > max) {
                if (settled.compareAndSet(false, true)) {
                    cancel(deadline);
                    reject(exchange, source, 413, "body too large");
                }
                return;
            }
            buf.write(chunk);
            if (last && settled.compareAndSet(false, true)) {
                cancel(deadline);
                byte[] body = buf.toBytes();
                long receivedAt = System.currentTimeMillis();
                Runnable step = () -> IngressServer.guarded(exchange,
                        () -> verifyAndPublish(exchange, source, req, contentType, body, receivedAt));
                // On this I/O thread when nothing on the way can block it (a small body to verify, and a publish that
                // is a send that returns at once); otherwise on a worker thread (a large body's HMAC, a spool write,
                // a send that may wait for Kafka's metadata or buffer memory for up to max.block.ms).
                if (body.length <= INLINE_MAX_BODY && publisher.publishesWithoutBlocking(body.length)) {
                    exchange.dispatch(SameThreadExecutor.INSTANCE, step);
                } else {
                    exchange.dispatch(worker, step);
                }
            }
        }, (exchange, e) -> {
            cancel(deadline);
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            if (e instanceof RequestTooBigException) {
                reject(exchange, source, 413, "body too large");
            } else {
                LOG.debug("source {}: reading the body failed: {}", source.config().id(), e.toString());
                reject(exchange, source, 400, "could not read the body");
            }
        });
        // A body that was already in the read buffer has been handled by now; only one still to come needs the deadline.
        if (!settled.get()) {
            deadline.set(ex.getIoThread().executeAfter(() -> {
                if (settled.compareAndSet(false, true)) {
                    LOG.info("source {}: body not received within {}, closing the connection", source.config().id(), config.readTimeout());
                    reject(ex, source, 408, "request timeout");
                }
            }, config.readTimeout().toMillis(), TimeUnit.MILLISECONDS));
            if (settled.get()) {
                cancel(deadline); // settled by a callback on another thread while the timer was being armed
            }
        }
    }

    /** Removes the read deadline's timer, if it was armed and not removed yet. */
    private static void cancel(AtomicReference<XnioExecutor.Key> deadline) {
        XnioExecutor.Key timer = deadline.getAndSet(null);
        if (timer != null) {
            timer.remove();
        }
    }

    private void verifyAndPublish(HttpServerExchange ex, Source source, Request req, String contentType, byte[] body,
                                  long receivedAt) {
        if (source.auth().needsBody() && !source.auth().verify(req, body)) {
            reject(ex, source, 401, "unauthorized");
            return;
        }
        // The signature covers the bytes as sent and vendors send plain JSON: refuse rather than inflate (gzip bombs).
        // Only now, with the body read (within max-body-bytes), so that the sender gets the 415 and not a reset.
        String encoding = ex.getRequestHeaders().getFirst(io.undertow.util.Headers.CONTENT_ENCODING);
        if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
            reject(ex, source, 415, "unsupported Content-Encoding: send the body uncompressed");
            return;
        }
        if (!looksLikeJson(body)) {
            reject(ex, source, 415, "unsupported media type: the body is not JSON");
            return;
        }
        String deliveryId = ids.next().toString();
        RawDelivery delivery = new RawDelivery(source.config().id(), source.config().vendor().id(), deliveryId,
                receivedAt, contentType, forwardedHeaders(ex), body);
        long start = System.nanoTime();
        ex.dispatch(SameThreadExecutor.INSTANCE, () -> {
            // The publisher bounds its own wait (ack-timeout, then the spool); this only guards the 10 s limit, with a
            // timer of the connection's I/O thread, which also runs the answer: whichever comes first answers.
            AtomicBoolean answered = new AtomicBoolean();
            XnioExecutor.Key guard = ex.getIoThread().executeAfter(() -> {
                if (answered.compareAndSet(false, true)) {
                    LOG.warn("source {}: delivery {} not durable (no answer from the publisher within {} ms), answering 503",
                            source.config().id(), deliveryId, RESPONSE_GUARD_MS);
                    Responses.header(ex, "Retry-After", "5");
                    reject(ex, source, 503, "unavailable: try again");
                }
            }, RESPONSE_GUARD_MS, TimeUnit.MILLISECONDS);
            publisher.publish(delivery).whenComplete((path, err) -> ex.getIoThread().execute(() -> {
                if (!answered.compareAndSet(false, true)) {
                    return;
                }
                guard.remove();
                if (err == null) {
                    source.meters().ack(path == RawPublisher.Path.SPOOL).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                    Responses.header(ex, DELIVERY_ID_HEADER, deliveryId);
                    metrics.accepted(source.meters());
                    Responses.accepted(ex, deliveryId);
                } else {
                    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
                    LOG.warn("source {}: delivery {} not durable ({}), answering 503", source.config().id(), deliveryId,
                            cause instanceof TimeoutException ? "no ack within " + config.ackTimeout() : cause.getMessage());
                    Responses.header(ex, "Retry-After", cause instanceof io.labhooks.ingress.spool.SpoolException.Full ? "30" : "5");
                    reject(ex, source, 503, "unavailable: try again");
                }
            }));
        });
    }

    private static Map<String, String> forwardedHeaders(HttpServerExchange ex) {
        Map<String, String> out = null;
        for (String name : FORWARDED) {
            String v = ex.getRequestHeaders().getFirst(name);
            if (v != null) {
                if (out == null) {
                    out = new java.util.HashMap<>(2);
                }
                out.put(name, v.length() > MAX_FORWARDED_HEADER_CHARS ? v.substring(0, MAX_FORWARDED_HEADER_CHARS) : v);
            }
        }
        return out == null ? Map.of() : out;
    }

    private void reject(HttpServerExchange ex, Source source, int status, String message) {
        if (source == null) {
            metrics.request(IngressMetrics.UNKNOWN, IngressMetrics.UNKNOWN, status);
        } else {
            metrics.request(source.config().id(), source.config().vendor().id(), status);
            if (status == 401) {
                java.net.InetSocketAddress peer = ex.getSourceAddress();
                authFailures.failed(source.config().id(), peer == null ? "?" : peer.getAddress().getHostAddress());
            }
        }
        if (status == 401 || status == 413 || status == 408 || status == 415 || status == 400) {
            // The rest of the body is not wanted: do not drain it, close the connection after the answer.
            ex.setPersistent(false);
        }
        Responses.error(ex, status, message);
    }

    static boolean isJson(String contentType) {
        String mt = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mt.equals("application/json") || mt.endsWith("+json") || mt.equals("text/json");
    }

    /**
     * The body as it arrives, in one array sized by the Content-Length: a body of the declared length is that array
     * itself, not a copy of it (a ByteArrayOutputStream copies it once more at the end, which at 100 KiB bodies was a
     * third of what a request allocated). A chunked body, or one whose length differs, grows and is copied to size.
     */
    static final class BodyBuffer {
        private byte[] data;
        private int size;

        BodyBuffer(int expected) {
            this.data = new byte[Math.max(0, expected)];
        }

        int size() {
            return size;
        }

        void write(byte[] chunk) {
            if (size + chunk.length > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(size + chunk.length, data.length * 2));
            }
            System.arraycopy(chunk, 0, data, size, chunk.length);
            size += chunk.length;
        }

        byte[] toBytes() {
            return size == data.length ? data : java.util.Arrays.copyOf(data, size);
        }
    }

    /** The first byte after an optional UTF-8 BOM and whitespace opens an object or an array. */
    static boolean looksLikeJson(byte[] body) {
        int i = 0;
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        for (; i < body.length; i++) {
            byte b = body[i];
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                continue;
            }
            return b == '{' || b == '[';
        }
        return false;
    }

    private static final class Request implements Authenticator.Request {
        private final HttpServerExchange ex;
        private final String pathToken;

        Request(HttpServerExchange ex, String pathToken) {
            this.ex = ex;
            this.pathToken = pathToken;
        }

        @Override
        public String header(String name) {
            HeaderValues v = ex.getRequestHeaders().get(new HttpString(name));
            return v == null ? null : v.getFirst();
        }

        @Override
        public String pathToken() {
            return pathToken;
        }
    }
}
