package io.labhooks.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress line and the totals the commands print. */
class ReplayTotalsTest {
    @Test
    void progressLineCountsAndPercentOfTheRange() {
        Totals t = new Totals(3, 1200, 40, 38, Map.of(), 0.526, false, Duration.ofSeconds(4));
        assertThat(t.progressLine("labhooks replay"))
                .isEqualTo("labhooks replay: scanned 1200, matched 40, published 38, 52% of the range");
        Totals dry = new Totals(3, 10, 4, 3, Map.of("copies from an earlier replay", 1L), 1.0, true, Duration.ZERO);
        assertThat(dry.progressLine("x")).isEqualTo("x: scanned 10, matched 4, would publish 3, skipped 1, 100% of the range");
    }

    @Test
    void summaryHasOneLinePerTotalAndTheSkipReasons() {
        Totals t = new Totals(1, 7, 5, 3, Map.of("b reason", 1L, "a reason", 1L), 1.0, false, Duration.ofMillis(1250));
        assertThat(t.summary().lines()).containsExactly(
                "scanned    7 records in 1 partition",
                "matched    5",
                "published  3",
                "skipped    2 (1 a reason; 1 b reason)",
                "elapsed    1.3 s");
        assertThat(t.skippedCount()).isEqualTo(2);
    }
}
