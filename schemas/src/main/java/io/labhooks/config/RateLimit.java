package io.labhooks.config;

/** A token bucket: {@code requestsPerSecond} sustained, bursts of up to {@code burst} requests. */
public record RateLimit(double requestsPerSecond, int burst) {
    public RateLimit {
        if (!(requestsPerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate limit needs requests-per-second > 0 and burst >= 1");
        }
    }
}
