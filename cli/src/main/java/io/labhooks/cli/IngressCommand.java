package io.labhooks.cli;

import io.labhooks.config.LabhooksConfig;
import io.labhooks.ingress.IngressServer;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code labhooks ingress}: the webhook receiver alone. */
@Command(name = "ingress", mixinStandardHelpOptions = true,
        description = {"Run the webhook receiver: POST /hooks/{source} lands exact bodies in labhooks.raw.v1.",
                "Answers 200 only after Kafka acked the record. Serves /health/live, /health/ready and /metrics on the same port.",
                "Stops gracefully on SIGTERM or Ctrl-C: stops accepting, finishes in-flight requests, flushes the producer."})
final class IngressCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LabhooksConfig cfg = config.load();
        Shutdown shutdown = new Shutdown();
        try (Metrics metrics = new Metrics();
             KafkaRawPublisher publisher = new KafkaRawPublisher(cfg.kafka(), cfg.largestBodyLimit(), cfg.ingress().ackTimeout(), metrics.registry);
             IngressServer server = new IngressServer(cfg.ingress(), cfg.sources(), publisher, metrics.registry, () -> true).start()) {
            spec.commandLine().getErr().println("labhooks ingress ready on port " + server.port() + " (Kafka " + cfg.kafka().bootstrapServers() + ")");
            spec.commandLine().getErr().flush();
            shutdown.await();
        }
        return 0;
    }
}
