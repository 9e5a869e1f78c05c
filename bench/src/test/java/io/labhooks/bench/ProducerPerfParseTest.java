package io.labhooks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProducerPerfParseTest {

    @Test
    void readsTheFinalSummaryLineNotTheProgressLines() {
        String out = """
                120001 records sent, 23995.4 records/sec (46.87 MB/sec), 512.3 ms avg latency, 901.0 ms max latency.
                200000 records sent, 24210.123456 records/sec (47.29 MB/sec), 498.17 ms avg latency, 1012.00 ms max latency, 470 ms 50th, 880 ms 95th, 960 ms 99th, 1003 ms 99.9th.
                """;

        ProducerPerf.Summary s = ProducerPerf.parse(out).orElseThrow();

        assertThat(s.records()).isEqualTo(200_000);
        assertThat(s.recordsPerSec()).isEqualTo(24210.123456);
        assertThat(s.mbPerSec()).isEqualTo(47.29);
        assertThat(s.avgLatencyMs()).isEqualTo(498.17);
        assertThat(s.p50Ms()).isEqualTo(470);
        assertThat(s.p95Ms()).isEqualTo(880);
        assertThat(s.p99Ms()).isEqualTo(960);
        assertThat(s.p999Ms()).isEqualTo(1003);
    }

    @Test
    void acceptsADecimalCommaFromTheDefaultLocale() {
        String out = "1000 records sent, 1234,500000 records/sec (2,41 MB/sec), 3,50 ms avg latency, 9,00 ms max latency, 3 ms 50th, 7 ms 95th, 8 ms 99th, 9 ms 99.9th.\n";

        assertThat(ProducerPerf.parse(out)).hasValueSatisfying(s -> assertThat(s.recordsPerSec()).isEqualTo(1234.5));
    }

    @Test
    void noSummaryIsEmpty() {
        assertThat(ProducerPerf.parse("Warmup first 10 records.\n")).isEmpty();
    }
}
