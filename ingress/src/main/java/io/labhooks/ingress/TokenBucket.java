package io.labhooks.ingress;

import io.labhooks.config.RateLimit;
import java.util.function.LongSupplier;

/** A source's optional rate limit: a token bucket refilled continuously. */
final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    TokenBucket(RateLimit limit, LongSupplier nanoClock) {
        this.perNano = limit.requestsPerSecond() / 1e9;
        this.capacity = limit.burst();
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.last = nanoClock.getAsLong();
    }

    /** Takes a token; returns 0 on success, else the whole seconds to wait (at least 1) for Retry-After. */
    synchronized long tryAcquire() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
    }
}
