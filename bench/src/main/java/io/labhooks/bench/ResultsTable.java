package io.labhooks.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The Markdown table of {@code bench/results/ingress.md}: a header explaining the method, then one row per round. */
public final class ResultsTable {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    /** The table's header and separator lines. */
    public static final String COLUMNS = "| date (UTC) | round | records | warm-up | conc. | body B | producer rec/s | ingress req/s "
            + "| ratio | ingress p50 / p99 ms | server ack p50 / p99 ms | producer p50 / p99 ms | non-200 | producer config | JVM | cores "
            + "| commit |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

    static final String HEADER = """
            # Ingress throughput: results

            Appended by `labhooks bench ingress` (see `bench/README.md`). One row per measured round.

            Method, in one JVM on one embedded single-node KRaft broker:

            - **producer rec/s**: Kafka's own `org.apache.kafka.tools.ProducerPerformance` (kafka-tools),
              `--throughput -1`, random records of the body size, into its own topic with the same partition
              count, with `acks=all` and idempotence. By default it keeps Kafka's producer defaults for
              everything else (linger, batch size), so the yardstick does not move when the ingress is tuned;
              `--baseline ingress` gives it the ingress's settings instead. The *producer config* column
              lists both. Its latencies are its own: `send()` call to ack, whole ms; at full speed they are
              mostly time queued in the producer's buffer, so they are not comparable with the ingress's.
            - **ingress req/s**: HTTP 200s per second from `IngressServer` + `KafkaRawPublisher`, wired as
              `labhooks ingress` wires them (production config defaults, a bearer-token source), under a
              closed-loop load of *conc.* keep-alive HTTP/1.1 connections, each with one request in flight,
              POSTing a Flabs-style JSON body of exactly the body size (ids differ per request). The client
              latency is request written to response read. The server ack latency comes from the ingress's
              `labhooks_ingress_ack_seconds` histogram (body received to Kafka ack; bucket upper bounds).
            - **ratio** = ingress req/s / producer rec/s, both from the same round. The project's goal is >= 0.6.
            - Both sides first run a warm-up of *warm-up* records/requests that is discarded (the JIT changes
              the figures several-fold). Each round then runs the baseline, then the ingress, each after
              an fsync of the broker's log files and a GC.
            - The load client, the ingress, the baseline producer and the broker share the machine's cores,
              and the machine may be busy with other work: compare ratios, not absolute numbers.
            - *commit* is the working directory's git commit when the run started ("-dirty": with uncommitted
              changes to tracked files).

            """ + ResultsTable.COLUMNS;

    private ResultsTable() {
    }

    /** One row per round of the result. */
    public static List<String> rows(IngressBenchmark.Result r) {
        List<String> rows = new ArrayList<>();
        IngressBenchmark.Options o = r.options();
        String settings = "baseline " + settings(r.baselineSettings()) + "; ingress " + settings(r.ingressSettings());
        for (IngressBenchmark.Round round : r.rounds()) {
            IngressBenchmark.IngressRun in = round.ingress();
            ProducerPerf.Summary p = round.producer();
            String ack = in.serverAck().map(a -> f1(a.p50Ms()) + " / " + f1(a.p99Ms())).orElse("n/a");
            int non200 = in.requests() - in.ok();
            rows.add("| " + String.join(" | ",
                    DATE.format(r.environment().at()),
                    round.number() + "/" + r.rounds().size(),
                    // with --duration the sides' counts differ (each its warm-up rate times the duration): both are shown
                    o.duration().isPresent() ? p.records() + " / " + in.requests() : Long.toString(o.records()),
                    Long.toString(o.warmupRecords()),
                    Integer.toString(o.concurrency()),
                    Integer.toString(o.bodyBytes()),
                    String.format(Locale.ROOT, "%.0f", p.recordsPerSec()),
                    String.format(Locale.ROOT, "%.0f", in.requestsPerSec()),
                    "**" + String.format(Locale.ROOT, "%.2f", round.ratio()) + "**",
                    f1(in.client().p50Ms()) + " / " + f1(in.client().p99Ms()),
                    ack,
                    p.p50Ms() + " / " + p.p99Ms(),
                    non200 == 0 ? "0" : non200 + " " + in.nonOk() + (in.ioErrors() > 0 ? " + " + in.ioErrors() + " I/O errors" : ""),
                    settings,
                    r.environment().jvm(),
                    Integer.toString(r.environment().cores()),
                    r.environment().commit()) + " |");
        }
        return rows;
    }

    /** Appends the rows to the file, creating it (and its directory) with {@link #HEADER} if missing. */
    public static void append(Path file, IngressBenchmark.Result r) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (!Files.exists(file)) {
                Files.writeString(file, HEADER, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            }
            String text = rows(r).stream().map(row -> row + "\n").collect(Collectors.joining());
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append the results to " + file, e);
        }
    }

    private static String settings(Map<String, String> s) {
        return s.entrySet().stream()
                .filter(e -> e.getKey().equals("linger.ms") || e.getKey().equals("batch.size")
                        || (e.getKey().equals("compression.type") && !e.getValue().equals("none")))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private static String f1(double ms) {
        return Double.isNaN(ms) ? "n/a" : String.format(Locale.ROOT, "%.1f", ms);
    }
}
