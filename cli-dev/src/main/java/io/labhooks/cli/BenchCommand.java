package io.labhooks.cli;

import io.labhooks.bench.IngressBenchmark;
import io.labhooks.bench.ResultsTable;
import io.labhooks.bench.SpoolBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code labhooks bench}: benchmarks that are too long for the test run. See bench/README.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Run a benchmark. Each prints its Markdown result rows and appends them to a results file.",
                "Method and how to read the numbers: bench/README.md."},
        subcommands = {BenchCommand.Ingress.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
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
            description = {"Ingress throughput against Kafka's own ProducerPerformance, in one JVM on one embedded broker.",
                    "",
                    "Starts an embedded single-node KRaft broker, then runs (1) ProducerPerformance (acks=all, idempotent; "
                            + "see --baseline for the rest) with records of the body size, and (2) the ingress, wired as "
                            + "'labhooks ingress' wires it, under a closed-loop HTTP/1.1 load of --concurrency keep-alive connections (or a fixed --rate). "
                            + "Both sides first run --warmup-records that are discarded.",
                    "",
                    "Prints ingress req/s over producer rec/s (the ratio; the project's goal is >= 0.6) with p50/p99 latencies, "
                            + "and appends the rows to --results. Method and caveats: bench/README.md.",
                    "",
                    "Needs a few GB of temporary disk at 1M records. Exit code 0 when every request was answered 200 and "
                            + "landed in Kafka once, 1 otherwise.",
                    "",
                    "--scenario spool measures the disk spool instead: three runs of the same load, ack: kafka with a healthy "
                            + "broker, ack: spool, and ack: kafka while the broker is stopped (then started again, and the drain "
                            + "timed); rows go to bench/results/ingress-spool.md unless --results says otherwise.",
                    ""})
    static final class Ingress implements Callable<Integer> {
        @Option(names = "--scenario", paramLabel = "S", defaultValue = "throughput",
                description = "throughput (the ingress against ProducerPerformance) or spool (ack: kafka healthy, ack: spool, "
                        + "ack: kafka during a broker outage; --rounds and --baseline do not apply) (default: ${DEFAULT-VALUE}).")
        String scenario;

        @Option(names = {"-n", "--records"}, paramLabel = "N", defaultValue = "200000",
                description = "Measured records per side and round: ProducerPerformance records and ingress requests (default: ${DEFAULT-VALUE}).")
        long records;

        @Option(names = {"-w", "--warmup-records"}, paramLabel = "W",
                description = "Records per side in the warm-up run, which is discarded (default: the same as --records, "
                        + "at least 1000000: ProducerPerformance needs about a million 2 KB records to reach its speed; 0 skips the warm-up).")
        Long warmupRecords;

        @Option(names = {"-c", "--concurrency"}, paramLabel = "C", defaultValue = "64",
                description = "HTTP connections of the load client, each with one request in flight (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
                description = "Ingress requests per second, fixed-rate over the --concurrency connections, each timed from "
                        + "when it was due (corrected for coordinated omission, as wrk2); 0 for the closed loop (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = {"-r", "--rounds"}, paramLabel = "R", defaultValue = "3",
                description = "Measured rounds, each running ProducerPerformance then the ingress; one result row per round, "
                        + "and the summary ratio is their median (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--body-bytes", paramLabel = "BYTES", defaultValue = "2048",
                description = "Size of each JSON body, and ProducerPerformance's --record-size (default: ${DEFAULT-VALUE}).")
        int bodyBytes;

        @Option(names = "--partitions", paramLabel = "P", defaultValue = "3",
                description = "Partitions of labhooks.raw.v1 and of the ProducerPerformance topic (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = {"-P", "--kafka-property"}, paramLabel = "KEY=VALUE",
                description = "A producer property for the ingress, as kafka.properties in its config (e.g. -P linger.ms=0); repeatable. "
                        + "The baseline gets it too with --baseline=ingress.")
        Map<String, String> kafkaProperties = new LinkedHashMap<>();

        @Option(names = "--baseline", paramLabel = "MODE", defaultValue = "kafka-defaults",
                converter = BaselineConverter.class,
                description = "The baseline producer's settings besides acks=all and idempotence: kafka-defaults (Kafka's linger and "
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
            if (scenario.equals("spool")) {
                return spool();
            }
            if (!scenario.equals("throughput")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--scenario: expected throughput or spool, was '" + scenario + "'");
            }
            if (results == null) {
                results = IngressBenchmark.DEFAULT_RESULTS;
            }
            IngressBenchmark.Builder b = IngressBenchmark.Options.builder().records(records).concurrency(concurrency)
                    .bodyBytes(bodyBytes).partitions(partitions).rounds(rounds).kafkaProperties(kafkaProperties).baseline(baseline)
                    .resultsFile(noResults ? null : results).showProducerOutput(showProducerOutput).rate(rate);
            if (warmupRecords != null) {
                b.warmupRecords(warmupRecords);
            }
            IngressBenchmark.Options o = b.build();
            IngressBenchmark.Result r = new IngressBenchmark().run(o);
            PrintWriter out = spec.commandLine().getOut();
            out.println();
            out.print(ResultsTable.COLUMNS);
            r.markdownRows().forEach(out::println);
            out.println();
            out.printf("ratio (ingress req/s / producer rec/s): %.2f%s; goal >= 0.6%n", r.medianRatio(),
                    r.rounds().size() > 1 ? " (median of " + r.rounds().size() + " rounds)" : "");
            o.resultsFile().ifPresent(f -> out.println("appended to " + f.toAbsolutePath()));
            if (!r.consistent()) {
                out.printf("NOT CONSISTENT: %d of %d requests were not answered 200; %d records in %s for %d 200s%n",
                        r.non200(), r.requestsSent(), r.rawTopicRecords(), io.labhooks.schemas.Topics.RAW, r.okResponses());
            }
            out.flush();
            return r.consistent() ? 0 : 1;
        }

        private int spool() throws InterruptedException {
            long warmup = warmupRecords != null ? warmupRecords : Math.min(records, 20_000);
            SpoolBenchmark.Options o = new SpoolBenchmark.Options(records, warmup, concurrency, bodyBytes, partitions,
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
            out.flush();
            return r.consistent() ? 0 : 1;
        }
    }
}
