package io.labhooks.cli;

import io.labhooks.bench.IngressBenchmark;
import io.labhooks.bench.ResultsTable;
import io.labhooks.bench.SpoolBenchmark;
import io.labhooks.bench.chart.Charts;
import io.labhooks.bench.normalizer.NormalizerThroughputBenchmark;
import io.labhooks.normalizer.NormalizerApp;
import io.labhooks.bench.sink.DebeziumRun;
import io.labhooks.bench.sink.SinkBench;
import io.labhooks.bench.stage.StageOptions;
import io.labhooks.bench.stage.StageReport;
import io.labhooks.config.Durations;
import io.labhooks.config.JdbcDatabase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code labhooks bench}: one benchmark per pipeline stage, each against its baseline. See bench/README.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a stage's benchmark: labhooks and its baseline in the same run, alternating after a discarded warm-up.",
                "Each prints a table and, as its last line, ratio=<x> (higher is better) against the stage's main baseline.",
                "Method and how to read the numbers: bench/README.md and docs/benchmarks.md."},
        subcommands = {BenchCommand.Ingress.class, BenchCommand.Normalizer.class, BenchCommand.Sink.class, BenchCommand.EndToEnd.class,
                BenchCommand.Chart.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every stage takes; a stage's own default applies where one is not given. */
    static final class Common {
        @Option(names = "--duration", paramLabel = "D",
                description = "Measured time per side and round, e.g. 15s or 2m (" + Durations.CONFIG_EXAMPLES + "); the warm-up "
                        + "comes on top and is discarded. The record counts are calibrated from the warm-up's rates. "
                        + "Default: ingress measures --records instead; the other stages 15s.")
        String duration;

        @Option(names = {"--body-size", "--body-bytes"}, paramLabel = "BYTES",
                description = "Body size. ingress: bytes of each JSON body and ProducerPerformance's --record-size (default 2048); "
                        + "sink: analytes per panel = BYTES / 160 (default 150 analytes); normalizer and e2e: not applicable "
                        + "(full Confident panels; the vendors' own payloads).")
        Integer bodySize;

        @Option(names = {"-c", "--concurrency"}, paramLabel = "C",
                description = "ingress: keep-alive HTTP connections, one request in flight on each (default 64); normalizer: "
                        + "num.stream.threads of every app (default: one per core, the normalizer's own default); e2e: requests in flight at most, in total over the four vendors (default 64); "
                        + "sink: not applicable (one writer).")
        Integer concurrency;

        @Option(names = "--rate", paramLabel = "R",
                description = "Fixed offered rate, deliveries per second, each timed from its intended start (coordinated omission "
                        + "corrected, as wrk2): ingress (default 0, the closed loop) and e2e (default 500). "
                        + "normalizer and sink measure throughput (as fast as they go) and do not take one.")
        Double rate;

        @Option(names = "--partitions", paramLabel = "P",
                description = "Partitions of the stage's topics (default 3).")
        Integer partitions;

        @Option(names = "--out", paramLabel = "F.json",
                description = "Also write the result as JSON to this file (e.g. bench/results/ingress.json).")
        Path out;

        StageOptions options(CommandSpec spec, Duration defaultDuration, int defaultBody, int defaultConcurrency, double defaultRate) {
            Duration d = defaultDuration;
            if (duration != null) {
                try {
                    d = Durations.parse(duration);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--duration: " + e.getMessage());
                }
            }
            try {
                return new StageOptions(d, bodySize == null ? defaultBody : bodySize, concurrency == null ? defaultConcurrency : concurrency,
                        rate == null ? defaultRate : rate, partitions == null ? 3 : partitions, Optional.ofNullable(out));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        void rejectRate(CommandSpec spec) {
            if (rate != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--rate: " + spec.name() + " measures throughput (as fast as it goes) and takes no fixed rate");
            }
        }
    }

    static void finish(CommandSpec spec, StageReport report, StageOptions o) {
        PrintWriter out = spec.commandLine().getOut();
        o.out().ifPresent(report::writeJson);
        o.out().ifPresent(f -> out.println("wrote " + f.toAbsolutePath()));
        report.print(out);
    }

    /** {@code kafka-defaults} or {@code ingress}. */
    static final class BaselineConverter implements CommandLine.ITypeConverter<IngressBenchmark.Baseline> {
        @Override
        public IngressBenchmark.Baseline convert(String value) {
            return switch (value) {
                case "kafka-defaults" -> IngressBenchmark.Baseline.KAFKA_DEFAULTS;
                case "ingress" -> IngressBenchmark.Baseline.INGRESS;
                default -> throw new CommandLine.TypeConversionException("expected kafka-defaults or ingress, was '" + value + "'");
            };
        }
    }

    /** {@code labhooks bench ingress}. */
    @Command(name = "ingress", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Ingress throughput against the bare Undertow floor and Kafka's own ProducerPerformance, in one JVM on one embedded broker.",
                    "",
                    "Starts an embedded single-node KRaft broker, then runs in every warm-up and round (1) ProducerPerformance (acks=all, "
                            + "idempotent; see --baseline for the rest) with records of the body size, (2) the bare Undertow floor "
                            + "(bench/peers/undertow-floor, in process: read the body, producer.send, 200 from the ack callback) and "
                            + "(3) the ingress, wired as 'labhooks ingress' wires it, both under the same closed-loop HTTP/1.1 load of "
                            + "--concurrency keep-alive connections (or a fixed --rate, timed from each request's intended start). The warm-up (--warmup-records per side, twice alternating) is discarded.",
                    "",
                    "Prints a row per side and round, the ProducerPerformance rows (ratio ingress / producer; the project's goal is >= 0.6), "
                            + "and last ratio=<ingress req/s / floor req/s> (median of the rounds; goal >= 0.9). Appends the "
                            + "ProducerPerformance rows to --results. Method and caveats: bench/README.md.",
                    "",
                    "The temporary disk holds one measured run's records at a time (the records already counted are dropped "
                            + "before each run): about a run's records times --body-size, e.g. 2 GB for 80,000 requests of 25 KiB. "
                            + "Exit code 0 when every request was answered 200 and "
                            + "landed in Kafka once, 1 otherwise.",
                    "",
                    "--scenario spool measures the disk spool instead: three runs of the same load, ack: kafka with a healthy "
                            + "broker, ack: spool, and ack: kafka while the broker is stopped (then started again, and the drain "
                            + "timed); rows go to bench/results/ingress-spool.md unless --results says otherwise; "
                            + "ratio=<spool req/s / kafka-healthy req/s>.",
                    ""})
    static final class Ingress implements Callable<Integer> {
        @Option(names = "--scenario", paramLabel = "S", defaultValue = "throughput",
                description = "throughput (the ingress against the floor and ProducerPerformance) or spool (ack: kafka healthy, ack: spool, "
                        + "ack: kafka during a broker outage; --rounds and --baseline do not apply) (default: ${DEFAULT-VALUE}).")
        String scenario;

        @Mixin
        Common common;

        @Option(names = {"-n", "--records"}, paramLabel = "N", defaultValue = "200000",
                description = "Measured records per side and round: ProducerPerformance records and HTTP requests; "
                        + "ignored with --duration (default: ${DEFAULT-VALUE}).")
        long records;

        @Option(names = {"-w", "--warmup-records"}, paramLabel = "W",
                description = "Records per side in the warm-up run, which is discarded (default: the same as --records, "
                        + "at least 1000000: ProducerPerformance needs about a million 2 KB records to reach its speed; 100000 with "
                        + "--duration; 0 skips the warm-up, not with --duration).")
        Long warmupRecords;

        @Option(names = {"-r", "--rounds"}, paramLabel = "R", defaultValue = "4",
                description = "Measured rounds, each running ProducerPerformance, then the floor and the ingress (the floor "
                        + "first in odd rounds, the ingress first in even ones: whichever runs second runs a few percent "
                        + "slower, so an even count is fair to both); the summary ratios are their medians "
                        + "(default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = {"-P", "--kafka-property"}, paramLabel = "KEY=VALUE",
                description = "A producer property for the ingress, as kafka.properties in its config (e.g. -P linger.ms=0); repeatable. "
                        + "The baseline gets it too with --baseline=ingress.")
        Map<String, String> kafkaProperties = new LinkedHashMap<>();

        @Option(names = "--baseline", paramLabel = "MODE", defaultValue = "kafka-defaults",
                converter = BaselineConverter.class,
                description = "ProducerPerformance's settings besides acks=all and idempotence: kafka-defaults (Kafka's linger and "
                        + "batch size; a yardstick that does not move when the ingress is tuned) or ingress (the ingress's own "
                        + "producer settings) (default: ${DEFAULT-VALUE}).")
        IngressBenchmark.Baseline baseline;

        @Option(names = "--results", paramLabel = "FILE",
                description = "Markdown table to append the result rows to; created with a header explaining the method if missing "
                        + "(default: bench/results/ingress.md, or bench/results/ingress-spool.md with --scenario spool).")
        Path results;

        @Option(names = "--no-results", description = "Do not append to the results file; only print the rows.")
        boolean noResults;

        @Option(names = "--show-producer-output", description = "Also print ProducerPerformance's own progress lines.")
        boolean showProducerOutput;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            StageOptions so = common.options(spec, Duration.ofSeconds(15), 2048, 64, 0);
            if (scenario.equals("spool")) {
                return spool(so);
            }
            if (!scenario.equals("throughput")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--scenario: expected throughput or spool, was '" + scenario + "'");
            }
            if (results == null) {
                results = IngressBenchmark.DEFAULT_RESULTS;
            }
            IngressBenchmark.Builder b = IngressBenchmark.Options.builder().records(records).concurrency(so.concurrency())
                    .bodyBytes(so.bodySize()).partitions(so.partitions()).rounds(rounds).kafkaProperties(kafkaProperties).baseline(baseline)
                    .resultsFile(noResults ? null : results).showProducerOutput(showProducerOutput).floor(true).rate(so.rate());
            if (common.duration != null) {
                b.duration(so.duration()).warmupRecords(warmupRecords != null ? warmupRecords : 100_000);
            } else if (warmupRecords != null) {
                b.warmupRecords(warmupRecords);
            }
            IngressBenchmark.Options o;
            try {
                o = b.build();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            IngressBenchmark.Result r = new IngressBenchmark().run(o);
            PrintWriter out = spec.commandLine().getOut();
            out.println();
            out.print(ResultsTable.COLUMNS);
            r.markdownRows().forEach(out::println);
            out.println();
            out.printf("ratio vs ProducerPerformance (ingress req/s / producer rec/s): %.2f%s; goal >= 0.6%n", r.medianRatio(),
                    r.rounds().size() > 1 ? " (median of " + r.rounds().size() + " rounds)" : "");
            o.resultsFile().ifPresent(f -> out.println("appended to " + f.toAbsolutePath()));
            if (!r.consistent()) {
                out.printf("NOT CONSISTENT: %d of %d requests were not answered 200; %d records in %s for %d 200s%n",
                        r.non200(), r.requestsSent(), r.rawTopicRecords(), io.labhooks.schemas.Topics.RAW, r.okResponses());
            }
            finish(spec, report(r, so), so);
            return r.consistent() ? 0 : 1;
        }

        static StageReport report(IngressBenchmark.Result r, StageOptions so) {
            StageReport s = new StageReport("ingress", "labhooks ingress req/s / bare Undertow floor req/s, same load, same broker "
                    + "(median of the rounds; goal >= 0.9)",
                    List.of("round", "side", "records", "per s", "p50 ms", "p99 ms", "ratio vs floor"));
            for (IngressBenchmark.Round round : r.rounds()) {
                double floor = round.floor().map(IngressBenchmark.IngressRun::requestsPerSec).orElse(Double.NaN);
                s.row(round.number(), "ProducerPerformance", round.producer().records(), round.producer().recordsPerSec(),
                        (double) round.producer().p50Ms(), (double) round.producer().p99Ms(), round.producer().recordsPerSec() / floor);
                round.floor().ifPresent(f -> s.row(round.number(), "undertow floor", f.requests(), f.requestsPerSec(),
                        f.client().p50Ms(), f.client().p99Ms(), 1.0));
                s.row(round.number(), "labhooks ingress", round.ingress().requests(), round.ingress().requestsPerSec(),
                        round.ingress().client().p50Ms(), round.ingress().client().p99Ms(), round.floorRatio());
            }
            s.parameter("duration_s", r.options().duration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN))
                    .parameter("records", r.options().records()).parameter("warmup_records", r.options().warmupRecords())
                    .parameter("concurrency", r.options().concurrency()).parameter("body_bytes", r.options().bodyBytes())
                    .parameter("partitions", r.options().partitions()).parameter("rounds", r.options().rounds())
                    .parameter("commit", r.environment().commit());
            s.figure("ratio vs ProducerPerformance", r.medianRatio());
            s.note("per s: records/s for ProducerPerformance (open loop; its latency is mostly time queued in its buffer), "
                    + "200s/s for the HTTP servers (closed loop, client-observed latency).");
            if (!r.consistent()) {
                s.note("NOT CONSISTENT: not every request was answered 200, or the raw topic does not hold one record per 200.");
            }
            return s.ratio(r.medianFloorRatio());
        }

        private int spool(StageOptions so) throws InterruptedException {
            long warmup = warmupRecords != null ? warmupRecords : Math.min(records, 20_000);
            SpoolBenchmark.Options o = new SpoolBenchmark.Options(records, warmup, so.concurrency(), so.bodySize(), so.partitions(),
                    java.util.Optional.ofNullable(noResults ? null : results == null ? SpoolBenchmark.DEFAULT_RESULTS : results));
            SpoolBenchmark.Result r = new SpoolBenchmark().run(o);
            PrintWriter out = spec.commandLine().getOut();
            out.println();
            out.print(SpoolBenchmark.COLUMNS);
            r.markdownRows().forEach(out::println);
            o.resultsFile().ifPresent(f -> out.println("appended to " + f.toAbsolutePath()));
            if (!r.consistent()) {
                out.printf("NOT CONSISTENT: not every request was answered 200, or %d records in %s for %d 200s%n",
                        r.rawTopicRecords(), io.labhooks.schemas.Topics.RAW, r.okResponses());
            }
            StageReport s = new StageReport("ingress-spool", "ack: spool req/s / ack: kafka (healthy broker) req/s",
                    List.of("scenario", "requests", "req/s", "p50 ms", "p99 ms"));
            double healthy = Double.NaN;
            double spool = Double.NaN;
            for (SpoolBenchmark.Run run : r.runs()) {
                s.row(run.scenario().name().toLowerCase(java.util.Locale.ROOT), run.load().requests(), run.requestsPerSec(),
                        run.client().p50Ms(), run.client().p99Ms());
                if (run.scenario() == SpoolBenchmark.Scenario.KAFKA_HEALTHY) {
                    healthy = run.requestsPerSec();
                } else if (run.scenario() == SpoolBenchmark.Scenario.SPOOL) {
                    spool = run.requestsPerSec();
                }
            }
            finish(spec, s.ratio(spool / healthy), so);
            return r.consistent() ? 0 : 1;
        }
    }

    /** {@code labhooks bench normalizer}. */
    @Command(name = "normalizer", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Normalizer throughput against a pass-through exactly_once_v2 Kafka Streams app, in one JVM on one embedded broker.",
                    "",
                    "Produces full Confident panels (157 analytes, ~20 KB) to labhooks.raw.v1 with the ingress headers, then runs "
                            + "over the same records: (1) the pass-through (stream(raw).to(out), bytes in, bytes out), (2) a stateful "
                            + "baseline with the normalizer's shape (a repartition and a changelogged key-value store), (3) the "
                            + "normalizer (NormalizerApp), all with NormalizerApp's Streams properties. A warm-up of each is discarded; "
                            + "N is the normalizer's warm-up rate times --duration. Time runs from start() to the last output record "
                            + "(read_committed).",
                    "",
                    "Last line: ratio=<normalizer rec/s / pass-through rec/s> (median of the rounds; goal >= 0.5). The summary row is "
                            + "appended to bench/results/normalizer.md (or --results). Method: docs/benchmarks-normalizer.md.",
                    ""})
    static final class Normalizer implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = {"-r", "--rounds"}, paramLabel = "R", defaultValue = "2",
                description = "Measured rounds of pass-through, stateful, normalizer (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--results", paramLabel = "FILE", description = "Markdown table to append the summary row to "
                + "(default: bench/results/normalizer.md).")
        Path results;

        @Option(names = "--no-results", description = "Do not append to the results file.")
        boolean noResults;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            common.rejectRate(spec);
            if (common.bodySize != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--body-size: the normalizer runs full Confident panels");
            }
            if (rounds < 1 || rounds > 100) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be 1..100, was " + rounds);
            }
            StageOptions o = common.options(spec, Duration.ofSeconds(15), 0, NormalizerApp.defaultStreamThreads(), 0);
            Optional<Path> file = noResults ? Optional.empty() : Optional.of(results == null ? NormalizerThroughputBenchmark.DEFAULT_RESULTS : results);
            StageReport r = NormalizerThroughputBenchmark.stage(o, rounds, file);
            file.ifPresent(f -> spec.commandLine().getOut().println("appended to " + f.toAbsolutePath()));
            finish(spec, r, o);
            return 0;
        }
    }

    /** {@code labhooks bench sink}. */
    @Command(name = "sink", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Sink throughput on PostgreSQL against PostgreSQL COPY of the same rows and, with --debezium, against "
                    + "the Debezium JDBC sink connector.",
                    "",
                    "Each round writes the same entities with full Confident panels (lab_entities + lab_results rows, as the sink "
                            + "maps canonical events) three ways, one transaction per --batch entities each: the sink's WarehouseWriter "
                            + "alone, COPY FROM STDIN, and the whole sink (a SinkApp reading them as canonical events from an embedded "
                            + "broker with --partitions). A warm-up round comes first and is discarded. The entity count is calibrated "
                            + "so that the writer's run lasts about --duration.",
                    "",
                    "The database is LABHOOKS_PG_URL (default jdbc:postgresql://127.0.0.1:5432/test), user LABHOOKS_PG_USER (postgres); "
                            + "a schema of its own, dropped at the end.",
                    "",
                    "With --debezium the Debezium JDBC sink connector (upsert mode, Kafka Connect standalone, in a JVM of its own: "
                            + "bench/debezium/run.sh) then writes the same samples in as many rounds, after its own warm-up.",
                    "",
                    "Last line: with --debezium ratio=<whole sink rows/s / Debezium rows/s> (medians of the rounds; goal >= 3), "
                            + "else ratio=<whole sink rows/s / COPY rows/s> (median of the rounds; goal >= 0.6). The writer alone "
                            + "against COPY, and the whole sink against COPY, are in the table either way.",
                    ""})
    static final class Sink implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = {"-r", "--rounds"}, paramLabel = "R", defaultValue = "3",
                description = "Measured rounds of writer, COPY and whole sink (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--batch", paramLabel = "E", defaultValue = "200",
                description = "Entities per transaction, for the writer and COPY alike, and the whole sink's "
                        + "sink.batch-size (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--debezium",
                description = "Also run the Debezium JDBC sink connector on the same rows (bench/debezium/run.sh, found from "
                        + "the working directory upwards: it needs the repository checkout, bash and mvn, and fetches Kafka "
                        + "Connect and Debezium from Maven Central on its first run), and make ratio= the whole sink against "
                        + "it (goal >= 3). Without it, ratio= is the whole sink against COPY.")
        boolean debezium;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            common.rejectRate(spec);
            if (rounds < 1 || rounds > 100 || batch < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be 1..100 and --batch at least 1");
            }
            Optional<Path> harness = Optional.empty();
            if (debezium) {
                harness = DebeziumRun.find(Path.of(""));
                if (harness.isEmpty()) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--debezium needs " + DebeziumRun.HARNESS
                            + " of the labhooks repository: run it from the checkout (no such file here or above "
                            + Path.of("").toAbsolutePath() + ")");
                }
            }
            StageOptions o = common.options(spec, Duration.ofSeconds(15), 0, NormalizerApp.defaultStreamThreads(), 0);
            finish(spec, SinkBench.stage(o, rounds, batch, harness), o);
            return 0;
        }
    }

    /** {@code labhooks bench e2e}. */
    @Command(name = "e2e", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The whole pipeline at a fixed rate: mixed-vendor deliveries through labhooks local's pipeline.",
                    "",
                    "Starts the pipeline of 'labhooks local' in this JVM (embedded broker, ingress, normalizer, SQLite sink), then "
                            + "the delivery simulator sends CoreOne, Confident, Flabs and LML deliveries, a quarter of --rate each, with "
                            + "the built-in development credentials: a warm-up (discarded), then --duration.",
                    "",
                    "The warm-up lasts at least a third of --duration (1-30 s) and then goes on, in 15 s steps, until the JIT "
                            + "compiled for less than 10%% of one core over the last step, or for --warmup at most: the broker, every "
                            + "stage and the client share this JVM, and on two cores the JIT took a whole core for about two minutes "
                            + "at 500/s. The table shows the warm-up's length and the JIT's share at its end and while measuring.",
                    "",
                    "Prints the rate held, receipt-to-warehouse p50/p99/p99.9 from labhooks_pipeline_latency_seconds (bucket upper "
                            + "bounds) and the consumer lag of the normalizer and the sink when the load ended. Goal: p99 < 1 s at 500/s.",
                    "",
                    "Last line: ratio=<deliveries acknowledged per second / offered per second>.",
                    "",
                    "With --burst N, the backlog drain instead: after the same warm-up, N full Confident samples (157 analytes, "
                            + "built before the clock starts) are sent at once with --concurrency requests in flight, and the table "
                            + "gives when each stage was done with them (every delivery acknowledged, the normalizer caught up, "
                            + "the warehouse holding them all), the samples per second of each, the CPU each stage's threads took "
                            + "meanwhile, and which stage finished last. Last line: ratio=<samples/s into the warehouse / "
                            + "samples/s acknowledged by the ingress>.",
                    ""})
    static final class EndToEnd implements Callable<Integer> {
        /** The largest --burst: the samples are held in memory (about 35 KB each) before they are sent. */
        static final int MAX_BURST = 50_000;

        @Mixin
        Common common;

        @Option(names = "--warmup", paramLabel = "D", defaultValue = "4m",
                description = "The longest warm-up, e.g. 30s or 4m (default: ${DEFAULT-VALUE}); it ends earlier once the JIT has "
                        + "settled. 0s skips it.")
        String warmup;

        @Option(names = "--jdbc-url", paramLabel = "URL",
                description = "The warehouse instead of a new SQLite file, e.g. a PostgreSQL schema: "
                        + "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=bench_e2e (an empty database or "
                        + "schema: the sink migrates it, and the run's rows stay in it).")
        String jdbcUrl;

        @Option(names = "--burst", paramLabel = "N",
                description = "Measure the backlog drain: after the warm-up, send N full Confident samples at once (1-"
                        + MAX_BURST + ") instead of --duration at --rate; --rate and --duration then shape only the warm-up.")
        Integer burst;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (common.bodySize != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--body-size: e2e sends the vendors' own payloads");
            }
            if (burst != null && (burst < 1 || burst > MAX_BURST)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--burst must be 1-" + MAX_BURST + ", was " + burst);
            }
            StageOptions o = common.options(spec, Duration.ofSeconds(15), 0, 64, 500);
            Duration maxWarmUp;
            try {
                maxWarmUp = Durations.parse(warmup);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--warmup: " + e.getMessage());
            }
            if (jdbcUrl != null && JdbcDatabase.of(jdbcUrl).isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--jdbc-url " + JdbcDatabase.REQUIREMENT);
            }
            finish(spec, EndToEndBench.run(o, maxWarmUp, Optional.ofNullable(jdbcUrl), burst == null ? 0 : burst), o);
            return 0;
        }
    }

    /** {@code labhooks bench chart}. */
    @Command(name = "chart", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"PNG charts (XChart) from the JSON results of 'labhooks bench <stage> --out F.json'.",
                    "",
                    "Every chart collects the points of all given files of its stage, one per run and series (the median of the run's "
                            + "rounds), so a sweep is a few runs with different options: ingress-throughput-vs-connections.png "
                            + "(--concurrency), ingress-cost-vs-body-size.png (ms per 1,000 requests = 1e6 / req/s, against --body-size), "
                            + "normalizer-throughput-vs-partitions.png (--partitions) and normalizer-throughput-vs-threads.png "
                            + "(--concurrency, num.stream.threads), a series per app; e2e-latency-vs-rate.png (p50/p99/p99.9 against "
                            + "--rate; --burst runs are left out). A chart against one option takes only the runs at the most common "
                            + "value of the stage's other option (--body-size or --concurrency for the ingress, --concurrency or "
                            + "--partitions for the normalizer), so that one sweep does not pool runs that differ in the other. A chart "
                            + "without points is not drawn.",
                    ""})
    static final class Chart implements Callable<Integer> {
        @CommandLine.Parameters(paramLabel = "F.json", arity = "1..*", description = "Result files of labhooks bench <stage> --out.")
        List<Path> results;

        @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "docs/charts",
                description = "Where the PNG files go (default: ${DEFAULT-VALUE}).")
        Path outDir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<Path> written = Charts.draw(results, outDir);
            PrintWriter out = spec.commandLine().getOut();
            written.forEach(f -> out.println("wrote " + f));
            out.flush();
            return written.isEmpty() ? 1 : 0;
        }
    }
}
