package io.labhooks.cli.replay;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Decides, per record read within the scan's time range, whether and where it is published again. */
@FunctionalInterface
public interface Selector {
    Decision select(ConsumerRecord<byte[], byte[]> record);
}
