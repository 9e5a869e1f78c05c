package io.labhooks.ingress.publish;

import java.util.concurrent.CompletableFuture;

/**
 * Makes a delivery durable. The future completes once it is: Kafka acked it ({@link KafkaRawPublisher}), or the
 * local spool fsync'd it ({@code io.labhooks.ingress.spool.SpoolingPublisher}). The ingress answers 200 only then.
 * An implementation bounds its own wait (e.g. by {@code ack-timeout}); the caller only guards the 10 s limit.
 */
public interface RawPublisher extends AutoCloseable {

    /** Which durable store took the record; the {@code path} label of the ack histogram. */
    enum Path { KAFKA, SPOOL }

    CompletableFuture<Path> publish(RawDelivery delivery);

    /**
     * True if {@link #publish} of a delivery of {@code bodyBytes} is expected to return at once, without disk I/O or
     * a wait for Kafka (metadata, buffer memory), so that the ingress may call it on an HTTP I/O thread instead of
     * handing the request to a worker thread. A hint: when it is wrong, that one publish blocks its caller briefly.
     * The default, for publishers that may block: false.
     */
    default boolean publishesWithoutBlocking(int bodyBytes) {
        return false;
    }

    /** True while a publish is expected to succeed (the broker answers, or the spool is writable). */
    boolean ready();

    @Override
    void close();
}
