package io.labhooks.cli;

import io.labhooks.config.LabhooksConfig;
import io.labhooks.normalizer.NormalizerApp;
import io.labhooks.normalizer.adapter.Adapters;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code labhooks normalizer}: raw deliveries to canonical, deduplicated events. */
@Command(name = "normalizer", mixinStandardHelpOptions = true,
        description = {"Run the normalizer (Kafka Streams, exactly_once_v2): labhooks.raw.v1 to labhooks.events.v1",
                "(every distinct event once) and labhooks.entities.v1 (compacted, events that advance their entity).",
                "Deliveries that cannot be normalized go to labhooks.dlq.v1 with labhooks.error.* headers.",
                "State (dedupe high-water marks) lives in normalizer.state-dir and its changelog topic.",
                "Exits 1 if the stream fails (a supervisor restarts it; exactly-once makes that safe)."})
final class NormalizerCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Port for /metrics, /health/live and /health/ready (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        LabhooksConfig cfg = config.load();
        return BackgroundPart.run(spec.commandLine().getErr(), "normalizer (application id " + cfg.normalizer().applicationId() + ")", cfg.ingress().host(),
                metricsPort, (registry, onFatal) -> new NormalizerApp(cfg, new Adapters()::forSource, registry, onFatal).start(),
                NormalizerApp::running);
    }
}
