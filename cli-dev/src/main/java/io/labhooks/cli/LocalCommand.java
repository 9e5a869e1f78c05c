package io.labhooks.cli;


import io.labhooks.config.ConfigLoader;


import io.labhooks.config.LabhooksConfig;


import io.labhooks.config.SourceConfig;




import java.io.IOException;
import java.io.PrintWriter;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;




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

    @Option(names = "--demo",
            description = "Also run the vendor simulator for all four vendors at a gentle rate (built-in config only), with progress on the console.")
    boolean demo;

    @Option(names = "--demo-rate", paramLabel = "R", defaultValue = "2",
            description = "Deliveries per second per vendor with --demo (default: ${DEFAULT-VALUE}).")
    double demoRate;

    @Option(names = "--show-secrets",
            description = "Print tokens in the sample curl commands even for a config given with --config (they are always shown for the built-in development config).")
    boolean showSecrets;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (demo && configFile != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--demo uses the built-in development config and its credentials; leave out --config");
        }
        if (demo && !(demoRate > 0 && demoRate <= 1000)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--demo-rate must be in (0, 1000]");
        }
        LabhooksConfig cfg = loadConfig();
        Shutdown shutdown = new Shutdown();
        AtomicBoolean failed = new AtomicBoolean();
        try (LocalLogNoise quiet = LocalLogNoise.install();
             LocalPipeline pipeline = new LocalPipeline(cfg, dataDir, port, kafkaPort, configFile != null, () -> {
            failed.set(true);
            shutdown.trigger();
        })) {
            printBanner(spec.commandLine().getOut(), pipeline.config, pipeline.port(), pipeline.kafka.port(), configFile == null || showSecrets);
            if (demo) {
                try (Demo d = new Demo(pipeline.port(), demoRate, pipeline.registry(), spec.commandLine().getOut())) {
                    shutdown.await();
                }
            } else {
                shutdown.await();
            }
        }
        LOG.info(failed.get() ? "stopped after a failure" : "stopped cleanly");
        return failed.get() ? 1 : 0;
    }

    private LabhooksConfig loadConfig() throws IOException {
        return configFile != null ? ConfigLoader.load(configFile, System.getenv()) : LocalPipelines.builtInConfig(System.getenv());
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
