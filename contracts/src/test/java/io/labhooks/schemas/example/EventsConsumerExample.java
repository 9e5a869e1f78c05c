package io.labhooks.schemas.example;

import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A complete consumer of {@code labhooks.events.v1} that depends on {@code labhooks-contracts} and
 * {@code kafka-clients} only (docs/events.md shows it). It reads committed events as typed {@link CanonicalEvent}s and
 * hands each to {@code handle}, which must be idempotent by {@link CanonicalEvent#id()}; offsets are committed after.
 * Compiled with the contracts module's tests, so that the documented example cannot rot.
 */
public final class EventsConsumerExample implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final EventCodec codec = new EventCodec();
    private final AtomicBoolean running = new AtomicBoolean(true);

    public EventsConsumerExample(String bootstrapServers, String groupId) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",   // never see an aborted normalizer transaction
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /** Polls until {@link #stop()}; each event once at least, in order per entity (the record key). */
    public void run(Consumer<CanonicalEvent> handle) {
        consumer.subscribe(List.of(Topics.EVENTS));
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                CanonicalEvent e = codec.read(r.value());   // IllegalArgumentException: not a canonical event
                handle.accept(e);                            // e.id(), e.entityKey(), e.version(), e.hwmAdvanced(), e.data()
            }
            consumer.commitSync();
        }
    }

    public void stop() {
        running.set(false);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
