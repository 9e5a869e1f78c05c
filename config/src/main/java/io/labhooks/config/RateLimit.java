package io.labhooks.config;

/** A token bucket: {@code requestsPerSecond} sustained, bursts of up to {@code burst} requests. */
public record RateLimit(double requestsPerSecond, int burst) {
}
