package io.labhooks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Kafka's own producer benchmark, {@link ProducerPerformance} from kafka-tools, run in this JVM. It
 * has no API that returns its numbers: {@code main} prints them, so the run captures standard output and
 * parses the final summary line.
 */
public final class ProducerPerf {
    /** The producer settings of the ingress that are fair to give the baseline too. */
    public static final Set<String> SHARED_SETTINGS = Set.of(
            ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, ProducerConfig.LINGER_MS_CONFIG,
            ProducerConfig.BATCH_SIZE_CONFIG, ProducerConfig.COMPRESSION_TYPE_CONFIG, ProducerConfig.BUFFER_MEMORY_CONFIG,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG);

    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([\\d.,]+) records/sec \\(([\\d.,]+) MB/sec\\), ([\\d.,]+) ms avg latency, "
                    + "([\\d.,]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99\\.9th\\.");

    /** The final line of a run. Latencies are ProducerPerformance's: send() call to ack, whole milliseconds. */
    public record Summary(long records, double recordsPerSec, double mbPerSec, double avgLatencyMs, double maxLatencyMs,
                          int p50Ms, int p95Ms, int p99Ms, int p999Ms) {
    }

    private ProducerPerf() {
    }

    /**
     * Sends {@code records} records of {@code recordSize} random bytes to {@code topic} as fast as possible
     * ({@code --throughput -1}) and returns the summary.
     *
     * @param producerProps producer settings passed with {@code --command-property}; values must not contain '='
     * @param passThrough   also show ProducerPerformance's own output on standard output
     * @throws IllegalStateException if the run fails or does not deliver every record
     */
    public static Summary run(String bootstrap, String topic, long records, int recordSize, Map<String, String> producerProps,
                              boolean passThrough) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-server", bootstrap,
                "--topic", topic,
                "--num-records", Long.toString(records),
                "--record-size", Integer.toString(recordSize),
                "--throughput", "-1",
                "--reporting-interval", "5000"));
        if (!producerProps.isEmpty()) {
            args.add("--command-property");
            new TreeMap<>(producerProps).forEach((k, v) -> {
                if (k.contains("=") || v.contains("=")) {
                    throw new IllegalArgumentException("producer property " + k + " cannot be passed to ProducerPerformance");
                }
                args.add(k + "=" + v);
            });
        }
        String output;
        try (StdoutCapture capture = new StdoutCapture(passThrough)) {
            try {
                ProducerPerformance.main(args.toArray(String[]::new));
            } catch (Exception e) {
                throw new IllegalStateException("ProducerPerformance failed: " + e, e);
            }
            output = capture.text();
        }
        Summary s = parse(output).orElseThrow(() -> new IllegalStateException(
                "ProducerPerformance printed no summary line; its output was:\n" + output));
        if (s.records() != records) {
            throw new IllegalStateException("ProducerPerformance delivered " + s.records() + " of " + records
                    + " records (failed sends are printed on standard error)");
        }
        return s;
    }

    /** The last summary line in ProducerPerformance's output, if any. */
    static Optional<Summary> parse(String output) {
        Summary last = null;
        Matcher m = SUMMARY.matcher(output);
        while (m.find()) {
            last = new Summary(Long.parseLong(m.group(1)), number(m.group(2)), number(m.group(3)), number(m.group(4)),
                    number(m.group(5)), Integer.parseInt(m.group(6)), Integer.parseInt(m.group(7)),
                    Integer.parseInt(m.group(8)), Integer.parseInt(m.group(9)));
        }
        return Optional.ofNullable(last);
    }

    /** printf used the default locale: accept a decimal comma too. */
    private static double number(String s) {
        return Double.parseDouble(s.replace(',', '.'));
    }
}
