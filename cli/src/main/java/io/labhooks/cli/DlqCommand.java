package io.labhooks.cli;

import io.labhooks.cli.replay.DlqRedrive;
import io.labhooks.cli.replay.Runner;
import io.labhooks.cli.replay.TimeArg;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.schemas.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code labhooks dlq}: work with the dead-letter queue, {@code labhooks.dlq.v1}. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = {"Work with the dead-letter queue, labhooks.dlq.v1: deliveries the normalizer",
                "could not turn into events (labhooks.error.stage=normalize) and events the",
                "warehouse refused (stage sink), each with its original key, value and headers",
                "plus labhooks.error.topic, .stage, .reason and .message."},
        subcommands = {DlqCommand.Replay.class},
        footer = {"", "Run 'labhooks dlq replay --help' for the redrive."})
final class DlqCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: replay");
    }

    /** {@code labhooks dlq replay}: redrive DLQ records once their cause is fixed. */
    @Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Redrive DLQ records once their cause is fixed (e.g. a source added to the",
                    "config). Reads labhooks.dlq.v1 from the beginning (or --from), picks the",
                    "records whose labhooks.error.reason is one of --reason (all if none is",
                    "given), removes their labhooks.error.* headers, adds labhooks.redriven-at",
                    "(epoch ms), and publishes the original key and value to the topic named by",
                    "labhooks.error.topic: labhooks.raw.v1 (back through the normalizer), or",
                    "labhooks.events.v1 / labhooks.entities.v1 (back to the sink). A normalize",
                    "record without that header goes to labhooks.raw.v1; other records without it",
                    "are skipped and counted.",
                    "Downstream is idempotent: the normalizer's dedupe drops events it has already",
                    "emitted, and the warehouse writes are idempotent SQL.",
                    "A redriven record that still fails lands in the DLQ again, as a new record",
                    "timestamped at the redrive; the old record stays. Use --from (e.g. the time",
                    "of the last redrive) to leave the older attempts out.",
                    "Reads read_committed without a consumer group (it commits no offsets), up to",
                    "the end offsets at start. Publishes with an idempotent producer, acks=all.",
                    "Progress on stderr every 2 s, totals on stdout at the end.",
                    "TIME is an ISO-8601 instant (2024-05-01T10:00:00Z), a date-time in UTC",
                    "(2024-05-01T10:00) or a duration back from now (30m, 1h, 2d).",
                    "  labhooks dlq replay --config labhooks.yaml --reason unknown-source",
                    "  labhooks dlq replay --config labhooks.yaml --stage sink --from 1d --dry-run",
                    ""},
            footer = {"",
                    "Exit codes: 0 every selected record was published; 1 a failure (what was",
                    "published stays published, and running again is safe); 2 bad usage or config."})
    static final class Replay implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Option(names = "--reason", paramLabel = "REASON", split = ",",
                description = "Redrive records with this labhooks.error.reason, e.g. unknown-source, not-json, missing-id, "
                        + "bad-version, wrong-shape, too-large, or a sink reason (an SQLState, undecodable). "
                        + "Repeat or separate with commas for several. Default: every reason.")
        List<String> reasons = new ArrayList<>();

        @Option(names = "--stage", paramLabel = "STAGE",
                description = "Only records of this labhooks.error.stage: normalize or sink (default: both).")
        String stage;

        @Option(names = "--from", paramLabel = "TIME",
                description = "Only DLQ records timestamped at or after this time (default: from the beginning of the topic). "
                        + "A normalize record carries the timestamp of the raw record (its receipt, or its last redrive); "
                        + "a sink record the time it was dead-lettered.")
        String from;

        @Option(names = "--to", paramLabel = "TIME",
                description = "Only DLQ records timestamped before this time (default: up to the end of the topic at start).")
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
            Instant fromTime = from == null ? null : TimeArg.parse("--from", from, now, problems);
            Instant toTime = to == null ? null : TimeArg.parse("--to", to, now, problems);
            TimeArg.checkRange(fromTime, toTime, now, problems);
            String stageId = stage == null ? null : stage.strip().toLowerCase(Locale.ROOT);
            if (stageId != null && !DlqRedrive.STAGES.contains(stageId)) {
                problems.add("--stage must be one of " + String.join(", ", DlqRedrive.STAGES) + ", was '" + stage + "'");
            }
            Set<String> wanted = new LinkedHashSet<>();
            for (String r : reasons) {
                if (r.isBlank()) {
                    problems.add("--reason must not be empty");
                } else {
                    wanted.add(r.strip());
                }
            }
            if (!problems.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), String.join(System.lineSeparator(), problems));
            }
            String label = "labhooks dlq replay";
            spec.commandLine().getErr().println(label + ": " + Topics.DLQ + ", reasons " + (wanted.isEmpty() ? "all" : String.join(", ", wanted))
                    + ", stages " + (stageId == null ? "all" : stageId) + ", from " + (fromTime == null ? "the beginning" : fromTime)
                    + " to " + (toTime == null ? "the end at start" : toTime) + (dryRun ? " (dry run)" : ""));
            spec.commandLine().getErr().flush();
            return Runner.run(cfg, label, dryRun, DlqRedrive.scan(fromTime, toTime),
                    new DlqRedrive(wanted, stageId, clock), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
