package io.labhooks.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labhooks.cli.replay.RepublishException;
import io.labhooks.cli.replay.TimeArg;
import io.labhooks.cli.trace.Trace;
import io.labhooks.cli.trace.TraceQuery;
import io.labhooks.cli.trace.Tracer;
import io.labhooks.config.ConfigLoader;
import io.labhooks.config.KafkaConfig;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SinkConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code labhooks trace}: the whole story of one entity, from its raw deliveries to its warehouse row. */
@Command(name = "trace", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what happened to one entity, in time order: every raw delivery (source,",
                "receipt time, delivery id, topic-partition@offset) with its outcome (accepted,",
                "stale, duplicate, dead-lettered or pending), every canonical event (id, type,",
                "version, HWM advanced or not), every DLQ record (stage, reason, message), and",
                "the warehouse row as it stands now (version, updated time, lab_events and",
                "lab_results counts).",
                "QUERY is an entity key (confident:sample:SMP-1), a delivery id (the UUID of",
                "X-Labhooks-Delivery-Id), or, with --vendor, the vendor's own id (a Confident",
                "sample id, a Flabs bill id, an LML registration or order id, a CoreOne id).",
                "It reads labhooks.raw.v1, labhooks.events.v1 and labhooks.dlq.v1 from --since",
                "(read_committed, no consumer group, nothing written) and runs each raw record",
                "through its source's adapter to learn its entity and event ids. The scan is",
                "bounded by time: the cost is reading that range of each topic once (the raw",
                "topic twice for a delivery id). Progress on stderr every 2 s.",
                "  labhooks trace confident:sample:SMP-1          (against labhooks local)",
                "  labhooks trace --config labhooks.yaml confident:sample:SMP-1",
                "  labhooks trace --config labhooks.yaml --vendor flabs BILL-9 --since 3d",
                "  labhooks trace --config labhooks.yaml 0192f0c2-8d3e-7a4b-9c1d-2e3f4a5b6c7d --json",
                ""},
        footer = {"",
                "Exit codes: 0 something was found; 1 nothing was found in the range, or Kafka",
                "failed; 2 bad usage or config."})
final class TraceCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = {"YAML config of the deployment (its kafka, sources and sink sections are used).",
                    "Without it: Kafka at --bootstrap-server, the warehouse at --warehouse, and each",
                    "source read with the vendor of its labhooks.vendor header (as labhooks local runs)."})
    Path configFile;

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT", defaultValue = "localhost:9092",
            description = "Without --config: the Kafka bootstrap servers (default: ${DEFAULT-VALUE}, labhooks local's broker).")
    String bootstrap;

    @Option(names = "--warehouse", paramLabel = "JDBC_URL", defaultValue = "jdbc:sqlite:data/warehouse.db",
            description = "Without --config: the warehouse (default: ${DEFAULT-VALUE}, labhooks local's).")
    String warehouse;

    @Parameters(index = "0", paramLabel = "QUERY", description = "An entity key, a delivery id, or (with --vendor) the vendor's id.")
    String query;

    @Option(names = "--vendor", paramLabel = "VENDOR",
            description = "Read QUERY as this vendor's own id: confident, coreone, flabs, lml or generic.")
    String vendor;

    @Option(names = "--since", paramLabel = "TIME", defaultValue = "24h",
            description = "Scan records from this time: " + TimeArg.FORMATS + " (default: ${DEFAULT-VALUE}; raw deliveries are kept 7 days).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Scan records before this time (default: up to the end offsets at start).")
    String until;

    @Option(names = "--json", description = "Print the trace as one JSON document on stdout (for scripts).")
    boolean json;

    @Spec
    CommandSpec spec;

    final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws JsonProcessingException {
        LabhooksConfig cfg = configFile == null ? null : ConfigLoader.load(configFile, System.getenv());
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();
        Instant from = TimeArg.parse("--since", since, now, problems);
        Instant to = until == null ? null : TimeArg.parse("--until", until, now, problems);
        TimeArg.checkRange(from, to, now, problems);
        TraceQuery q = null;
        try {
            q = TraceQuery.parse(query, vendor);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (cfg == null && !warehouse.startsWith("jdbc:")) {
            problems.add("--warehouse must be a JDBC URL, e.g. jdbc:sqlite:data/warehouse.db or jdbc:postgresql://host/db");
        }
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join(System.lineSeparator(), problems));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Trace trace;
        try {
            Tracer tracer = cfg != null ? new Tracer(cfg.kafka(), cfg.sink(), cfg.sources(), false)
                    : new Tracer(new KafkaConfig(bootstrap, Map.of()), new SinkConfig(warehouse, null, null, "labhooks-trace",
                    1, Duration.ofSeconds(1)), List.of(), true);
            trace = tracer.trace(q, from, to, line -> {
                err.println(line);
                err.flush();
            });
        } catch (RepublishException e) {
            err.println("labhooks trace: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(trace.toJson(mapper)));
            out.flush();
        } else {
            trace.print(out);
        }
        if (trace.isEmpty()) {
            err.println("labhooks trace: nothing found for " + q + " since " + from + " (try an earlier --since)");
            err.flush();
            return 1;
        }
        return 0;
    }
}
