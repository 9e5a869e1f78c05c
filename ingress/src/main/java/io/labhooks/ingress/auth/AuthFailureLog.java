package io.labhooks.ingress.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Auth failures as log lines, at most one WARN per source per window, with how many were suppressed since the
 * last one: someone probing tokens must not flood the log. The lines name the source and the peer address only,
 * never a header, a token, a signature or which check failed.
 */
public final class AuthFailureLog {
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);

    private final Logger log;
    private final long windowNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Window> bySource = new ConcurrentHashMap<>();

    /** @param nanoClock a monotonic clock such as {@code System::nanoTime}; tests pass their own */
    public AuthFailureLog(Logger log, Duration window, LongSupplier nanoClock) {
        this.log = log;
        this.windowNanos = window.toNanos();
        this.nanoClock = nanoClock;
    }

    public void failed(String sourceId, String peer) {
        Window w = bySource.computeIfAbsent(sourceId, s -> new Window());
        long now = nanoClock.getAsLong();
        long suppressed;
        synchronized (w) {
            if (w.logged && now - w.lastLogged < windowNanos) {
                w.suppressed++;
                return;
            }
            suppressed = w.suppressed;
            w.suppressed = 0;
            w.logged = true;
            w.lastLogged = now;
        }
        if (suppressed == 0) {
            log.warn("source {}: rejected a delivery from {} with 401 (bad or missing credentials)", sourceId, peer);
        } else {
            log.warn("source {}: rejected a delivery from {} with 401 (bad or missing credentials); {} more since the last such line",
                    sourceId, peer, suppressed);
        }
    }

    private static final class Window {
        boolean logged;
        long lastLogged;
        long suppressed;
    }
}
