package io.labhooks.sink.consume;

import io.labhooks.schemas.Topics;
import io.labhooks.sink.write.EntityRow;
import io.labhooks.sink.write.EventRow;
import io.labhooks.sink.write.RejectedRecordException;
import io.labhooks.sink.write.RowMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One polled batch, decoded, kept until it is written (however many attempts that takes) and its offsets
 * are committed. Records that cannot even be decoded are already rejections.
 */
final class PendingBatch {
    private static final Logger LOG = LoggerFactory.getLogger(PendingBatch.class);

    /** A decoded record: an event row (events topic) or an entity row (entities topic). */
    record Item(ConsumerRecord<byte[], byte[]> record, EventRow event, EntityRow entity) {
        List<EventRow> events() {
            return event == null ? List.of() : List.of(event);
        }

        List<EntityRow> entities() {
            return entity == null ? List.of() : List.of(entity);
        }
    }

    private final List<Item> items = new ArrayList<>();
    private final List<DeadLetters.Rejection> undecodable = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private final int size;

    PendingBatch(ConsumerRecords<byte[], byte[]> records, RowMapper mapper) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            n++;
            offsets.put(new TopicPartition(r.topic(), r.partition()),
                    new OffsetAndMetadata(r.offset() + 1, r.leaderEpoch(), ""));
            try {
                if (Topics.ENTITIES.equals(r.topic())) {
                    items.add(new Item(r, null, mapper.entityRow(r.value())));
                } else {
                    items.add(new Item(r, mapper.eventRow(r.value()), null));
                }
            } catch (RejectedRecordException e) {
                LOG.warn("rejected {}-{}@{}: {} ({})", r.topic(), r.partition(), r.offset(), e.reason(), e.getMessage());
                undecodable.add(new DeadLetters.Rejection(r, e.reason(), e.getMessage()));
            }
        }
        this.size = n;
    }

    List<Item> items() {
        return items;
    }

    List<DeadLetters.Rejection> undecodable() {
        return undecodable;
    }

    List<EventRow> events() {
        List<EventRow> out = new ArrayList<>();
        items.forEach(i -> out.addAll(i.events()));
        return out;
    }

    List<EntityRow> entities() {
        List<EntityRow> out = new ArrayList<>();
        items.forEach(i -> out.addAll(i.entities()));
        return out;
    }

    /** The offsets to commit once everything in this batch is written or dead-lettered: last offset + 1 per partition. */
    Map<TopicPartition, OffsetAndMetadata> offsets() {
        return Map.copyOf(offsets);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return offsets.isEmpty();
    }

    /** Forgets the records of partitions this consumer lost; their new owner reads them from the committed offsets. */
    void drop(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            offsets.remove(tp);
        }
        items.removeIf(i -> partitions.contains(new TopicPartition(i.record().topic(), i.record().partition())));
        undecodable.removeIf(r -> partitions.contains(new TopicPartition(r.record().topic(), r.record().partition())));
    }
}
