package io.labhooks.cli;

import io.labhooks.config.IngressConfig;
import io.labhooks.config.KafkaConfig;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.NormalizerConfig;
import io.labhooks.config.SinkConfig;
import io.labhooks.config.SpoolConfig;
import io.labhooks.ingress.IngressServer;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.ingress.spool.SpoolStore;
import io.labhooks.ingress.spool.SpoolingPublisher;
import io.labhooks.normalizer.NormalizerApp;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.sink.SinkApp;
import io.labhooks.sink.SinkStatus;
import io.labhooks.testkit.EmbeddedKafka;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one JVM, as {@code labhooks local} runs it: embedded broker, topics, sink, normalizer,
 * spool (at {@code D/spool}), producer and ingress. Closing stops them in reverse order: the ingress drains its
 * in-flight requests, the forwarder forwards what it can, the producer flushes, the spool closes, the normalizer
 * and the sink commit, and the broker stops last.
 */
final class LocalPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);
    static final String DEFAULT_SQLITE_URL = "jdbc:sqlite:data/warehouse.db";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    final LabhooksConfig config;
    final EmbeddedKafka kafka;
    final Metrics metrics;
    final SinkApp sink;
    final NormalizerApp normalizer;
    final IngressServer ingress;

    /**
     * @param useConfiguredSink keep the config's {@code sink.jdbc-url} (else SQLite at {@code dataDir/warehouse.db})
     * @param onFatal           called when the normalizer or the sink fails
     */
    LocalPipeline(LabhooksConfig cfg, Path dataDir, int port, int kafkaPort, boolean useConfiguredSink, Runnable onFatal)
            throws Exception {
        try {
            Files.createDirectories(dataDir);
            LOG.info("starting the embedded Kafka broker on port {} (data in {})", kafkaPort, dataDir.resolve("kafka"));
            this.kafka = add(EmbeddedKafka.builder().port(kafkaPort).dataDir(dataDir.resolve("kafka")).start());
            this.config = localize(cfg, dataDir, port, kafka.bootstrapServers(), useConfiguredSink);
            try (TopicsAdmin admin = new TopicsAdmin(config)) {
                TopicsAdmin.Report r = admin.ensure(TopicsAdmin.specs(config), true);
                r.created().forEach(t -> LOG.info("created topic {}", t));
                r.problems().forEach(p -> LOG.warn("topic: {}", p));
            }
            this.metrics = add(new Metrics());
            this.sink = add(new SinkApp(config, metrics.registry, onFatal).start());
            this.normalizer = add(new NormalizerApp(config, new Adapters()::forSource, metrics.registry, onFatal).start());
            SpoolStore spool = add(SpoolStore.open(config.ingress().spool()));
            KafkaRawPublisher kafkaPublisher = add(new KafkaRawPublisher(config.kafka(), config.largestBodyLimit(),
                    config.ingress().ackTimeout(), metrics.registry));
            SpoolingPublisher publisher = add(new SpoolingPublisher(config.ingress(), spool, kafkaPublisher, metrics.registry));
            this.ingress = add(new IngressServer(config.ingress(), config.sources(), publisher, metrics.registry,
                    () -> normalizer.running() && sink.status() != SinkStatus.FAILED).start());
        } catch (Exception | Error e) {
            closeStarted(e);
            throw e;
        }
    }

    private <T extends AutoCloseable> T add(T c) {
        started.push(c);
        return c;
    }

    /** Points the config at the embedded broker, the chosen port and the data dir. */
    static LabhooksConfig localize(LabhooksConfig cfg, Path dataDir, int port, String bootstrap, boolean useConfiguredSink) {
        IngressConfig i = cfg.ingress();
        IngressConfig ingress = new IngressConfig(i.host(), port, i.ack(), i.ackTimeout(),
                new SpoolConfig(dataDir.resolve("spool"), i.spool().maxBytes()), i.maxInFlight(), i.readTimeout(),
                i.idleTimeout(), i.shutdownTimeout(), i.ioThreads(), i.tls());
        NormalizerConfig n = cfg.normalizer();
        NormalizerConfig normalizer = new NormalizerConfig(n.applicationId(), dataDir.resolve("streams"), n.dedupeRetention(),
                n.standbyReplicas(), n.properties());
        SinkConfig s = cfg.sink();
        SinkConfig sink = useConfiguredSink && !s.jdbcUrl().equals(DEFAULT_SQLITE_URL) ? s
                : new SinkConfig("jdbc:sqlite:" + dataDir.resolve("warehouse.db"), s.username(), s.password(), s.groupId(),
                s.batchSize(), s.pollTimeout());
        return cfg.withKafka(new KafkaConfig(bootstrap, cfg.kafka().properties()))
                .withIngress(ingress).withNormalizer(normalizer).withSink(sink);
    }

    int port() {
        return ingress.port();
    }

    PrometheusMeterRegistry registry() {
        return metrics.registry;
    }

    @Override
    public void close() throws Exception {
        LOG.info("stopping: ingress, spool forwarder, producer, spool, normalizer, sink, then the broker");
        closeStarted(null);
    }

    private void closeStarted(Throwable primary) throws Exception {
        Exception failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
