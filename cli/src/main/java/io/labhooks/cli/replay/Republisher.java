package io.labhooks.cli.replay;

import io.labhooks.config.KafkaConfig;
import io.labhooks.config.LabhooksConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads a bounded stretch of a topic and publishes selected records again: the engine of {@code labhooks replay}
 * and {@code labhooks dlq replay}.
 *
 * <ul>
 *   <li>The consumer has no group: it assigns the partitions and seeks, so it never commits offsets anywhere and
 *       never joins anyone's group. It reads {@code read_committed}.</li>
 *   <li>It starts at the first offset at or after {@link Scan#from()} ({@code offsetsForTimes}), else at the
 *       beginning, and stops at the end offsets captured at start (or, for a {@link Scan#stopPastTo()} scan, at a
 *       partition's first record past {@link Scan#to()}): records that arrive meanwhile are never chased.</li>
 *   <li>The producer is idempotent with {@code acks=all}; keys, values and headers are bytes, passed through as
 *       the {@link Selector} built them. A dry run has no producer at all.</li>
 * </ul>
 */
public final class Republisher implements AutoCloseable {
    /** How often {@link #run} reports progress. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);
    /** A scan fails when no partition's position moves for this long (the brokers are unreachable). */
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Duration progressInterval;
    private final Duration stallTimeout;

    /** Clients from the config's {@code kafka} section; no producer when {@code dryRun}. */
    public Republisher(LabhooksConfig config, String clientId, boolean dryRun) {
        this(config.kafka(), config, clientId, dryRun);
    }

    /** A scan that publishes nothing (a dry run), with only a consumer from {@code kafka}: the reader of {@code labhooks trace}. */
    public static Republisher reader(KafkaConfig kafka, String clientId) {
        return new Republisher(kafka, null, clientId, true);
    }

    private Republisher(KafkaConfig kafka, LabhooksConfig config, String clientId, boolean dryRun) {
        this.progressInterval = PROGRESS_INTERVAL;
        this.stallTimeout = STALL_TIMEOUT;
        this.consumer = new KafkaConsumer<>(consumerProperties(kafka, clientId));
        Producer<byte[], byte[]> p = null;
        if (!dryRun) {
            try {
                p = new KafkaProducer<>(producerProperties(config, clientId));
            } catch (KafkaException e) {
                consumer.close(CLOSE_TIMEOUT);
                throw e;
            }
        }
        this.producer = p;
    }

    static Map<String, Object> consumerProperties(KafkaConfig kafka, String clientId) {
        Map<String, Object> p = new HashMap<>(kafka.properties());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // a start offset removed by retention meanwhile: go on from the oldest record still there
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    static Map<String, Object> producerProperties(LabhooksConfig config, String clientId) {
        Map<String, Object> p = new HashMap<>(config.kafka().properties());
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // DLQ records of the sink stage are canonical events, up to four times the largest body
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.min(Integer.MAX_VALUE, 4 * config.largestBodyLimit() + (1 << 20)));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /**
     * Scans, publishes what {@code selector} picks, waits until Kafka acknowledged all of it, and returns the totals.
     * {@code progress} gets a snapshot every {@link #PROGRESS_INTERVAL}.
     *
     * @throws RepublishException if the topic is missing, Kafka fails, a record is not acknowledged, or the scan
     *                            stalls; it carries the totals so far
     */
    public Totals run(Scan scan, Selector selector, java.util.function.Consumer<Totals> progress) {
        Run run = new Run(scan, selector);
        try {
            run.execute(progress);
            return run.totals();
        } catch (KafkaException e) {
            throw new RepublishException(scan.topic() + ": " + e.getMessage(), run.totals(), e);
        }
    }

    /** The state of one scan. Counters touched by producer callbacks are atomic. */
    private final class Run {
        private final Scan scan;
        private final Selector selector;
        private final long started = System.nanoTime();
        private final Map<TopicPartition, Long> start = new LinkedHashMap<>();
        private final Map<TopicPartition, Long> end = new LinkedHashMap<>();
        private final Map<TopicPartition, Long> position = new HashMap<>();
        private final Set<TopicPartition> active = new LinkedHashSet<>();
        private final Map<String, Long> skipped = new HashMap<>();
        private final AtomicLong published = new AtomicLong();
        private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
        private long scanned;
        private long matched;
        private long wouldPublish;

        Run(Scan scan, Selector selector) {
            this.scan = scan;
            this.selector = selector;
        }

        void execute(java.util.function.Consumer<Totals> progress) {
            plan();
            consumer.assign(active);
            active.forEach(tp -> consumer.seek(tp, start.get(tp)));
            long nextReport = System.nanoTime() + progressInterval.toNanos();
            long lastMove = System.nanoTime();
            while (!active.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                long before = offsetsRead();
                for (TopicPartition tp : records.partitions()) {
                    if (active.contains(tp)) {
                        read(tp, records.records(tp));
                    }
                }
                for (Iterator<TopicPartition> it = active.iterator(); it.hasNext(); ) {
                    TopicPartition tp = it.next();
                    long pos = consumer.position(tp);
                    position.merge(tp, pos, Math::max);
                    if (pos >= end.get(tp)) {
                        it.remove();
                        consumer.pause(List.of(tp));
                    }
                }
                failOnSendFailure();
                long now = System.nanoTime();
                if (offsetsRead() > before) {
                    lastMove = now;
                } else if (now - lastMove > stallTimeout.toNanos()) {
                    throw new RepublishException("no progress for " + stallTimeout.toSeconds() + " s reading " + active
                            + " (is Kafka reachable?)", totals(), null);
                }
                if (now >= nextReport) {
                    progress.accept(totals());
                    nextReport = now + progressInterval.toNanos();
                }
            }
            if (producer != null) {
                producer.flush();
            }
            failOnSendFailure();
        }

        private void plan() {
            List<PartitionInfo> infos = consumer.partitionsFor(scan.topic());
            if (infos == null || infos.isEmpty()) {
                throw new RepublishException("topic " + scan.topic() + " does not exist (see 'labhooks topics')", totals(), null);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = new HashMap<>();
            if (scan.from() == null) {
                starts.putAll(consumer.beginningOffsets(partitions));
            } else {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, scan.from().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                // no record at or after --from: nothing to read in that partition
                partitions.forEach(tp -> starts.put(tp, found.get(tp) == null ? ends.get(tp) : found.get(tp).offset()));
            }
            for (TopicPartition tp : partitions) {
                long s = starts.get(tp);
                long e = ends.get(tp);
                if (s < e) {
                    start.put(tp, s);
                    end.put(tp, e);
                    position.put(tp, s);
                    active.add(tp);
                }
            }
        }

        private void read(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.offset() >= end.get(tp) || scan.pastTo(r.timestamp())) {
                    finish(tp);
                    return;
                }
                position.put(tp, r.offset() + 1);
                scanned++;
                if (scan.contains(r.timestamp())) {
                    handle(selector.select(r));
                }
            }
        }

        private void finish(TopicPartition tp) {
            position.put(tp, end.get(tp));
            active.remove(tp);
            consumer.pause(List.of(tp));
        }

        private void handle(Decision d) {
            if (d instanceof Decision.Skip s) {
                matched++;
                skipped.merge(s.why(), 1L, Long::sum);
            } else if (d instanceof Decision.Publish p) {
                matched++;
                if (producer == null) {
                    wouldPublish++;
                } else {
                    producer.send(p.record(), (metadata, e) -> {
                        if (e == null) {
                            published.incrementAndGet();
                        } else {
                            sendFailure.compareAndSet(null, e);
                        }
                    });
                }
            }
        }

        private void failOnSendFailure() {
            Exception e = sendFailure.get();
            if (e != null) {
                throw new RepublishException("a record was not published: " + e.getMessage(), totals(), e);
            }
        }

        private long offsetsRead() {
            long n = 0;
            for (Map.Entry<TopicPartition, Long> e : start.entrySet()) {
                n += Math.min(position.get(e.getKey()), end.get(e.getKey())) - e.getValue();
            }
            return n;
        }

        Totals totals() {
            long range = 0;
            for (Map.Entry<TopicPartition, Long> e : start.entrySet()) {
                range += end.get(e.getKey()) - e.getValue();
            }
            double fraction = range == 0 ? 1.0 : (double) offsetsRead() / range;
            return new Totals(start.size(), scanned, matched, producer == null ? wouldPublish : published.get(), skipped,
                    fraction, producer == null, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    @Override
    public void close() {
        try {
            consumer.close(CLOSE_TIMEOUT);
        } finally {
            if (producer != null) {
                producer.close(CLOSE_TIMEOUT);
            }
        }
    }
}
