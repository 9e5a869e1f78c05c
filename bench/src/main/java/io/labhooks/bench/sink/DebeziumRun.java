package io.labhooks.bench.sink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Debezium JDBC sink connector's rounds, for {@code labhooks bench sink --debezium}: runs the harness outside the
 * build ({@code bench/debezium/run.sh}, Kafka Connect standalone with {@code io.debezium:debezium-connector-jdbc} in
 * upsert mode, fetched from Maven Central by its own {@code pom.xml}) as a child process on the same rows (samples x
 * analytes) and reads its per-round rows/s from its output. It needs the repository checkout (the harness and
 * {@code mvn}); the dev jar itself does not contain Kafka Connect or Debezium.
 */
public final class DebeziumRun {
    /** The harness, relative to the repository root. */
    public static final Path HARNESS = Path.of("bench", "debezium", "run.sh");
    private static final Pattern ROUND = Pattern.compile("^round (\\d+)\\s+Debezium JDBC sink\\s+([\\d,]+(?:\\.\\d+)?) rows/s");

    private DebeziumRun() {
    }

    /** The harness in {@code dir} or the nearest folder above it that has one. */
    public static Optional<Path> find(Path dir) {
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            Path script = d.resolve(HARNESS);
            if (Files.isRegularFile(script)) {
                return Optional.of(script);
            }
        }
        return Optional.empty();
    }

    /** The rows/s of a line {@code round N  Debezium JDBC sink   12,345 rows/s}; empty for any other line. */
    static OptionalDouble roundRate(String line) {
        Matcher m = ROUND.matcher(line);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(2).replace(",", ""))) : OptionalDouble.empty();
    }

    /**
     * Runs the harness and returns the rows/s of each measured round (its warm-up is not among them).
     *
     * @param output every line the harness prints, as it prints it (Maven's build included)
     * @throws IllegalStateException if it fails, times out, or prints fewer rounds than asked for
     */
    public static List<Double> run(Path script, int samples, int analytes, int rounds, int batch, String pgUrl, String pgUser,
                                   Duration timeout, Consumer<String> output) {
        List<String> command = List.of("bash", script.toString(), "-Dbench.samples=" + samples, "-Dbench.analytes=" + analytes,
                "-Dbench.rounds=" + rounds, "-Dbench.batch=" + batch, "-Dbench.warmup.samples=" + Math.max(100, samples / 5),
                "-Dbench.pg.url=" + pgUrl, "-Dbench.pg.user=" + pgUser);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + script + " (needs bash and mvn)", e);
        }
        List<Double> rates = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.accept(line);
                    roundRate(line).ifPresent(v -> {
                        synchronized (rates) {
                            rates.add(v);
                        }
                    });
                }
            } catch (IOException e) {
                output.accept("reading the Debezium harness's output failed: " + e);
            }
        }, "labhooks-bench-debezium-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("the Debezium harness did not finish within " + timeout + ": stopped it");
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Debezium harness ran: stopped it", e);
        }
        synchronized (rates) {
            if (p.exitValue() != 0 || rates.size() < rounds) {
                throw new IllegalStateException("the Debezium harness " + script + " exited with " + p.exitValue() + " after "
                        + rates.size() + " of " + rounds + " rounds (its output is above)");
            }
            return List.copyOf(rates);
        }
    }
}
