package io.labhooks.sink.consume;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * {@code min(max, initial * 2^n)}, so many sinks that lost the same database do not retry in step,
 * and no wait is ever near zero. Not thread-safe; one per poll loop.
 */
public final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final RandomGenerator random;
    private int attempts;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The wait before the next attempt; each call doubles the ceiling up to the cap. */
    public Duration next() {
        long ceiling = attempts >= 30 ? maxMs : Math.min(maxMs, initialMs << attempts);
        attempts++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }

    /** Failed attempts since the last {@link #reset()}. */
    public int attempts() {
        return attempts;
    }

    public void reset() {
        attempts = 0;
    }
}
