package io.labhooks.normalizer;

import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.normalizer.adapter.VendorAdapter;
import io.labhooks.normalizer.topology.NormalizerTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the normalizer topology with production settings: {@code exactly_once_v2}, a persistent state dir,
 * configurable standby replicas, no {@code cleanUp()} at start, the default commit interval. An
 * unexpected failure stops the client and calls {@code onFatal} (the CLI then exits non-zero, so a
 * supervisor restarts it, and exactly-once makes the restart safe).
 */
public final class NormalizerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NormalizerApp.class);

    /**
     * Defaults, from the profile in docs/benchmarks.md, that {@code normalizer.properties} may override:
     * <ul>
     *   <li>{@code num.stream.threads}: one per core (the adapter's JSON work is CPU-bound; Streams' own default is 1);</li>
     *   <li>{@code compression.type=lz4} on its producer: a canonical event is about 2.5 times its delivery (it carries
     *       the vendor payload beside the mapped fields) and is written three times (repartition, events, entities);
     *       JSON compresses 5-10 times, which takes most of that load off the broker;</li>
     *   <li>{@code batch.size} 256 KiB on its producer: a full Confident event (about 90 KB) is over the 16 KiB
     *       default, so every send allocated and zeroed a new buffer instead of reusing a pooled one.</li>
     * </ul>
     */
    static final Map<String, Object> PERFORMANCE_DEFAULTS = Map.of(
            StreamsConfig.NUM_STREAM_THREADS_CONFIG, defaultStreamThreads(),
            StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4",
            StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);

    /** {@code num.stream.threads} unless configured: one per core. */
    public static int defaultStreamThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private volatile boolean closed;

    public NormalizerApp(LabhooksConfig config, Function<SourceConfig, VendorAdapter> adapters, MeterRegistry registry,
                         Runnable onFatal) {
        this.streams = new KafkaStreams(NormalizerTopology.buildTopology(config, adapters, NormalizerMetrics.of(registry)),
                streamsProperties(config));
        streams.setStateListener((now, before) -> LOG.info("normalizer: {} -> {}", before, now));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("normalizer stream thread failed; stopping the normalizer", e);
            onFatal.run();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /** The Kafka Streams properties this app runs with (also used by the benchmark, so both measure the same config). */
    public static Properties streamsProperties(LabhooksConfig config) {
        Properties p = new Properties();
        p.putAll(config.kafka().properties());
        p.putAll(config.normalizer().properties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.normalizer().applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.normalizer().stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.normalizer().standbyReplicas());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topics().replicationFactor());
        p.putIfAbsent("processing.exception.handler.global.enabled", "true");
        // Streams' partition assignor reads its StreamsConfig from the main consumer's configs, which leave this key
        // out, and warns at every start that it is not enabled; passing it to the consumer too silences that.
        p.putIfAbsent(StreamsConfig.mainConsumerPrefix("processing.exception.handler.global.enabled"), "true");
        p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                (int) Math.min(Integer.MAX_VALUE, 4 * config.largestBodyLimit() + (1 << 20)));
        p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                (int) Math.min(Integer.MAX_VALUE, 4 * config.largestBodyLimit() + (1 << 20)));
        // a producer default yields to the same setting made with or without the producer. prefix
        PERFORMANCE_DEFAULTS.forEach((key, value) -> {
            String plain = key.startsWith(StreamsConfig.PRODUCER_PREFIX) ? key.substring(StreamsConfig.PRODUCER_PREFIX.length()) : key;
            if (!p.containsKey(key) && !p.containsKey(plain)) {
                p.put(key, value);
            }
        });
        return p;
    }

    public NormalizerApp start() {
        streams.start();
        return this;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** True once the app is running (all tasks assigned and restored). */
    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        streamsMetrics.close();
        if (!streams.close(Duration.ofSeconds(30))) {
            LOG.warn("normalizer did not stop within 30 s");
        }
    }
}
