package io.labhooks.sink;

import io.labhooks.sink.write.CommitHook;
import java.util.Collection;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * Observation and fault-injection points of the sink, for tests. Production uses {@link #NONE}.
 *
 * @param commitHook runs after each database commit, before the Kafka offsets are committed
 * @param rebalances told about every assignment change, after the sink's own handling
 */
public record SinkHooks(CommitHook commitHook, ConsumerRebalanceListener rebalances) {
    public static final SinkHooks NONE = new SinkHooks(CommitHook.NONE, new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // nothing to observe
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // nothing to observe
        }
    });

    public SinkHooks {
        Objects.requireNonNull(commitHook, "commitHook");
        Objects.requireNonNull(rebalances, "rebalances");
    }

    public SinkHooks withCommitHook(CommitHook hook) {
        return new SinkHooks(hook, rebalances);
    }

    public SinkHooks withRebalances(ConsumerRebalanceListener listener) {
        return new SinkHooks(commitHook, listener);
    }
}
