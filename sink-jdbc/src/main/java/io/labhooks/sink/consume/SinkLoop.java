package io.labhooks.sink.consume;

import io.labhooks.schemas.Topics;
import io.labhooks.sink.SinkStatus;
import io.labhooks.sink.db.DbFailure;
import io.labhooks.sink.db.Dialect;
import io.labhooks.sink.metrics.SinkMetrics;
import io.labhooks.sink.write.Reduced;
import io.labhooks.sink.write.RowMapper;
import io.labhooks.sink.write.WarehouseWriter;
import io.labhooks.sink.write.WriteResult;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's poll loop, on one thread (and a second that decodes):
 * <ol>
 *   <li>poll a batch from {@link Topics#EVENTS} and {@link Topics#ENTITIES}; while it is written, the records already
 *       fetched after it are decoded on the decoding thread, so that the next write does not wait for them;</li>
 *   <li>reduce it by key and write it in one transaction ({@link WarehouseWriter}); if the database refuses
 *       some row (a data error), write the batch again record by record and dead-letter the refused ones;</li>
 *   <li>send the dead letters and wait for their acks;</li>
 *   <li>commit exactly the batch's offsets.</li>
 * </ol>
 * When the database (or the DLQ) is unavailable, the loop pauses every assigned partition, keeps calling
 * {@code poll()} (so the consumer never exceeds {@code max.poll.interval.ms} and stays in the group), and
 * retries the same batch after an exponential, jittered backoff; then it resumes. A crash anywhere replays
 * uncommitted records into idempotent SQL. Not thread-safe except {@link #stop()}.
 */
public final class SinkLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);

    private final Consumer<byte[], byte[]> consumer;
    private final WarehouseWriter writer;
    private final Dialect dialect;
    private final RowMapper mapper;
    private final DeadLetters deadLetters;
    private final SinkMetrics metrics;
    private final Backoff backoff;
    private final Duration pollTimeout;
    private final ConsumerRebalanceListener observer;
    private final Runnable onFatal;

    private volatile boolean stopping;
    private volatile SinkStatus status = SinkStatus.CREATED;
    private ExecutorService decoder;
    /** The batch being written, or waiting for its retry. */
    private PendingBatch pending;
    /** The records polled after {@link #pending}, being decoded meanwhile; written after it. */
    private CompletableFuture<PendingBatch> next;
    private long retryAtNanos;
    private boolean paused;

    public SinkLoop(Consumer<byte[], byte[]> consumer, WarehouseWriter writer, Dialect dialect, RowMapper mapper,
                    DeadLetters deadLetters, SinkMetrics metrics, Backoff backoff, Duration pollTimeout,
                    ConsumerRebalanceListener observer, Runnable onFatal) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.onFatal = Objects.requireNonNull(onFatal, "onFatal");
    }

    public SinkStatus status() {
        return status;
    }

    /** Asks the loop to stop; it commits nothing it has not written. Safe from any thread. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        Throwable fatal = null;
        status = SinkStatus.RUNNING;
        String decoderName = Thread.currentThread().getName() + "-decode";
        decoder = Executors.newSingleThreadExecutor(r -> new Thread(r, decoderName));
        try {
            consumer.subscribe(List.of(Topics.EVENTS, Topics.ENTITIES), new Listener());
            while (!stopping) {
                step();
            }
        } catch (WakeupException e) {
            if (!stopping) {
                fatal = e;
            }
        } catch (RuntimeException | Error e) {
            fatal = e;
        } finally {
            stopDecoder();
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                LOG.warn("sink consumer did not close cleanly", e);
            }
        }
        if (fatal != null) {
            status = SinkStatus.FAILED;
            LOG.error("sink stopped by an unexpected error; uncommitted records will be replayed on restart", fatal);
            onFatal.run();
        } else {
            status = SinkStatus.STOPPED;
            LOG.info("sink stopped");
        }
    }

    private void stopDecoder() {
        decoder.shutdownNow();
        try {
            if (!decoder.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the sink's decoding thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void step() {
        if (pending == null) {
            if (next == null) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
                if (records.isEmpty()) {
                    return;
                }
                next = decode(records);
            }
            pending = await(next);
            next = null;
        } else {
            long waitMs = Duration.ofNanos(retryAtNanos - System.nanoTime()).toMillis();
            if (waitMs > 0) {
                pollWhilePaused(Duration.ofMillis(Math.min(waitMs, pollTimeout.toMillis())));
                return;
            }
        }
        if (next == null && !paused && !stopping) {
            // what the consumer fetched meanwhile (it fetches ahead): decoded while this batch is written
            ConsumerRecords<byte[], byte[]> more = consumer.poll(Duration.ZERO);
            if (!more.isEmpty()) {
                next = decode(more);
            }
        }
        if (pending != null && !stopping) { // a rebalance in that poll may have taken all of it
            attempt();
        }
    }

    private CompletableFuture<PendingBatch> decode(ConsumerRecords<byte[], byte[]> records) {
        return CompletableFuture.supplyAsync(() -> new PendingBatch(records, mapper), decoder);
    }

    /** The decoded batch; an unexpected failure of the decoding is rethrown as it was, to stop the loop. */
    private static PendingBatch await(CompletableFuture<PendingBatch> batch) {
        try {
            return batch.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Keeps the consumer alive in the group while the pending batch waits for its retry. */
    private void pollWhilePaused(Duration timeout) {
        ConsumerRecords<byte[], byte[]> unexpected = consumer.poll(timeout);
        if (unexpected.isEmpty()) {
            return;
        }
        // A partition that was not paused (e.g. assigned in between) returned records: rewind and pause it,
        // they are read again after the pending batch is done.
        Set<TopicPartition> rewound = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : unexpected) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (rewound.add(tp)) {
                consumer.seek(tp, r.offset());
            }
        }
        consumer.pause(rewound);
    }

    private void attempt() {
        PendingBatch batch = pending;
        long start = System.nanoTime();
        try {
            List<DeadLetters.Rejection> rejections = write(batch);
            try {
                deadLetters.sendAll(rejections);
            } catch (KafkaException e) {
                throw new Unavailable("dlq", e);
            }
            rejections.forEach(r -> metrics.deadLettered(r.reason()));
            commit(batch);
            metrics.batch(Duration.ofNanos(System.nanoTime() - start));
            pending = null;
            if (paused) {
                consumer.resume(consumer.paused());
                paused = false;
                LOG.info("warehouse is back after {} failed attempt(s); resumed consuming", backoff.attempts());
            }
            backoff.reset();
            status = SinkStatus.RUNNING;
        } catch (Unavailable e) {
            Duration wait = backoff.next();
            retryAtNanos = System.nanoTime() + wait.toNanos();
            if (!paused) {
                consumer.pause(consumer.assignment());
                paused = true;
            }
            status = SinkStatus.BACKING_OFF;
            LOG.warn("warehouse unavailable ({}: {}); {} record(s) held, partitions paused, retry {} in {} ms",
                    e.reason, rootMessage(e), batch.size(), backoff.attempts(), wait.toMillis());
        }
    }

    /** Writes the batch; returns the records to dead-letter. */
    private List<DeadLetters.Rejection> write(PendingBatch batch) {
        List<DeadLetters.Rejection> rejections = new ArrayList<>(batch.undecodable());
        Reduced reduced = Reduced.of(batch.events(), batch.entities());
        try {
            WriteResult r = writer.write(reduced.events(), reduced.entities());
            metrics.written(r, reduced.eventsReducedAway(), reduced.entitiesReducedAway());
            return rejections;
        } catch (SQLException e) {
            DbFailure f = dialect.classify(e);
            if (!f.rejected()) {
                throw new Unavailable(f.reason(), e);
            }
            LOG.info("the warehouse refused a row in a batch of {} ({}); writing it record by record", batch.size(),
                    f.reason());
        }
        for (PendingBatch.Item item : batch.items()) {
            try {
                metrics.written(writer.write(item.events(), item.entities()), 0, 0);
            } catch (SQLException e) {
                DbFailure f = dialect.classify(e);
                if (!f.rejected()) {
                    throw new Unavailable(f.reason(), e);
                }
                ConsumerRecord<byte[], byte[]> r = item.record();
                String message = DbFailure.message(e);
                LOG.warn("the warehouse refused {}-{}@{} ({}): {}; sending it to {}", r.topic(), r.partition(),
                        r.offset(), f.reason(), message, Topics.DLQ);
                rejections.add(new DeadLetters.Rejection(r, f.reason(), message));
            }
        }
        return rejections;
    }

    private void commit(PendingBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(batch.offsets());
        } catch (CommitFailedException | RebalanceInProgressException | TimeoutException e) {
            // Written but not committed: the records are replayed (here or on the partition's new owner) into
            // idempotent SQL, so nothing is lost or doubled.
            LOG.warn("offsets of a written batch were not committed ({}); its records will be replayed", e.toString());
        }
    }

    /** The messages along the cause chain, e.g. the pool's timeout and the driver's "connection refused". */
    private static String rootMessage(Unavailable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e.getCause(); t != null && out.length() < 500; t = t.getCause() == t ? null : t.getCause()) {
            String m = t instanceof SQLException sql ? DbFailure.message(sql) : t.getMessage();
            if (m != null && out.indexOf(m) < 0) {
                out.append(out.length() == 0 ? "" : " <- ").append(m);
            }
        }
        return out.toString();
    }

    /** The database or the DLQ cannot take the batch now; retry it later. */
    private static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Unavailable(String reason, Throwable cause) {
            super(reason, cause);
            this.reason = reason;
        }
    }

    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
            observer.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
            observer.onPartitionsLost(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (pending != null && paused) {
                consumer.pause(partitions);
            }
            LOG.info("sink assigned {}", partitions);
            observer.onPartitionsAssigned(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.info("sink lost {}", partitions);
            }
            if (next != null) {
                PendingBatch prefetched = await(next);
                prefetched.drop(partitions);
                next = prefetched.isEmpty() ? null : CompletableFuture.completedFuture(prefetched);
            }
            if (pending != null) {
                pending.drop(partitions);
                if (pending.isEmpty()) {
                    // nothing of ours is held any more: start over from the new assignment's committed offsets
                    pending = null;
                    paused = false;
                    consumer.resume(consumer.paused());
                    backoff.reset();
                    status = SinkStatus.RUNNING;
                }
            }
        }
    }
}
