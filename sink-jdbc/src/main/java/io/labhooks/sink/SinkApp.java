package io.labhooks.sink;

import io.labhooks.config.LabhooksConfig;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.sink.consume.Backoff;
import io.labhooks.sink.consume.DeadLetters;
import io.labhooks.sink.consume.SinkLoop;
import io.labhooks.sink.metrics.SinkMetrics;
import io.labhooks.sink.write.RowMapper;
import io.labhooks.sink.write.WarehouseWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC sink: consumes {@code labhooks.events.v1} and {@code labhooks.entities.v1} ({@code read_committed},
 * manual commits) into the warehouse, on its own thread. {@link #start()} migrates the schema first, so a
 * database that is down at start fails fast; once running, an outage is ridden out (see {@link SinkLoop}).
 * An unexpected error stops the loop and calls {@code onFatal}; a restart replays into idempotent SQL.
 */
public final class SinkApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkApp.class);
    static final Duration BACKOFF_INITIAL = Duration.ofMillis(250);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(10);
    private static final Duration DLQ_TIMEOUT = Duration.ofSeconds(25);

    private final Warehouse warehouse;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaClientMetrics consumerMetrics;
    private final KafkaClientMetrics producerMetrics;
    private final SinkLoop loop;
    private final Thread thread;
    private final String groupId;
    private boolean started;
    private boolean closed;

    public SinkApp(LabhooksConfig config, MeterRegistry registry, Runnable onFatal) {
        this(config, registry, onFatal, SinkHooks.NONE);
    }

    public SinkApp(LabhooksConfig config, MeterRegistry registry, Runnable onFatal, SinkHooks hooks) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(onFatal, "onFatal");
        Objects.requireNonNull(hooks, "hooks");
        this.groupId = config.sink().groupId();
        this.warehouse = new Warehouse(config.sink(), "labhooks-sink");
        try {
            this.consumer = new KafkaConsumer<>(consumerProperties(config));
            this.producer = new KafkaProducer<>(producerProperties(config));
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        WarehouseWriter writer = new WarehouseWriter(warehouse.dataSource(), warehouse.dialect(), hooks.commitHook(),
                Clock.systemUTC());
        this.loop = new SinkLoop(consumer, writer, warehouse.dialect(), new RowMapper(new EventCodec()),
                new DeadLetters(producer, DLQ_TIMEOUT), new SinkMetrics(registry),
                new Backoff(BACKOFF_INITIAL, BACKOFF_MAX, new Random()), config.sink().pollTimeout(),
                hooks.rebalances(), onFatal);
        this.thread = new Thread(loop, "labhooks-sink");
    }

    static Map<String, Object> consumerProperties(LabhooksConfig config) {
        Map<String, Object> p = new HashMap<>(config.kafka().properties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.sink().groupId());
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "labhooks-sink");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.sink().batchSize());
        p.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, 4 * config.largestBodyLimit() + (1 << 20)));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    static Map<String, Object> producerProperties(LabhooksConfig config) {
        Map<String, Object> p = new HashMap<>();
        // only what a producer understands of the shared properties (security.*, sasl.*, ssl.*, ...)
        config.kafka().properties().forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                p.put(k, v);
            }
        });
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "labhooks-sink-dlq");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, 4 * config.largestBodyLimit() + (1 << 20)));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** Migrates the warehouse schema, then starts the poll loop on its own thread. */
    public synchronized SinkApp start() {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        warehouse.migrate();
        LOG.info("sink starting (group {}, into {})", groupId, warehouse.config().redactedUrl());
        started = true;
        thread.start();
        return this;
    }

    public SinkStatus status() {
        return loop.status();
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    /**
     * Stops the loop (commits nothing unwritten) and closes the consumer, the DLQ producer and the pool. May be
     * called from {@code onFatal}, on the loop's own thread.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        loop.stop();
        if (started && Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(90).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("interrupted while waiting for the sink loop to stop");
            }
            if (thread.isAlive()) {
                LOG.warn("the sink loop did not stop within 90 s");
            }
        }
        try {
            producer.close(Duration.ofSeconds(10));
        } finally {
            if (!started) {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            }
            consumerMetrics.close();
            producerMetrics.close();
            warehouse.close();
        }
    }
}
