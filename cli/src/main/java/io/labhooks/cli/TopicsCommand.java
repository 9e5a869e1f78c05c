package io.labhooks.cli;

import io.labhooks.config.LabhooksConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code labhooks topics}: create or verify the four topics. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = {"Create the pipeline's four topics, or verify existing ones:",
                "  labhooks.raw.v1       delete, retention 7 days, max.message.bytes above the largest source body limit",
                "  labhooks.events.v1    delete, kept forever (the event history)",
                "  labhooks.entities.v1  compacted (latest state per entity)",
                "  labhooks.dlq.v1       delete, retention 30 days",
                "Partitions and replication come from topics.partitions and topics.replication-factor.",
                "Exit code 0 when every topic is as needed, 1 when something differs (listed)."})
final class TopicsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--apply", description = "Also set topic configs that differ (partitions and replication are never changed).")
    boolean apply;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LabhooksConfig cfg = config.load();
        PrintWriter out = spec.commandLine().getOut();
        try (TopicsAdmin admin = new TopicsAdmin(cfg)) {
            TopicsAdmin.Report r = admin.ensure(TopicsAdmin.specs(cfg), apply);
            return print(r, out);
        }
    }

    static int print(TopicsAdmin.Report r, PrintWriter out) {
        r.created().forEach(t -> out.println("created  " + t));
        r.altered().forEach(t -> out.println("altered  " + t));
        r.problems().forEach(p -> out.println("PROBLEM  " + p));
        if (r.ok()) {
            out.println("topics ok");
        }
        out.flush();
        return r.ok() ? 0 : 1;
    }
}
