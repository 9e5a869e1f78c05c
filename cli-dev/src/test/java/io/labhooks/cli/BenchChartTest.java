package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchChartTest {

    @Test
    void drawsAPngPerStageWithPoints(@TempDir Path dir) throws Exception {
        Path ingress = dir.resolve("ingress.json");
        Files.writeString(ingress, """
                {"stage":"ingress","ratio":0.9,"parameters":{"concurrency":64,"body_bytes":2048},
                 "rows":[{"round":1,"side":"undertow floor","per s":1000.0},{"round":1,"side":"labhooks ingress","per s":900.0}]}
                """);
        Path e2e = dir.resolve("e2e.json");
        Files.writeString(e2e, """
                {"stage":"e2e","ratio":1.0,"parameters":{"rate":500},
                 "rows":[{"e2e p50 ms":20.0,"e2e p99 ms":300.0,"e2e p999 ms":null}]}
                """);
        Path out = dir.resolve("charts");
        StringWriter text = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(text));

        assertThat(cl.execute("bench", "chart", "--out-dir", out.toString(), ingress.toString(), e2e.toString())).isZero();

        for (String name : new String[] {"ingress-throughput-vs-connections", "ingress-cost-vs-body-size", "e2e-latency-vs-rate"}) {
            Path png = out.resolve(name + ".png");
            assertThat(text.toString()).contains(png.toString());
            assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(800);
        }
        assertThat(out.resolve("normalizer-throughput-vs-partitions.png")).doesNotExist();
    }
}
