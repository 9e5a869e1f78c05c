package io.labhooks.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP receiver.
 *
 * @param host            the address to bind
 * @param port            the plain HTTP port; 0 picks a free one
 * @param ack             when a delivery counts as durable: {@code kafka} acked it, or the {@code spool} fsync'd it
 * @param ackTimeout      how long a request waits for Kafka's ack before the spool (or a 503) takes over
 * @param maxInFlight     requests handled at once; more are answered 503 at once instead of queueing
 * @param readTimeout     the longest a request body may take to arrive
 * @param idleTimeout     an idle keep-alive connection is closed after this
 * @param shutdownTimeout how long a graceful shutdown waits for in-flight requests
 * @param ioThreads       Undertow IO threads; 0 means one per core
 */
public record IngressConfig(String host, int port, AckMode ack, Duration ackTimeout, SpoolConfig spool,
                            int maxInFlight, Duration readTimeout, Duration idleTimeout, Duration shutdownTimeout,
                            int ioThreads, Optional<TlsConfig> tls) {
    /** Flabs gives up on a response after 10 s; every answer must come well before. */
    public static final Duration RESPONSE_LIMIT = Duration.ofSeconds(10);

    /** When the ingress answers 200. */
    public enum AckMode { KAFKA, SPOOL }

    public IngressConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(ack, "ack");
        Objects.requireNonNull(ackTimeout, "ack-timeout");
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(readTimeout, "read-timeout");
        Objects.requireNonNull(idleTimeout, "idle-timeout");
        Objects.requireNonNull(shutdownTimeout, "shutdown-timeout");
        tls = tls == null ? Optional.empty() : tls;
        // ranges and the 10 s limit are config rules, declared once in ConfigKeys
    }
}
