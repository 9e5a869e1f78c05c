package io.labhooks.cli;

import io.labhooks.config.LabhooksConfig;
import io.labhooks.ingress.IngressServer;
import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.ingress.spool.SpoolStore;
import io.labhooks.ingress.spool.SpoolingPublisher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code labhooks ingress}: the webhook receiver alone. */
@Command(name = "ingress", mixinStandardHelpOptions = true,
        description = {"Run the webhook receiver: POST /hooks/{source} lands exact bodies in labhooks.raw.v1.",
                "Answers 200 only once the record is durable: Kafka acked it, or it was synced to the disk spool (ingress.spool.dir),",
                "which a background forwarder drains to Kafka. Serves /health/live, /health/ready and /metrics on the same port.",
                "Stops gracefully on SIGTERM or Ctrl-C: stops accepting, finishes in-flight requests, forwards what it can",
                "of the spool within shutdown-timeout (the rest waits for the next start), flushes the producer."})
final class IngressCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LabhooksConfig cfg = config.load();
        Shutdown shutdown = new Shutdown();
        // Closed in reverse: the HTTP server, the forwarder, the producer, then the spool.
        try (Metrics metrics = new Metrics();
             SpoolStore spool = SpoolStore.open(cfg.ingress().spool());
             KafkaRawPublisher kafka = new KafkaRawPublisher(cfg.kafka(), cfg.largestBodyLimit(), cfg.ingress().ackTimeout(), metrics.registry);
             SpoolingPublisher publisher = new SpoolingPublisher(cfg.ingress(), spool, kafka, metrics.registry);
             IngressServer server = new IngressServer(cfg.ingress(), cfg.sources(), publisher, metrics.registry, () -> true).start()) {
            spec.commandLine().getErr().println("labhooks ingress ready on port " + server.port() + " (Kafka " + cfg.kafka().bootstrapServers()
                    + ", ack: " + cfg.ingress().ack().name().toLowerCase(java.util.Locale.ROOT) + ", spool " + spool.dir() + ")");
            spec.commandLine().getErr().flush();
            shutdown.await();
        }
        return 0;
    }
}
