package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench e2e}'s warm-up: it goes on while the JIT is busy, within its bounds. On a scripted clock. */
class EndToEndWarmUpTest {
    /** Each load advances the wall clock by its seconds and the JIT's total by the next share of it. */
    private static final class Script implements EndToEndBench.JitClock.Source {
        private final double[] shares;
        private final List<Double> chunks = new ArrayList<>();
        private long nanos;
        private long compileMs;

        Script(double... shares) {
            this.shares = shares;
        }

        EndToEndBench.Phase load(double seconds) {
            double share = shares[Math.min(chunks.size(), shares.length - 1)];
            chunks.add(seconds);
            nanos += (long) (seconds * 1e9);
            compileMs += (long) (seconds * 1e3 * share);
            return new EndToEndBench.Phase(0, 0, 0, seconds, 0, 0);
        }

        @Override
        public long nanos() {
            return nanos;
        }

        @Override
        public long compileMs() {
            return compileMs;
        }
    }

    @Test
    void goesOnUntilTheJitSettles() throws Exception {
        Script s = new Script(0.9, 0.6, 0.3, 0.05, 0.0);
        EndToEndBench.WarmUp w = EndToEndBench.WarmUp.run(5, 240, s::load, s);
        assertThat(w.settled()).isTrue();
        assertThat(s.chunks).containsExactly(15.0, 15.0, 15.0, 15.0);
        assertThat(w.seconds()).isCloseTo(60, within(1e-6));
        assertThat(w.lastJitShare()).isCloseTo(0.05, within(1e-3));
    }

    @Test
    void stopsAtTheLongestWarmUpIfTheJitNeverSettles() throws Exception {
        Script s = new Script(0.5);
        EndToEndBench.WarmUp w = EndToEndBench.WarmUp.run(5, 40, s::load, s);
        assertThat(w.settled()).isFalse();
        assertThat(s.chunks).containsExactly(15.0, 15.0, 10.0);
        assertThat(w.seconds()).isCloseTo(40, within(1e-6));
    }

    @Test
    void runsAtLeastTheShortestWarmUpEvenWithAQuietJit() throws Exception {
        Script s = new Script(0.0);
        EndToEndBench.WarmUp w = EndToEndBench.WarmUp.run(20, 240, s::load, s);
        assertThat(s.chunks).containsExactly(20.0);
        assertThat(w.settled()).isTrue();
    }

    @Test
    void zeroSkipsIt() throws Exception {
        Script s = new Script(0.9);
        EndToEndBench.WarmUp w = EndToEndBench.WarmUp.run(0, 0, s::load, s);
        assertThat(s.chunks).isEmpty();
        assertThat(w.seconds()).isZero();
        assertThat(w.settled()).isFalse();
    }
}
