package io.labhooks.ingress.publish;

import java.util.concurrent.CompletableFuture;

/**
 * Makes a delivery durable. The future completes once it is: Kafka acked it, or (a later
 * implementation) the local spool fsync'd it. The ingress answers 200 only then.
 */
public interface RawPublisher extends AutoCloseable {

    /** Which durable store took the record; the {@code path} label of the ack histogram. */
    enum Path { KAFKA, SPOOL }

    CompletableFuture<Path> publish(RawDelivery delivery);

    /** True while a publish is expected to succeed (the broker answers, or the spool is writable). */
    boolean ready();

    @Override
    void close();
}
