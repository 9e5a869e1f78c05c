package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labhooks.testkit.PostgresSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Each {@code labhooks bench <stage>} with a tiny duration and small counts: the harness runs end to end, the
 * output ends with a parseable {@code ratio=} line, and the {@code --out} JSON parses with the same ratio. Asserts
 * nothing about speed.
 */
class BenchStagesSmokeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Run(int exit, List<String> lines, JsonNode json) {
        double ratio() {
            String last = lines.get(lines.size() - 1);
            assertThat(last).matches("ratio=[0-9]+\\.[0-9]{3}");
            return Double.parseDouble(last.substring("ratio=".length()));
        }
    }

    private static Run bench(Path dir, String... args) throws Exception {
        Path out = dir.resolve("result.json");
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        all.addAll(List.of("--out", out.toString()));
        StringWriter text = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(text));
        cl.setErr(new PrintWriter(text));
        int exit = cl.execute(all.toArray(String[]::new));
        List<String> lines = text.toString().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(text.toString()).isNotEmpty();
        assertThat(out).as("exit %d:%n%s", exit, text).exists();
        return new Run(exit, lines, JSON.readTree(out.toFile()));
    }

    private static void assertConsistent(Run r, String stage, double minRatio) {
        assertThat(r.exit()).as(String.join("\n", r.lines())).isZero();
        double ratio = r.ratio();
        assertThat(ratio).isGreaterThan(minRatio);
        assertThat(r.json().path("stage").asText()).isEqualTo(stage);
        assertThat(r.json().path("ratio").asDouble()).isCloseTo(ratio, org.assertj.core.data.Offset.offset(0.0006));
        assertThat(r.json().path("rows").size()).isPositive();
    }

    @Test
    @Timeout(120)
    void ingressAgainstTheFloor(@TempDir Path dir) throws Exception {
        Run r = bench(dir, "ingress", "--duration", "1s", "--warmup-records", "300", "--concurrency", "4", "--rounds", "1",
                "--no-results");
        assertConsistent(r, "ingress", 0);
        List<String> sides = new ArrayList<>();
        r.json().path("rows").forEach(row -> sides.add(row.path("side").asText()));
        assertThat(sides).containsExactly("ProducerPerformance", "undertow floor", "labhooks ingress");
        r.json().path("rows").forEach(row -> assertThat(row.path("per s").asDouble()).isPositive());
        assertThat(r.json().path("figures").path("ratio vs ProducerPerformance").asDouble()).isPositive();
    }

    @Test
    @Timeout(180)
    void normalizerAgainstThePassThrough(@TempDir Path dir) throws Exception {
        Run r = bench(dir, "normalizer", "--duration", "1s", "--rounds", "1", "--no-results");
        assertConsistent(r, "normalizer", 0);
        List<String> apps = new ArrayList<>();
        r.json().path("rows").forEach(row -> apps.add(row.path("app").asText()));
        assertThat(apps).containsExactly("pass-through", "stateful", "normalizer");
        assertThat(r.json().path("parameters").path("records").asInt()).isGreaterThanOrEqualTo(100);
    }

    @Test
    @Timeout(120)
    void sinkAgainstCopy(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PostgresSchema.unavailable().isEmpty(), "PostgreSQL not reachable");
        Run r = bench(dir, "sink", "--duration", "1s", "--rounds", "1", "--body-size", "1600", "--batch", "20");
        assertConsistent(r, "sink", 0);
        assertThat(r.json().path("parameters").path("analytes").asInt()).isEqualTo(10);
        JsonNode round = r.json().path("rows").get(r.json().path("rows").size() - 1);
        assertThat(round.path("round").asText()).isEqualTo("round 1");
        assertThat(round.path("whole sink rows/s").asDouble()).as("the whole sink ran in the round").isPositive();
        assertThat(round.path("whole sink / COPY").asDouble()).isCloseTo(r.ratio(), within(1e-3));
    }

    @Test
    @Timeout(180)
    void endToEndAtAFixedRate(@TempDir Path dir) throws Exception {
        Run r = bench(dir, "e2e", "--duration", "2s", "--rate", "40", "--concurrency", "4", "--warmup", "1s");
        assertConsistent(r, "e2e", 0);
        JsonNode row = r.json().path("rows").get(0);
        assertThat(row.path("acknowledged").asLong()).isEqualTo(row.path("deliveries").asLong());
        assertThat(row.path("e2e events").asLong()).isPositive();
        assertThat(row.path("e2e p99 ms").asDouble()).isPositive();
        assertThat(row.path("warm-up s").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(r.json().path("parameters").path("warmup_max_s").asDouble()).isEqualTo(1.0);
        assertThat(r.ratio()).isLessThanOrEqualTo(1.0);
    }

    @Test
    @Timeout(180)
    void endToEndIntoPostgres(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PostgresSchema.unavailable().isEmpty(), "PostgreSQL not reachable");
        try (PostgresSchema schema = new PostgresSchema("bench_e2e")) {
            Run r = bench(dir, "e2e", "--duration", "2s", "--rate", "40", "--concurrency", "4", "--warmup", "1s",
                    "--jdbc-url", PostgresSchema.withParam(schema.jdbcUrl(), "user=" + PostgresSchema.USER));
            assertConsistent(r, "e2e", 0);
            assertThat(r.json().path("parameters").path("warehouse").asText()).isEqualTo("PostgreSQL");
            try (Connection c = schema.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM lab_events")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the events are in PostgreSQL").isGreaterThanOrEqualTo(
                        r.json().path("rows").get(0).path("e2e events").asLong());
            }
        }
    }

    @Test
    @Timeout(180)
    void endToEndBurstIntoSqlite(@TempDir Path dir) throws Exception {
        Run r = bench(dir, "e2e", "--burst", "30", "--duration", "2s", "--rate", "40", "--concurrency", "8", "--warmup", "1s");
        assertConsistent(r, "e2e", 0);
        assertThat(r.json().path("parameters").path("scenario").asText()).isEqualTo("burst");
        JsonNode row = r.json().path("rows").get(0);
        assertThat(row.path("samples").asInt()).isEqualTo(30);
        assertThat(row.path("acknowledged").asLong()).isEqualTo(30);
        double ingress = row.path("ingress s").asDouble();
        double normalizer = row.path("normalizer s").asDouble();
        double warehouse = row.path("warehouse s").asDouble();
        assertThat(ingress).isPositive();
        assertThat(normalizer).isGreaterThanOrEqualTo(ingress);
        assertThat(warehouse).isGreaterThanOrEqualTo(normalizer);
        assertThat(r.ratio()).isCloseTo(ingress / warehouse, within(1e-3));
        assertThat(row.path("sink CPU s").asDouble()).as("the sink's threads are found by name").isPositive();
        assertThat(row.path("normalizer CPU s").asDouble()).as("the stream threads are found by name").isPositive();
        assertThat(row.path("last stage").asText()).matches("(sink|normalizer) \\(.*\\)");
    }

    @Test
    void aRateIsRefusedWhereTheStageTakesNone() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("bench", "normalizer", "--rate", "10")).isEqualTo(2);
        assertThat(cl.execute("bench", "sink", "--duration", "soon")).isEqualTo(2);
        assertThat(cl.execute("bench", "e2e", "--warmup", "soon")).isEqualTo(2);
        assertThat(cl.execute("bench", "e2e", "--jdbc-url", "jdbc:mysql://127.0.0.1/x")).isEqualTo(2);
        assertThat(cl.execute("bench", "e2e", "--burst", "0")).isEqualTo(2);
        assertThat(cl.execute("bench", "e2e", "--burst", "50001")).isEqualTo(2);
    }
}
