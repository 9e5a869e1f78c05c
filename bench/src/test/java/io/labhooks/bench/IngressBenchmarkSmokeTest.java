package io.labhooks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the harness from rotting: a tiny run of the whole benchmark. It asserts nothing about speed,
 * only that both sides ran, every request was answered 200, every 200 is one record in the raw topic,
 * and the results file got its header and a row.
 */
class IngressBenchmarkSmokeTest {

    @Test
    @Timeout(value = 60)
    void tinyRunCompletesWithEveryRequestDurable(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results").resolve("ingress.md");
        IngressBenchmark.Options o = IngressBenchmark.Options.builder()
                .records(2_000).warmupRecords(300).concurrency(8).rounds(1).resultsFile(results).build();

        IngressBenchmark.Result r = new IngressBenchmark().run(o);

        assertThat(r.rounds()).hasSize(1);
        IngressBenchmark.Round round = r.rounds().get(0);
        assertThat(round.producer().records()).isEqualTo(2_000);
        assertThat(round.producer().recordsPerSec()).isPositive();
        assertThat(round.ingress().requests()).isEqualTo(2_000);
        assertThat(round.ingress().nonOk()).isEmpty();
        assertThat(round.ingress().ioErrors()).isZero();
        assertThat(round.ingress().ok()).isEqualTo(2_000);
        assertThat(round.ingress().client().samples()).isEqualTo(2_000);
        assertThat(round.ingress().serverAck()).hasValueSatisfying(a -> assertThat(a.samples()).isEqualTo(2_000));
        assertThat(round.ratio()).isPositive();

        assertThat(r.requestsSent()).isEqualTo(2_300);
        assertThat(r.non200()).isZero();
        assertThat(r.rawTopicRecords()).isEqualTo(r.requestsSent());
        assertThat(r.consistent()).isTrue();
        assertThat(r.baselineSettings()).containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        assertThat(r.ingressSettings()).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
                .containsKeys("linger.ms", "batch.size");

        String table = Files.readString(results);
        assertThat(table).startsWith("# Ingress throughput").contains("| date (UTC) |");
        assertThat(table.lines().filter(l -> l.startsWith("| 20"))).hasSize(1);
        assertThat(r.markdownRows()).hasSize(1).allSatisfy(row -> assertThat(row).contains("| 2000 | 300 | 8 | 2048 |"));
    }
}
