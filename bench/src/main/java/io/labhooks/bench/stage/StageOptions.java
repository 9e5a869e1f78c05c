package io.labhooks.bench.stage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The options every {@code labhooks bench <stage>} takes.
 *
 * @param duration    measured time per side and round (the warm-up is extra and discarded)
 * @param bodySize    body bytes of each delivery, where the stage has a body size to choose (0: the stage's default)
 * @param concurrency connections or threads of the load, where the stage has one
 * @param rate        offered deliveries per second for the stages with a fixed-rate mode (0: as fast as possible)
 * @param partitions  partitions of the stage's topics
 * @param out         the JSON file to write the result to, if any
 */
public record StageOptions(Duration duration, int bodySize, int concurrency, double rate, int partitions, Optional<Path> out) {
    public StageOptions {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, was " + duration);
        }
        if (bodySize < 0) {
            throw new IllegalArgumentException("--body-size must be >= 0, was " + bodySize);
        }
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("--concurrency must be 1..4096, was " + concurrency);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be a finite number >= 0, was " + rate);
        }
        if (partitions < 1 || partitions > 1000) {
            throw new IllegalArgumentException("--partitions must be 1..1000, was " + partitions);
        }
        out = out == null ? Optional.empty() : out;
    }
}
