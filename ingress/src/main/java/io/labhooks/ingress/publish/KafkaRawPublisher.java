package io.labhooks.ingress.publish;

import io.labhooks.config.KafkaConfig;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends raw deliveries to {@link Topics#RAW} with the idempotent producer and {@code acks=all}.
 * Readiness comes from a background cluster probe, so a health check never blocks on Kafka.
 */
public final class KafkaRawPublisher implements RawPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRawPublisher.class);
    /** Room for headers and record overhead above the largest body. */
    private static final int RECORD_OVERHEAD = 64 * 1024;
    /** Kafka's default {@code metadata.max.idle.ms}: a topic not sent to for this long drops out of the producer's metadata. */
    private static final long DEFAULT_METADATA_IDLE_MS = 300_000;
    /** At most this long after the last ack, the raw topic's metadata is taken to be cached (see {@link #sendsWithoutBlocking}). */
    private static final long MAX_RECENT_ACK_MS = 30_000;

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final Admin admin;
    private final ScheduledExecutorService probe;
    private final Duration ackTimeout;
    private volatile boolean clusterReachable;
    /** The probe has answered at least once: before that, Kafka is not known to be unreachable. */
    private volatile boolean probed;
    private volatile boolean closed;
    /** {@link System#nanoTime()} of the last ack of a record; {@code recentAckNanos} ago at the start: none yet. */
    private volatile long lastAckNanos;
    private final long recentAckNanos;
    /** The producer's {@code buffer-available-bytes} metric: what {@code send} can take without waiting for memory. */
    private final Metric bufferAvailable;

    /**
     * The producer config the ingress runs with: the pass-through {@code kafka.properties}, then
     * {@code acks=all} and idempotence (never overridable), then the batching defaults (overridable).
     * Public so that the benchmark can report these settings and, with {@code --baseline ingress}, give
     * Kafka's own producer the very same ones.
     */
    public static Map<String, Object> producerConfig(KafkaConfig kafka, long largestBody, Duration ackTimeout) {
        Map<String, Object> p = new HashMap<>(kafka.properties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // No linger: a sender waits for its 200, so every ms of linger is a ms on every ack, and with a
        // bounded number of requests in flight it is throughput lost too (bench/README.md: linger 2 -> 0
        // took the ingress from ~14k to ~22k req/s at 64 connections). Records still batch while earlier
        // produce requests are in flight. Overridable with kafka.properties.linger.ms.
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "labhooks-ingress");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.min(Integer.MAX_VALUE, largestBody + RECORD_OVERHEAD));
        // send() may block for metadata or buffer memory at most this long: on a worker thread, unless
        // sendsWithoutBlocking says it will not block.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ackTimeout.toMillis());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    public KafkaRawPublisher(KafkaConfig kafka, long largestBody, Duration ackTimeout, MeterRegistry registry) {
        this.ackTimeout = ackTimeout;
        this.producer = new KafkaProducer<>(producerConfig(kafka, largestBody, ackTimeout));
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        this.recentAckNanos = TimeUnit.MILLISECONDS.toNanos(Math.min(MAX_RECENT_ACK_MS, metadataIdleMs(kafka) / 2));
        mayBlockUntilNextAck();
        this.bufferAvailable = producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("buffer-available-bytes") && e.getKey().group().equals("producer-metrics"))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new IllegalStateException("the Kafka producer has no buffer-available-bytes metric"));

        Map<String, Object> a = new HashMap<>(kafka.properties());
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, "labhooks-ingress-probe");
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        this.admin = Admin.create(a);
        this.probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "labhooks-kafka-probe");
            t.setDaemon(true);
            return t;
        });
        probe.scheduleWithFixedDelay(this::probeCluster, 0, 5, TimeUnit.SECONDS);
    }

    private void probeCluster() {
        boolean was = clusterReachable;
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes().get(4, TimeUnit.SECONDS);
            // Fetch the raw topic's metadata on the probe thread rather than in a request's send() (which would block
            // up to max.block.ms for it and fall back to the spool); asking again every time keeps an idle ingress
            // from dropping it after metadata.max.idle.ms (cached, this costs no request).
            producer.partitionsFor(Topics.RAW);
            clusterReachable = true;
            probed = true;
            if (!was) {
                LOG.info("Kafka is reachable");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | org.apache.kafka.common.KafkaException e) {
            clusterReachable = false;
            probed = true;
            if (was && !closed) {
                LOG.warn("Kafka is not reachable: {}", e.toString());
            }
        }
    }

    /** The record the ingress writes to {@link Topics#RAW}: keyed by delivery id, the exact body, the labhooks headers. */
    public static ProducerRecord<String, byte[]> record(RawDelivery d) {
        List<Header> headers = new ArrayList<>(6 + d.vendorHeaders().size());
        headers.add(header(Headers.SOURCE, d.sourceId()));
        headers.add(header(Headers.VENDOR, d.vendor()));
        headers.add(header(Headers.RECEIVED_AT, Long.toString(d.receivedAtMillis())));
        headers.add(header(Headers.DELIVERY_ID, d.deliveryId()));
        if (d.contentType() != null) {
            headers.add(header(Headers.CONTENT_TYPE, d.contentType()));
        }
        d.vendorHeaders().forEach((k, v) -> headers.add(header(k, v)));
        return new ProducerRecord<>(Topics.RAW, null, d.receivedAtMillis(), d.deliveryId(), d.body(), headers);
    }

    /** Kafka acked it within {@code ack-timeout}: {@link Path#KAFKA}; otherwise the future fails (a timeout included). */
    @Override
    public CompletableFuture<Path> publish(RawDelivery d) {
        return ackWithin(send(record(d)), ackTimeout.toMillis()).thenApply(meta -> Path.KAFKA);
    }

    /**
     * {@code send}'s ack, or a {@link java.util.concurrent.TimeoutException} after {@code timeoutMs}, which also
     * counts as an overdue send ({@link #sendsWithoutBlocking} is false until the next ack). {@code send} itself is
     * left as it is: it may still complete, e.g. for the spool's forwarder to adopt.
     */
    public CompletableFuture<RecordMetadata> ackWithin(CompletableFuture<RecordMetadata> send, long timeoutMs) {
        CompletableFuture<RecordMetadata> ack = send.copy().orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
        ack.whenComplete((meta, e) -> {
            if (e instanceof java.util.concurrent.TimeoutException) {
                mayBlockUntilNextAck();
            }
        });
        return ack;
    }

    @Override
    public boolean publishesWithoutBlocking(int bodyBytes) {
        return sendsWithoutBlocking(bodyBytes + RECORD_OVERHEAD);
    }

    /**
     * Sends any record with this producer (the spool's forwarder sends to the raw topic and the DLQ). The future
     * completes when Kafka acked it, or fails with the producer's exception; it has no timeout of its own beyond
     * the producer's {@code delivery.timeout.ms}.
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
        try {
            producer.send(record, (meta, ex) -> {
                if (ex == null) {
                    clusterReachable = true;
                    lastAckNanos = System.nanoTime();
                    f.complete(meta);
                } else {
                    mayBlockUntilNextAck();
                    f.completeExceptionally(ex);
                }
            });
        } catch (RuntimeException e) {
            // e.g. TimeoutException when metadata is unavailable for max.block.ms
            mayBlockUntilNextAck();
            f.completeExceptionally(e);
        }
        return f;
    }

    /**
     * True if {@code send} of a record of about {@code bytes} should return at once, so that a caller may send from
     * a thread that must not block (an HTTP I/O thread): Kafka acked a record within the last
     * min(30 s, {@code metadata.max.idle.ms} / 2), so the raw topic's metadata is cached, and the producer's buffer
     * has room for the record twice over plus 1 MiB, so no wait for memory. Otherwise {@code send} may block up to
     * {@code max.block.ms} ({@code ack-timeout}), and belongs on a worker thread. False as well from a failed or
     * overdue send ({@link #ackWithin}) to the next ack. A hint, not a promise: another thread may fill the
     * buffer in between, or the broker go away; then this send waits like any other.
     */
    public boolean sendsWithoutBlocking(int bytes) {
        if (closed || System.nanoTime() - lastAckNanos > recentAckNanos) {
            return false;
        }
        return ((Number) bufferAvailable.metricValue()).doubleValue() >= 2.0 * bytes + (1 << 20);
    }

    /**
     * No ack yet, or a send failed or was not acked in time: until the next ack, {@link #sendsWithoutBlocking} is
     * false. When the broker goes away the producer may drop the raw topic's metadata at once (it bootstraps again),
     * and a send then blocks for {@code max.block.ms}: this keeps that to the sends already under way.
     */
    private void mayBlockUntilNextAck() {
        lastAckNanos = System.nanoTime() - recentAckNanos - 1;
    }

    private static long metadataIdleMs(KafkaConfig kafka) {
        // the producer, created first, has already refused a value that is not a number
        String v = kafka.properties().get(ProducerConfig.METADATA_MAX_IDLE_CONFIG);
        return v == null ? DEFAULT_METADATA_IDLE_MS : Long.parseLong(v.trim());
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The cluster answered the last probe (every 5 s) or acked a record since. */
    @Override
    public boolean ready() {
        return clusterReachable && !closed;
    }

    /** The probe found the cluster unreachable (and no record was acked since): false until the first probe answered. */
    public boolean knownUnreachable() {
        return probed && !clusterReachable;
    }

    /** Flushes what is in flight, then closes. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        probe.shutdownNow();
        try {
            producer.flush();
        } finally {
            producer.close(Duration.ofSeconds(10));
            producerMetrics.close();
            admin.close(Duration.ofSeconds(5));
        }
    }
}
