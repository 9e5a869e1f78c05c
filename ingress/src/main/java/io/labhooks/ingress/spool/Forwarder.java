package io.labhooks.ingress.spool;

import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool to {@code labhooks.raw.v1} on one background thread: reads a bounded batch in arrival order,
 * sends it with the ingress's producer, and deletes each record only after Kafka acked it. While Kafka fails it
 * backs off (100 ms doubling to 5 s) and probes with one record at a time, so live traffic keeps the producer.
 *
 * <p>A send whose ack did not come in time is remembered with its future and not sent again while it is still
 * pending, so a slow broker does not get the same record twice from this process. The same goes for a live send
 * that timed out and was spooled ({@link #adopt}).
 *
 * <p>A record Kafka refuses for good ({@link KafkaRecords#refusedForGood}, e.g. over the topic's
 * {@code max.message.bytes}) goes to {@code labhooks.dlq.v1} with {@code labhooks.error.stage=ingress},
 * {@code reason=kafka-refused}, and is then deleted. If the DLQ refuses it too, it is parked: kept in the spool,
 * skipped until the next start, and logged as an error (the spool-not-draining alert then fires).
 *
 * <p>{@link #close()} keeps forwarding while Kafka takes records, for at most the shutdown timeout, and leaves
 * the rest in the spool for the next start.
 */
final class Forwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);
    static final int BATCH_RECORDS = 500;
    static final long BATCH_BYTES = 4L << 20;
    private static final long MIN_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5000;
    private static final long IDLE_WAIT_MS = 1000;
    /** How long one batch waits for its acks before the forwarder looks again (the sends stay in flight). */
    private static final long ACK_WAIT_MS = 10_000;

    private final SpoolStore store;
    private final KafkaRawPublisher kafka;
    private final Duration shutdownTimeout;
    private final LongConsumer forwarded;
    private final Runnable onDrained;
    private final Thread thread;
    private final Object signal = new Object();
    private final Map<Long, CompletableFuture<RecordMetadata>> inFlight = new ConcurrentHashMap<>();
    private final Set<Long> parked = ConcurrentHashMap.newKeySet();
    private boolean woken;
    private volatile boolean stopping;
    private volatile long deadlineNanos;
    /** A spooling episode (fallback, outage, recovered backlog) whose drain gets logged; not ack: spool's steady state. */
    private volatile boolean episode;
    private long episodeForwarded;

    Forwarder(SpoolStore store, KafkaRawPublisher kafka, Duration shutdownTimeout, LongConsumer forwarded, Runnable onDrained) {
        this.store = store;
        this.onDrained = onDrained;
        this.kafka = kafka;
        this.shutdownTimeout = shutdownTimeout;
        this.forwarded = forwarded;
        this.episode = store.records() > 0;
        this.thread = new Thread(this::run, "labhooks-spool-forwarder");
        thread.setDaemon(true);
    }

    Forwarder start() {
        thread.start();
        return this;
    }

    /** Records the forwarder skips until the next start (refused by the raw topic and by the DLQ). */
    int parked() {
        return parked.size();
    }

    /** Something was appended: look now. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Marks the start of an episode worth logging the drain of (e.g. Kafka became unreachable). */
    void episode() {
        episode = true;
    }

    /** A live send that timed out and was spooled as {@code seq}: its ack, if it comes, forwards the spooled copy. */
    void adopt(long seq, CompletableFuture<RecordMetadata> send) {
        inFlight.put(seq, send);
    }

    private void run() {
        long cursor = 0;
        long backoff = MIN_BACKOFF_MS;
        boolean failing = false;
        while (true) {
            if (stopping && (System.nanoTime() - deadlineNanos >= 0)) {
                break;
            }
            List<SpoolStore.Entry> batch;
            try {
                // While Kafka fails (or the probe says it is unreachable) one record probes it: a send can block for
                // max.block.ms on missing metadata, and a batch of them would hold the forwarder (and a shutdown).
                batch = store.read(cursor, failing || kafka.knownUnreachable() ? 1 : BATCH_RECORDS, BATCH_BYTES);
            } catch (SpoolException e) {
                if (stopping) {
                    break;
                }
                LOG.warn("spool forwarder: cannot read the spool: {}", e.getMessage());
                await(backoff, false);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                continue;
            }
            long afterBatch = batch.isEmpty() ? cursor : batch.get(batch.size() - 1).seq() + 1;
            batch.removeIf(e -> parked.contains(e.seq()));
            if (batch.isEmpty() && afterBatch != cursor) {
                cursor = afterBatch; // only parked records: skip past them
                continue;
            }
            if (batch.isEmpty()) {
                if (store.records() <= parked.size()) {
                    drained();
                }
                if (stopping) {
                    break;
                }
                cursor = 0;
                await(IDLE_WAIT_MS, true);
                continue;
            }
            Outcome o = forward(batch);
            cursor = o.nextCursor;
            if (o.retry) {
                episode = true;
                if (stopping) {
                    break;
                }
                failing = true;
                await(backoff, false);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            } else {
                failing = false;
                backoff = MIN_BACKOFF_MS;
            }
        }
        long left = store.records();
        if (left > 0) {
            LOG.info("spool forwarder stopped: {} records left in {} for the next start", left, store.dir());
        }
    }

    private void drained() {
        if (episode && episodeForwarded == 0) {
            return; // the episode's first record is still being written (or was adopted and not forwarded yet)
        }
        onDrained.run();
        if (episode) {
            episode = false;
            LOG.info("spool drained: {} forwarded", episodeForwarded);
            episodeForwarded = 0;
            try {
                store.compact();
            } catch (SpoolException e) {
                LOG.warn("spool forwarder: compacting after the drain failed: {}", e.getMessage());
            }
        }
    }

    private record Outcome(long nextCursor, boolean retry) {
    }

    private Outcome forward(List<SpoolStore.Entry> batch) {
        List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>(batch.size());
        for (SpoolStore.Entry e : batch) {
            CompletableFuture<RecordMetadata> f = inFlight.computeIfAbsent(e.seq(),
                    s -> kafka.send(KafkaRecords.toKafka(e.record(), Topics.RAW)));
            sends.add(f);
            if (f.isCompletedExceptionally() && !KafkaRecords.refusedForGood(KafkaRecords.failure(f))) {
                break; // failed in send() (no metadata within max.block.ms): Kafka is down, do not block on the rest
            }
        }
        if (sends.size() < batch.size()) {
            batch = batch.subList(0, sends.size());
        }
        List<SpoolStore.Entry> done = new ArrayList<>(batch.size());
        List<SpoolStore.Entry> refused = new ArrayList<>();
        List<Throwable> refusals = new ArrayList<>();
        Set<Long> kept = new HashSet<>();
        Throwable retryCause = null;
        long waitUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ackWaitMs());
        for (int i = 0; i < batch.size(); i++) {
            SpoolStore.Entry e = batch.get(i);
            CompletableFuture<RecordMetadata> f = sends.get(i);
            try {
                f.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
                inFlight.remove(e.seq());
                done.add(e);
            } catch (TimeoutException t) {
                kept.add(e.seq()); // still in flight: not sent again while pending
                retryCause = retryCause == null ? t : retryCause;
            } catch (ExecutionException x) {
                inFlight.remove(e.seq());
                if (KafkaRecords.refusedForGood(x)) {
                    refused.add(e);
                    refusals.add(KafkaRecords.unwrap(x));
                } else {
                    kept.add(e.seq());
                    retryCause = retryCause == null ? x : retryCause;
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                kept.add(e.seq());
                retryCause = ie;
            }
        }
        for (int i = 0; i < refused.size(); i++) {
            SpoolStore.Entry e = refused.get(i);
            Throwable why = refusals.get(i);
            try {
                kafka.send(KafkaRecords.toDlq(e.record(), why)).get(ackWaitMs(), TimeUnit.MILLISECONDS);
                LOG.warn("spool: delivery {} refused by Kafka for good ({}): sent to {} with reason {}", e.record().key(),
                        why.toString(), Topics.DLQ, KafkaRecords.REASON_KAFKA_REFUSED);
                done.add(e);
            } catch (ExecutionException x) {
                if (KafkaRecords.refusedForGood(x)) {
                    parked.add(e.seq());
                    LOG.error("spool: delivery {} refused by {} ({}) and by {} ({}): kept in the spool, skipped until the next "
                            + "start; raise the topics' max.message.bytes", e.record().key(), Topics.RAW, why, Topics.DLQ,
                            KafkaRecords.unwrap(x).toString());
                } else {
                    kept.add(e.seq());
                    retryCause = retryCause == null ? x : retryCause;
                }
            } catch (TimeoutException t) {
                kept.add(e.seq());
                retryCause = retryCause == null ? t : retryCause;
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                kept.add(e.seq());
                retryCause = ie;
            }
        }
        try {
            store.delete(done);
            episodeForwarded += done.size();
            forwarded.accept(done.size());
        } catch (SpoolException x) {
            // Kafka has them; they are forwarded again later: duplicates in raw, which the normalizer drops.
            LOG.warn("spool forwarder: cannot delete {} forwarded records ({}); they will be sent again", done.size(), x.getMessage());
            retryCause = retryCause == null ? x : retryCause;
        }
        if (retryCause != null) {
            LOG.debug("spool forwarder: Kafka did not take {} records: {}", kept.size(), retryCause.toString());
        }
        long next = batch.get(batch.size() - 1).seq() + 1;
        for (SpoolStore.Entry e : batch) {
            if (kept.contains(e.seq())) {
                next = e.seq();
                break;
            }
        }
        if (retryCause != null && done.isEmpty()) {
            return new Outcome(next, true);
        }
        return new Outcome(next, retryCause != null);
    }

    private long ackWaitMs() {
        if (!stopping) {
            return ACK_WAIT_MS;
        }
        return Math.max(0, Math.min(ACK_WAIT_MS, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    }

    /** Waits {@code millis}, or less if stopping, or (if {@code wakeable}) until something is appended. */
    private void await(long millis, boolean wakeable) {
        synchronized (signal) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (!(wakeable && woken) && !stopping) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    signal.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            woken = false;
        }
    }

    /** Forwards what Kafka takes within the shutdown timeout, then stops; the rest stays for the next start. */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        deadlineNanos = System.nanoTime() + shutdownTimeout.toNanos();
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            thread.join(shutdownTimeout.toMillis() + 5000);
            if (thread.isAlive()) {
                LOG.warn("spool forwarder did not stop within {}; interrupting it", shutdownTimeout);
                thread.interrupt();
                thread.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
