package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private static String help(String... args) {
        StringWriter text = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(text));
        cl.setUsageHelpWidth(200);
        assertThat(cl.execute(args)).isZero();
        return text.toString();
    }

    @Test
    void benchIsACommandOfLabhooks() {
        assertThat(help("--help")).contains("bench");
        assertThat(help("bench", "--help")).contains("ingress", "normalizer", "sink", "e2e", "ratio=");
    }

    @Test
    void everyStageExplainsTheCommonOptions() {
        for (String stage : new String[] {"ingress", "normalizer", "sink", "e2e"}) {
            assertThat(help("bench", stage, "--help")).as(stage)
                    .contains("--duration=D", "--body-size", "--concurrency=C", "--rate=R", "--partitions=P", "--out=F.json", "ratio=");
        }
        assertThat(help("bench", "sink", "--help")).contains("COPY", "Debezium");
        assertThat(help("bench", "normalizer", "--help")).contains("pass-through", "exactly_once_v2");
    }

    @Test
    void e2eHelpDescribesTheWarmUpAndTheWarehouse() {
        PrintStream err = System.err;
        ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
        String h;
        System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
        try {
            h = help("bench", "e2e", "--help");
        } finally {
            System.setErr(err);
        }
        assertThat(h).contains("--warmup=D", "default: 4m", "less than 10% of one core", "--jdbc-url=URL", "PostgreSQL");
        assertThat(picocliWarnings.toString(StandardCharsets.UTF_8)).as("picocli formats every line").isEmpty();
    }

    @Test
    void ingressHelpDescribesEveryOption() {
        String h = help("bench", "ingress", "--help");

        assertThat(h).contains("ProducerPerformance", "0.6");
        assertThat(h).contains("--records=N", "Measured records per side and round", "default: 200000");
        assertThat(h).contains("--warmup-records=W", "discarded");
        assertThat(h).contains("--concurrency=C", "one request in flight", "default 64");
        assertThat(h).contains("--rounds=R", "median", "--body-size, --body-bytes=BYTES", "--partitions=P", "--duration=D", "--out=F.json", "floor", "--kafka-property=KEY=VALUE",
                "--baseline=MODE", "kafka-defaults", "--results=FILE", "--no-results", "--show-producer-output");
        assertThat(h).contains("--scenario=S", "throughput", "ingress-spool.md");
    }

    @Test
    void badOptionsAreUsageErrors() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("bench", "ingress", "--records", "lots")).isEqualTo(2);
        assertThat(cl.execute("bench", "ingress", "--scenario", "nope")).isEqualTo(2);
    }
}
