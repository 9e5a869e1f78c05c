package io.labhooks.cli;

import io.labhooks.cli.replay.RawReplay;
import io.labhooks.cli.replay.Runner;
import io.labhooks.cli.replay.TimeArg;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SourceConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code labhooks replay}: re-publish the raw deliveries of one source over a time range. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Re-publish the raw deliveries of one source, received in [--from, --to),",
                "from labhooks.raw.v1 back to labhooks.raw.v1, so that the normalizer",
                "processes them again (e.g. after its state was lost).",
                "Key, value, headers and timestamp are copied byte for byte, plus the header",
                "labhooks.replayed-at (epoch ms). The normalizer computes the same event ids",
                "and its dedupe drops those it has seen (within normalizer.dedupe-retention);",
                "the warehouse writes are idempotent too. Copies made by an earlier replay are",
                "skipped: their originals are replayed instead.",
                "Reads read_committed without a consumer group (it commits no offsets), from",
                "each partition's first record at --from up to the end offsets at start, or",
                "up to the partition's first record at or past --to. A delivery that the",
                "ingress spooled during a Kafka outage and forwarded after --to is therefore",
                "not reached: give a later --to to include it.",
                "Publishes with an idempotent producer, acks=all. Progress on stderr every",
                "2 s, totals on stdout at the end.",
                "TIME is an ISO-8601 instant (2024-05-01T10:00:00Z), a date-time in UTC",
                "(2024-05-01T10:00) or a duration back from now (30m, 1h, 2d).",
                "  labhooks replay --config labhooks.yaml --source flabs --from 2h",
                "  labhooks replay --config labhooks.yaml --source lml \\",
                "      --from 2024-05-01T10:00:00Z --to 2024-05-01T12:00:00Z",
                ""},
        footer = {"",
                "Exit codes: 0 every selected record was published; 1 a failure (what was",
                "published stays published, and running again is safe); 2 bad usage or config",
                "(e.g. an unknown source, or --from not before --to)."})
final class ReplayCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--source", required = true, paramLabel = "SOURCE",
            description = "The source id (as in the config's sources) whose deliveries to replay, matched on the labhooks.source header.")
    String source;

    @Option(names = "--from", required = true, paramLabel = "TIME",
            description = "Replay deliveries received at or after this time (the record timestamp, which the ingress sets to the receipt time).")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "Replay deliveries received before this time (default: up to the end of the topic when the replay starts).")
    String to;

    @Option(names = "--dry-run", description = "Read and count, but publish nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        LabhooksConfig cfg = config.load();
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        Instant fromTime = TimeArg.parse("--from", from, now, problems);
        Instant toTime = to == null ? null : TimeArg.parse("--to", to, now, problems);
        if (cfg.source(source).isEmpty()) {
            problems.add("--source '" + source + "' is not in the config; the configured sources are: "
                    + (cfg.sources().isEmpty() ? "(none)" : cfg.sources().stream().map(SourceConfig::id).collect(Collectors.joining(", "))));
        }
        TimeArg.checkRange(fromTime, toTime, now, problems);
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join(System.lineSeparator(), problems));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String label = "labhooks replay";
        err.println(label + ": source " + source + ", deliveries received from " + fromTime + " to "
                + (toTime == null ? "the end of labhooks.raw.v1 at start" : toTime) + (dryRun ? " (dry run)" : ""));
        err.flush();
        return Runner.run(cfg, label, dryRun, RawReplay.scan(fromTime, toTime), new RawReplay(source, clock), out, err);
    }
}
