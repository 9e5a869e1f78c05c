package io.labhooks.normalizer.bench;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.normalizer.adapter.AdapterResult;
import io.labhooks.normalizer.adapter.ConfidentAdapter;
import io.labhooks.normalizer.adapter.Json;
import io.labhooks.normalizer.adapter.RawInput;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH benchmark of {@link ConfidentAdapter} alone, on a full 157-analyte panel from {@link ConfidentPayloads}
 * (compact JSON, about 20 KB): {@code adapt} (parse, map, flatten, build the event) and {@code adaptAndEncode}
 * (the same plus writing the CloudEvents JSON, what the normalizer does per record before the dedupe).
 * Not a JUnit test, so {@code mvn verify} never runs it. Run it with
 * {@code mvn -B -q -pl normalizer -am -Pjmh test -DskipTests}; {@link #main} prints MB/s of input body.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConfidentAdapterBenchmark {
    private ConfidentAdapter adapter;
    private EventCodec codec;
    private RawInput input;

    /** The benchmark's body: a deterministic full panel, compact JSON. */
    public static byte[] body() {
        return ConfidentPayloads.panel("2401ACM0042.0137", Instant.parse("2024-01-20T17:30:00.123456Z"), 10)
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    @Setup
    public void setUp() {
        adapter = new ConfidentAdapter(new Json());
        codec = new EventCodec();
        input = new RawInput(SourceConfig.of("confident", Vendor.CONFIDENT, AuthConfig.none()), "d-1",
                Instant.parse("2024-01-21T00:00:00Z"), Map.of(), body());
        if (!(adapter.adapt(input) instanceof AdapterResult.Accepted)) {
            throw new IllegalStateException("the benchmark body is rejected");
        }
    }

    @Benchmark
    public AdapterResult adapt() {
        return adapter.adapt(input);
    }

    @Benchmark
    public byte[] adaptAndEncode() {
        return codec.write(((AdapterResult.Accepted) adapter.adapt(input)).events().get(0));
    }

    /** Runs both benchmarks (1 fork, 3 × 1 s warm-up, 5 × 1 s measurement) and prints their throughput in MB/s. */
    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder().include(ConfidentAdapterBenchmark.class.getName() + "\\.").build();
        Collection<RunResult> results = new Runner(options).run();
        int bytes = body().length;
        System.out.printf(Locale.ROOT, "%nConfident adapter, body %d bytes (%d analytes)%n", bytes,
                ConfidentPayloads.PANEL_ANALYTES);
        for (RunResult r : results) {
            double microsPerOp = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            double mbPerSecond = bytes / microsPerOp; // bytes per microsecond = MB (10^6 bytes) per second
            System.out.printf(Locale.ROOT, "%-16s %8.2f ± %.2f us/op  %8.1f MB/s  %8.0f deliveries/s%n",
                    r.getParams().getBenchmark().replaceAll(".*\\.", ""), microsPerOp, error, mbPerSecond,
                    1e6 / microsPerOp);
        }
    }
}
