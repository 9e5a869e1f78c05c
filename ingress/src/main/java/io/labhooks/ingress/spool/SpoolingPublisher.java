package io.labhooks.ingress.spool;

import io.labhooks.config.IngressConfig;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.ingress.publish.RawDelivery;
import io.labhooks.ingress.publish.RawPublisher;
import io.labhooks.runtime.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress's publisher: Kafka first with the spool as fallback ({@code ack: kafka}), or the spool first
 * ({@code ack: spool}); a {@link Forwarder} drains the spool to Kafka in the background.
 *
 * <ul>
 *   <li>{@code ack: kafka}: a record goes to Kafka and is acknowledged when Kafka acked it within
 *       {@code ack-timeout}. When Kafka does not (a timeout, or any error, a refusal included), it is spooled and
 *       acknowledged once synced. It goes straight to the spool, without waiting, when the producer already knows
 *       the cluster is unreachable or the spool is not empty. A live send that timed out may still succeed later:
 *       its ack then forwards the spooled copy ({@link Forwarder#adopt}); only a crash in between, or a send that
 *       lands after its delivery timeout, duplicates it in raw, which the normalizer drops by event id.</li>
 *   <li>{@code ack: spool}: every record is synced to the spool and acknowledged then.</li>
 * </ul>
 * The future fails (the ingress answers 503) only when the spool is full or cannot be written.
 *
 * <p>Owns the forwarder (closed first, so the spool and the producer outlive it); the store and the Kafka
 * publisher belong to the caller, which closes them after this: HTTP server, forwarder, producer, store.
 */
public final class SpoolingPublisher implements RawPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolingPublisher.class);

    private final IngressConfig.AckMode mode;
    private final long ackTimeoutMs;
    private final SpoolStore store;
    private final KafkaRawPublisher kafka;
    private final Forwarder forwarder;
    private final ExecutorService spoolWriters;
    private volatile boolean spooling;
    private volatile boolean closed;

    public SpoolingPublisher(IngressConfig config, SpoolStore store, KafkaRawPublisher kafka, MeterRegistry registry) {
        this.mode = config.ack();
        this.ackTimeoutMs = config.ackTimeout().toMillis();
        this.store = store;
        this.kafka = kafka;
        Counter forwardedTotal = Counter.builder(MetricNames.SPOOL_FORWARDED)
                .description("Spooled records the forwarder handed to Kafka (raw topic, or the DLQ when refused)")
                .register(registry);
        Gauge.builder(MetricNames.SPOOL_RECORDS, store, SpoolStore::records).description("Records in the spool").register(registry);
        Gauge.builder(MetricNames.SPOOL_BYTES, store, SpoolStore::bytes).description("Bytes in the spool")
                .baseUnit("bytes").register(registry);
        Gauge.builder(MetricNames.SPOOL_MAX_BYTES, store, SpoolStore::maxBytes).description("ingress.spool.max-bytes")
                .baseUnit("bytes").register(registry);
        Gauge.builder(MetricNames.SPOOL_OLDEST_AGE, store, s -> {
            var t = s.oldestTimestamp();
            return t.isPresent() ? Math.max(0, System.currentTimeMillis() - t.getAsLong()) / 1000.0 : 0.0;
        }).description("Age of the oldest record in the spool (0 when empty)").baseUnit("seconds").register(registry);
        for (SpoolStore.NativeMemory kind : SpoolStore.NativeMemory.values()) {
            Gauge.builder(MetricNames.SPOOL_NATIVE_MEMORY, store, s -> nativeMemory(s, kind)).tag("kind", kind.id())
                    .description("The spool's RocksDB memory outside the Java heap (not bounded by -Xmx)").baseUnit("bytes")
                    .register(registry);
        }
        AtomicInteger n = new AtomicInteger();
        this.spoolWriters = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "labhooks-spool-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.forwarder = new Forwarder(store, kafka, config.shutdownTimeout(), forwardedTotal::increment, this::drained).start();
        LOG.info("ingress ack: {} (ack-timeout {} ms), spool {} ({} records, max {} bytes)", mode.name().toLowerCase(java.util.Locale.ROOT),
                ackTimeoutMs, store.dir(), store.records(), store.maxBytes());
    }

    /** A gauge's value: NaN, logged, when RocksDB cannot answer (the scrape goes on with the other metrics). */
    private static double nativeMemory(SpoolStore store, SpoolStore.NativeMemory kind) {
        try {
            return store.nativeMemoryBytes(kind);
        } catch (SpoolException e) {
            LOG.warn("metrics: {}", e.getMessage());
            return Double.NaN;
        }
    }

    @Override
    public CompletableFuture<Path> publish(RawDelivery delivery) {
        ProducerRecord<String, byte[]> record = KafkaRawPublisher.record(delivery);
        if (mode == IngressConfig.AckMode.SPOOL) {
            return spoolNow(KafkaRecords.toSpool(record), null);
        }
        boolean backlog = backlog();
        boolean unreachable = kafka.knownUnreachable();
        if ((backlog || unreachable) && store.writable() && store.hasRoom(record.value().length + 1024L)) {
            if (unreachable) {
                startSpooling("Kafka unreachable");
            }
            return spoolNow(KafkaRecords.toSpool(record), null);
        }
        CompletableFuture<RecordMetadata> send = kafka.send(record);
        CompletableFuture<Path> out = new CompletableFuture<>();
        // ackWithin leaves the send itself as it is: the forwarder may adopt it below
        kafka.ackWithin(send, ackTimeoutMs).whenComplete((meta, err) -> {
            if (err == null) {
                out.complete(Path.KAFKA);
                return;
            }
            Throwable cause = KafkaRecords.unwrap(err);
            if (KafkaRecords.refusedForGood(cause)) {
                LOG.warn("Kafka refused delivery {} for good ({}): spooling it for the DLQ", delivery.deliveryId(), cause.toString());
            } else {
                startSpooling(cause instanceof TimeoutException ? "no Kafka ack within " + ackTimeoutMs + " ms" : cause.toString());
            }
            try {
                // the spool's copy is made only now: on the way to Kafka nothing but the record is needed
                spoolWriters.execute(() -> spoolNow(KafkaRecords.toSpool(record), send.isDone() ? null : send).whenComplete((p, e) -> {
                    if (e == null) {
                        out.complete(p);
                    } else {
                        out.completeExceptionally(e);
                    }
                }));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                out.completeExceptionally(new SpoolException.Unavailable("the ingress is shutting down", e));
            }
        });
        return out;
    }

    /**
     * With {@code ack: kafka}, while the spool holds nothing to forward and Kafka is not known to be unreachable, a
     * publish is a {@code send} (the spool is written only on a later failure, on a spool writer thread): true if
     * that send will not block. With {@code ack: spool}, false: every publish syncs the spool.
     */
    @Override
    public boolean publishesWithoutBlocking(int bodyBytes) {
        return mode == IngressConfig.AckMode.KAFKA && !closed && !backlog() && !kafka.knownUnreachable()
                && kafka.publishesWithoutBlocking(bodyBytes);
    }

    /** Records in the spool that the forwarder has yet to send (it skips the parked ones). */
    private boolean backlog() {
        return store.records() > forwarder.parked();
    }

    private void startSpooling(String why) {
        if (!spooling) {
            spooling = true;
            forwarder.episode();
            LOG.warn("Kafka unreachable: spooling deliveries to {} ({})", store.dir(), why);
        }
    }

    /** Syncs the record to the spool on this thread. {@code liveSend}: a timed-out send the forwarder adopts. */
    private CompletableFuture<Path> spoolNow(SpoolRecord record, CompletableFuture<RecordMetadata> liveSend) {
        try {
            store.append(record, liveSend == null ? null : seq -> forwarder.adopt(seq, liveSend));
            forwarder.wake();
            return CompletableFuture.completedFuture(Path.SPOOL);
        } catch (SpoolException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new SpoolException.Unavailable("spool write failed: " + e, e));
        }
    }

    /** Called by the forwarder whenever it finds the spool empty. */
    private void drained() {
        spooling = false;
    }

    /** Ready while the spool can take a record, or, with {@code ack: kafka}, while Kafka answers. */
    @Override
    public boolean ready() {
        if (closed) {
            return false;
        }
        boolean spoolOk = store.writable() && store.hasRoom(64 * 1024);
        return mode == IngressConfig.AckMode.SPOOL ? spoolOk : spoolOk || kafka.ready();
    }

    public SpoolStore store() {
        return store;
    }

    /** Stops the forwarder (forwarding what Kafka takes within shutdown-timeout); the store and producer stay open. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        spoolWriters.shutdown();
        try {
            if (!spoolWriters.awaitTermination(10, TimeUnit.SECONDS)) {
                spoolWriters.shutdownNow();
            }
        } catch (InterruptedException e) {
            spoolWriters.shutdownNow();
            Thread.currentThread().interrupt();
        }
        forwarder.close();
    }
}
