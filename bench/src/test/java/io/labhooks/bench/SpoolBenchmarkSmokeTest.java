package io.labhooks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the spool benchmark from rotting: a tiny run of its three scenarios, broker outage included. No speed asserted. */
class SpoolBenchmarkSmokeTest {

    @Test
    @Timeout(value = 120)
    void tinyRunOfTheThreeScenariosAnswersEveryRequest200AndDrains(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("ingress-spool.md");
        SpoolBenchmark.Result r = new SpoolBenchmark().run(new SpoolBenchmark.Options(300, 0, 4, 2048, 1, Optional.of(results)));

        assertThat(r.runs()).extracting(SpoolBenchmark.Run::scenario).containsExactly(SpoolBenchmark.Scenario.values());
        assertThat(r.runs()).allSatisfy(run -> {
            assertThat(run.load().ok()).isEqualTo(300);
            assertThat(run.requestsPerSec()).isPositive();
        });
        SpoolBenchmark.Run spool = r.runs().get(1);
        assertThat(spool.ackSpool()).hasValueSatisfying(a -> assertThat(a.samples()).isEqualTo(300));
        assertThat(spool.ackKafka()).isEmpty();
        SpoolBenchmark.Run outage = r.runs().get(2);
        assertThat(outage.ackSpool()).hasValueSatisfying(a -> assertThat(a.samples()).isEqualTo(300));
        assertThat(outage.drainSeconds()).isPositive();
        assertThat(r.okResponses()).isEqualTo(900);
        assertThat(r.consistent()).isTrue();
        assertThat(Files.readString(results)).startsWith("# Ingress spool benchmark").contains("| kafka-outage |");
    }
}
