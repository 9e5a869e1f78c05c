package io.labhooks.sink.consume;

import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends records the warehouse refused to {@link Topics#DLQ}: the original key, value and headers, plus
 * {@code labhooks.error.topic} (the topic it was read from), {@code labhooks.error.stage=sink},
 * {@code labhooks.error.reason} and {@code labhooks.error.message}
 * (replacing any error headers of an earlier stage, so a redriven record carries only its latest error).
 */
public final class DeadLetters {
    public static final String STAGE = "sink";
    static final int MAX_MESSAGE_CHARS = 1000;

    /** One refused record. */
    public record Rejection(ConsumerRecord<byte[], byte[]> record, String reason, String message) {
        public Rejection {
            Objects.requireNonNull(record, "record");
            Objects.requireNonNull(reason, "reason");
            message = message == null ? "" : message;
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final Duration timeout;

    public DeadLetters(Producer<byte[], byte[]> producer, Duration timeout) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Sends all and waits until Kafka acknowledged every one.
     *
     * @throws KafkaException if one was not acknowledged in time; the caller retries the whole batch
     */
    public void sendAll(List<Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(rejections.size());
        for (Rejection r : rejections) {
            sent.add(producer.send(toDlq(r)));
        }
        producer.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while sending to " + Topics.DLQ, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new KafkaException("could not send a rejected record to " + Topics.DLQ, e);
            }
        }
    }

    static ProducerRecord<byte[], byte[]> toDlq(Rejection r) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.record().headers()) {
            if (!h.key().equals(Headers.ERROR_STAGE) && !h.key().equals(Headers.ERROR_REASON)
                    && !h.key().equals(Headers.ERROR_MESSAGE) && !h.key().equals(Headers.ERROR_TOPIC)) {
                headers.add(h);
            }
        }
        headers.add(header(Headers.ERROR_TOPIC, r.record().topic()));
        headers.add(header(Headers.ERROR_STAGE, STAGE));
        headers.add(header(Headers.ERROR_REASON, r.reason()));
        String message = r.message().length() > MAX_MESSAGE_CHARS ? r.message().substring(0, MAX_MESSAGE_CHARS) : r.message();
        headers.add(header(Headers.ERROR_MESSAGE, message));
        return new ProducerRecord<>(Topics.DLQ, null, null, r.record().key(), r.record().value(), headers);
    }

    private static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
