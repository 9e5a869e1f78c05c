package io.labhooks.cli;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.ConfigLoader;
import io.labhooks.config.IngressConfig;
import io.labhooks.config.KafkaConfig;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.NormalizerConfig;
import io.labhooks.config.SinkConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.SpoolConfig;
import io.labhooks.ingress.IngressServer;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.testkit.EmbeddedKafka;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import io.labhooks.normalizer.NormalizerApp;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.sink.SinkApp;
import io.labhooks.sink.SinkStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code labhooks local}: the pipeline on a laptop, with an embedded Kafka broker. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Run the pipeline in one JVM with an embedded single-node Kafka broker (KRaft).",
                "Starts the broker (reachable by other programs at localhost:<kafka-port>), creates the topics,",
                "and starts the sink (SQLite at <data-dir>/warehouse.db, or the config's sink.jdbc-url), the normalizer and the ingress.",
                "Prints each source's URL with a curl command that it accepts, and how to query the warehouse.",
                "State (Kafka log, spool) lives under --data-dir and survives restarts. Stop with Ctrl-C or SIGTERM."})
final class LocalCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCommand.class);
    static final String BUILT_IN = "labhooks-local.yaml";

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML config. Default: a built-in development config with one source per vendor (coreone, confident, flabs, lml).")
    Path configFile;

    @Option(names = {"-d", "--data-dir"}, paramLabel = "DIR", defaultValue = "data",
            description = "Where the broker's log, the spool and the state live (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "8080",
            description = "HTTP port of the ingress, /metrics and /health (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = {"-k", "--kafka-port"}, paramLabel = "PORT", defaultValue = "9092",
            description = "Port of the embedded Kafka broker (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int kafkaPort;

    @Option(names = "--show-secrets",
            description = "Print tokens in the sample curl commands even for a config given with --config (they are always shown for the built-in development config).")
    boolean showSecrets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LabhooksConfig cfg = loadConfig();
        Files.createDirectories(dataDir);
        Shutdown shutdown = new Shutdown();
        AtomicBoolean failed = new AtomicBoolean();
        LOG.info("starting the embedded Kafka broker on port {} (data in {})", kafkaPort, dataDir.resolve("kafka"));
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().port(kafkaPort).dataDir(dataDir.resolve("kafka")).start()) {
            LabhooksConfig local = localize(cfg, kafka);
            try (TopicsAdmin admin = new TopicsAdmin(local)) {
                TopicsAdmin.Report r = admin.ensure(TopicsAdmin.specs(local), true);
                r.created().forEach(t -> LOG.info("created topic {}", t));
                r.problems().forEach(p -> LOG.warn("topic: {}", p));
            }
            try (Metrics metrics = new Metrics();
                 SinkApp sink = new SinkApp(local, metrics.registry, () -> {
                     failed.set(true);
                     shutdown.trigger();
                 }).start();
                 NormalizerApp normalizer = new NormalizerApp(local, new Adapters()::forSource, metrics.registry, () -> {
                     failed.set(true);
                     shutdown.trigger();
                 }).start();
                 KafkaRawPublisher publisher = new KafkaRawPublisher(local.kafka(), local.largestBodyLimit(),
                         local.ingress().ackTimeout(), metrics.registry);
                 IngressServer server = new IngressServer(local.ingress(), local.sources(), publisher, metrics.registry,
                         () -> normalizer.running() && sink.status() != SinkStatus.FAILED).start()) {
                printBanner(spec.commandLine().getOut(), local, server.port(), kafka.port(), configFile == null || showSecrets);
                shutdown.await();
                LOG.info("stopping: ingress, producer, normalizer, sink, then the broker");
            }
        }
        LOG.info(failed.get() ? "stopped after a failure" : "stopped cleanly");
        return failed.get() ? 1 : 0;
    }

    private LabhooksConfig loadConfig() throws IOException {
        if (configFile != null) {
            return ConfigLoader.load(configFile, System.getenv());
        }
        try (InputStream in = LocalCommand.class.getResourceAsStream("/" + BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("the built-in config " + BUILT_IN + " is missing from the jar");
            }
            return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in " + BUILT_IN, System.getenv());
        }
    }

    /** Points the config at the embedded broker, the chosen port and the data dir. */
    private LabhooksConfig localize(LabhooksConfig cfg, EmbeddedKafka kafka) {
        IngressConfig i = cfg.ingress();
        IngressConfig ingress = new IngressConfig(i.host(), port, i.ack(), i.ackTimeout(),
                new SpoolConfig(dataDir.resolve("spool"), i.spool().maxBytes()), i.maxInFlight(), i.readTimeout(),
                i.idleTimeout(), i.shutdownTimeout(), i.ioThreads(), i.tls());
        NormalizerConfig n = cfg.normalizer();
        NormalizerConfig normalizer = new NormalizerConfig(n.applicationId(), dataDir.resolve("streams"), n.dedupeRetention(),
                n.standbyReplicas(), n.properties());
        SinkConfig s = cfg.sink();
        SinkConfig sink = configFile != null && !s.jdbcUrl().equals("jdbc:sqlite:data/warehouse.db") ? s
                : new SinkConfig("jdbc:sqlite:" + dataDir.resolve("warehouse.db"), s.username(), s.password(), s.groupId(),
                s.batchSize(), s.pollTimeout());
        return cfg.withKafka(new KafkaConfig(kafka.bootstrapServers(), cfg.kafka().properties()))
                .withIngress(ingress).withNormalizer(normalizer).withSink(sink);
    }

    static void printBanner(PrintWriter out, LabhooksConfig cfg, int httpPort, int kafkaPort, boolean showSecrets) {
        String base = "http://localhost:" + httpPort;
        out.println();
        out.println("labhooks local is running");
        out.println("  Kafka bootstrap  localhost:" + kafkaPort);
        String url = cfg.sink().jdbcUrl();
        if (url.startsWith("jdbc:sqlite:")) {
            String db = url.substring("jdbc:sqlite:".length());
            out.println("  warehouse        " + db);
            out.println("                   sqlite3 " + db + " 'select entity_key, version, deleted from lab_entities order by updated_at desc limit 10'");
        } else {
            out.println("  warehouse        " + cfg.sink().redactedUrl());
        }
        out.println("  metrics          " + base + "/metrics");
        out.println("  health           " + base + "/health/ready");
        out.println();
        out.println("Send a test delivery (each command below is accepted as is):");
        for (SourceConfig s : cfg.sources()) {
            out.println();
            out.println("# " + s.id() + " (" + s.vendor().id() + ", auth " + s.auth().type().id() + ")");
            out.println(SampleCurl.forSource(s, base, showSecrets));
        }
        out.println();
        out.println("Watch the events:  kafka-console-consumer.sh --bootstrap-server localhost:" + kafkaPort
                + " --topic labhooks.events.v1 --from-beginning --isolation-level read_committed");
        out.println("Stop with Ctrl-C.");
        out.flush();
    }

}
