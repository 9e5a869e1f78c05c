package io.labhooks.sink.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesWithJitterUpToTheCapAndResets() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(7));
        long[] ceilings = {100, 200, 400, 800, 1600, 2000, 2000, 2000};
        for (long ceiling : ceilings) {
            long ms = b.next().toMillis();
            assertThat(ms).isBetween(ceiling / 2, ceiling);
        }
        assertThat(b.attempts()).isEqualTo(ceilings.length);
        for (int i = 0; i < 100; i++) {
            assertThat(b.next().toMillis()).isBetween(1000L, 2000L);
        }
        b.reset();
        assertThat(b.attempts()).isZero();
        assertThat(b.next().toMillis()).isBetween(50L, 100L);
    }

    @Test
    void jitterSpreadsRetries() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), new Random(1));
        long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> b.next().toMillis()).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }
}
