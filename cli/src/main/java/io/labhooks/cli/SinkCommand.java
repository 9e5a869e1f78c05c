package io.labhooks.cli;

import io.labhooks.config.LabhooksConfig;
import io.labhooks.sink.SinkApp;
import io.labhooks.sink.SinkStatus;
import io.labhooks.sink.rebuild.WarehouseRebuild;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code labhooks sink}: canonical events into the SQL warehouse. */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = {"Keep the SQL warehouse current: labhooks.events.v1 and labhooks.entities.v1 (read_committed) into",
                "lab_events, lab_entities and lab_results (and the lab_samples view), on PostgreSQL or SQLite (sink.jdbc-url).",
                "Runs the Flyway migrations at start. Commits the DB transaction, then the offsets; a restart replays idempotently.",
                "While the database is down it pauses, backs off and stays in the consumer group; a row the database refuses",
                "goes to labhooks.dlq.v1 with the reason. Exits 1 on an unexpected failure.",
                "With --rebuild: migrate, re-derive the Confident rows written by an older version (verdicts, report units,",
                "category info fields, ...) from each stored event's vendor payload, print what was done and exit."})
final class SinkCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8082",
            description = "Port for /metrics, /health/live and /health/ready (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int metricsPort;

    @Option(names = "--rebuild",
            description = "Re-derive the warehouse's Confident rows (lab_events payloads, lab_entities state, lab_results, "
                    + "lab_result_categories) by running the Confident adapter again on each stored event's data.vendor_payload, "
                    + "then exit. Idempotent; the running sink may go on meanwhile. See docs/warehouse.md, Upgrading and rebuilding.")
    boolean rebuild;

    @Override
    public Integer call() throws Exception {
        LabhooksConfig cfg = config.load();
        if (rebuild) {
            WarehouseRebuild.Result r = new ConfidentRebuild(cfg).run();
            spec.commandLine().getOut().printf(java.util.Locale.ROOT,
                    "labhooks sink --rebuild: %d Confident events read, %d rewritten; %d entities rewritten, %d left as they are%n",
                    r.events(), r.eventsRewritten(), r.entities(), r.entitiesSkipped());
            return 0;
        }
        spec.commandLine().getErr().println("labhooks sink: writing to " + cfg.sink().redactedUrl());
        return BackgroundPart.run(spec.commandLine().getErr(), "sink", cfg.ingress().host(), metricsPort,
                (registry, onFatal) -> new SinkApp(cfg, registry, onFatal).start(),
                sink -> sink.status() == SinkStatus.RUNNING);
    }
}
