package io.labhooks.ingress.spool;

import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Between Kafka records and spool records, and which Kafka errors are final for a record. */
final class KafkaRecords {
    /** {@code labhooks.error.stage} of records the ingress sends to the DLQ. */
    static final String STAGE = "ingress";
    /** {@code labhooks.error.reason}: Kafka refused the record for good (e.g. over the topic's max.message.bytes). */
    static final String REASON_KAFKA_REFUSED = "kafka-refused";
    private static final int MAX_ERROR_MESSAGE = 512;

    private KafkaRecords() {
    }

    static SpoolRecord toSpool(ProducerRecord<String, byte[]> r) {
        List<SpoolRecord.Header> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            headers.add(new SpoolRecord.Header(h.key(), h.value()));
        }
        return new SpoolRecord(r.key(), r.timestamp() == null ? System.currentTimeMillis() : r.timestamp(), headers, r.value());
    }

    static ProducerRecord<String, byte[]> toKafka(SpoolRecord r, String topic) {
        List<Header> headers = new ArrayList<>(r.headers().size() + 4);
        for (SpoolRecord.Header h : r.headers()) {
            headers.add(new RecordHeader(h.name(), h.value()));
        }
        return new ProducerRecord<>(topic, null, r.timestamp(), r.key(), r.body(), headers);
    }

    /** The DLQ record for one Kafka refused: the original key, bytes and headers, plus the labhooks.error.* headers. */
    static ProducerRecord<String, byte[]> toDlq(SpoolRecord r, Throwable refusal) {
        RecordHeaders h = new RecordHeaders();
        for (SpoolRecord.Header x : r.headers()) {
            if (!x.name().startsWith("labhooks.error.")) {
                h.add(x.name(), x.value());
            }
        }
        String msg = refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
        h.add(Headers.ERROR_TOPIC, Topics.RAW.getBytes(StandardCharsets.UTF_8));
        h.add(Headers.ERROR_STAGE, STAGE.getBytes(StandardCharsets.UTF_8));
        h.add(Headers.ERROR_REASON, REASON_KAFKA_REFUSED.getBytes(StandardCharsets.UTF_8));
        h.add(Headers.ERROR_MESSAGE, (msg.length() > MAX_ERROR_MESSAGE ? msg.substring(0, MAX_ERROR_MESSAGE) : msg)
                .getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(Topics.DLQ, null, r.timestamp(), r.key(), r.body(), h);
    }

    /** The exception of a future that completed exceptionally. */
    static Throwable failure(java.util.concurrent.CompletableFuture<?> f) {
        try {
            f.join();
            throw new IllegalStateException("the future did not fail");
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return unwrap(e);
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * True if Kafka will never take this record as it is: it is too large for the topic, or invalid, or another
     * non-retriable error about the record. Credentials and authorization are not the record's fault: they are
     * retried (with backoff) until an operator fixes them, like an outage.
     */
    static boolean refusedForGood(Throwable t) {
        Throwable e = unwrap(t);
        if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException || e instanceof InvalidRecordException) {
            return true;
        }
        return e instanceof ApiException && !(e instanceof RetriableException) && !(e instanceof AuthenticationException)
                && !(e instanceof AuthorizationException);
    }
}
