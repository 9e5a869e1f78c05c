package io.labhooks.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebeziumRunTest {
    @TempDir
    Path repo;

    private Path harness(String body) throws Exception {
        Path script = repo.resolve(DebeziumRun.HARNESS);
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!/usr/bin/env bash\n" + body);
        return script;
    }

    @Test
    void readsTheRoundsTheHarnessPrintsNotItsWarmUpOrMedian() {
        assertThat(DebeziumRun.roundRate("round 2  Debezium JDBC sink     12,345 rows/s")).hasValue(12_345);
        assertThat(DebeziumRun.roundRate("warm-up  Debezium JDBC sink      9,000 rows/s (60400 rows)")).isEmpty();
        assertThat(DebeziumRun.roundRate("median   Debezium JDBC sink     12,000 rows/s (3 rounds of 302000 rows)")).isEmpty();
    }

    @Test
    void findsTheHarnessFromAFolderBelowTheRepositoryRoot() throws Exception {
        Path script = harness("exit 0\n");
        Path below = Files.createDirectories(repo.resolve("cli-dev/target"));
        assertThat(DebeziumRun.find(below)).hasValue(script.toAbsolutePath().normalize());
        assertThat(DebeziumRun.find(repo.getParent())).isEmpty();
    }

    @Test
    void passesTheSameRowsAndReturnsEachRoundsRate() throws Exception {
        Path script = harness("""
                echo "args: $*"
                echo "warm-up  Debezium JDBC sink      9,000 rows/s (60400 rows)"
                echo "round 1  Debezium JDBC sink     10,500 rows/s"
                echo "round 2  Debezium JDBC sink     11,000 rows/s"
                echo "median   Debezium JDBC sink     11,000 rows/s"
                """);
        List<String> lines = new ArrayList<>();
        List<Double> rates = DebeziumRun.run(script, 700, 150, 2, 500, "jdbc:postgresql://h/db", "u", Duration.ofSeconds(30), lines::add);
        assertThat(rates).containsExactly(10_500.0, 11_000.0);
        assertThat(lines.get(0)).contains("-Dbench.samples=700", "-Dbench.analytes=150", "-Dbench.rounds=2", "-Dbench.batch=500",
                "-Dbench.pg.url=jdbc:postgresql://h/db", "-Dbench.pg.user=u");
    }

    @Test
    void aFailedOrShortRunIsAnErrorNotARatio() throws Exception {
        Path failing = harness("echo 'round 1  Debezium JDBC sink 10 rows/s'\necho 'Connect failed' >&2\nexit 3\n");
        assertThatThrownBy(() -> DebeziumRun.run(failing, 10, 1, 1, 500, "u", "p", Duration.ofSeconds(30), l -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exited with 3");
        Path shortRun = harness("echo 'round 1  Debezium JDBC sink 10 rows/s'\n");
        assertThatThrownBy(() -> DebeziumRun.run(shortRun, 10, 1, 2, 500, "u", "p", Duration.ofSeconds(30), l -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 of 2 rounds");
    }

    @Test
    void aHarnessThatHangsIsStoppedAtTheTimeout() throws Exception {
        Path hanging = harness("sleep 60\n");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> DebeziumRun.run(hanging, 10, 1, 1, 500, "u", "p", Duration.ofMillis(500), l -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not finish");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }
}
