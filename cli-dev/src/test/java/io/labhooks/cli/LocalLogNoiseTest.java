package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LocalLogNoiseTest {
    static final String NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";

    @Test
    void onlyTheRepartitionTopicsOfAFirstStartAreNoise() {
        String prefix = "[Consumer clientId=x-StreamThread-1-consumer, groupId=labhooks-normalizer] "
                + "The metadata response from the cluster reported a recoverable issue with correlation id 2 : ";
        assertThat(LocalLogNoise.isFirstStartRepartitionMetadata(NETWORK_CLIENT,
                prefix + "{labhooks-normalizer-by-entity-repartition=UNKNOWN_TOPIC_OR_PARTITION}", null)).isTrue();
        assertThat(LocalLogNoise.isFirstStartRepartitionMetadata(NETWORK_CLIENT,
                prefix + "{labhooks.raw.v1=UNKNOWN_TOPIC_OR_PARTITION}", null)).isFalse();
        assertThat(LocalLogNoise.isFirstStartRepartitionMetadata(NETWORK_CLIENT,
                prefix + "{a-repartition=UNKNOWN_TOPIC_OR_PARTITION, labhooks.raw.v1=UNKNOWN_TOPIC_OR_PARTITION}", null)).isFalse();
        assertThat(LocalLogNoise.isFirstStartRepartitionMetadata(NETWORK_CLIENT,
                prefix + "{a-repartition=LEADER_NOT_AVAILABLE}", null)).isFalse();
        assertThat(LocalLogNoise.isFirstStartRepartitionMetadata("other.Logger",
                prefix + "{a-repartition=UNKNOWN_TOPIC_OR_PARTITION}", null)).isFalse();
    }

    @Test
    void dropsTheNamedMessagesKeepsTheOtherWarningsOfTheSameLoggersAndIsRemovedOnClose() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger controller = ctx.getLogger("org.apache.kafka.controller.QuorumController");
        Logger client = ctx.getLogger(NETWORK_CLIENT);
        try (LocalLogNoise f = LocalLogNoise.install()) {
            assertThat(ctx.getTurboFilterList()).contains(f);
            assertThat(f.decide(null, controller, Level.WARN, "[QuorumController id=1] Performing controller activation. "
                    + "The metadata log appears to be empty.", null, null)).isEqualTo(FilterReply.DENY);
            assertThat(f.decide(null, controller, Level.WARN, "[QuorumController id=1] Renouncing the leadership", null, null))
                    .isEqualTo(FilterReply.NEUTRAL);
            assertThat(f.decide(null, client, Level.WARN, "[NodeToControllerChannelManager id=1 name=registration] "
                    + "Attempting to close NetworkClient that has already been closed.", null, null)).isEqualTo(FilterReply.DENY);
            assertThat(f.decide(null, client, Level.WARN, "[Producer clientId=p] Connection to node 1 (localhost/127.0.0.1:9092) "
                    + "could not be established. Node may not be available.", null, null)).isEqualTo(FilterReply.NEUTRAL);
            assertThat(f.decide(null, controller, Level.ERROR, "[QuorumController id=1] Performing controller activation.", null, null))
                    .isEqualTo(FilterReply.NEUTRAL);
            Logger sender = ctx.getLogger("org.apache.kafka.clients.producer.internals.Sender");
            assertThat(f.decide(null, sender, Level.WARN, "[Producer clientId=p, transactionalId=t] Got error produce response "
                    + "with correlation id 13 on topic-partition a-repartition-1, retrying (2147483646 attempts left). "
                    + "Error: CONCURRENT_TRANSACTIONS", null, null)).isEqualTo(FilterReply.DENY);
            assertThat(f.decide(null, sender, Level.WARN, "[Producer clientId=p] Got error produce response with correlation "
                    + "id 13 on topic-partition labhooks.raw.v1-1. Error: NOT_ENOUGH_REPLICAS", null, null)).isEqualTo(FilterReply.NEUTRAL);
            Logger replicas = ctx.getLogger("kafka.server.ReplicaManager");
            String append = "[ReplicaManager broker=1] Error processing append operation on partition x:a-repartition-0";
            assertThat(f.decide(null, replicas, Level.ERROR, append, null,
                    new org.apache.kafka.common.errors.OutOfOrderSequenceException("seq"))).isEqualTo(FilterReply.DENY);
            assertThat(f.decide(null, replicas, Level.ERROR, append, null,
                    new org.apache.kafka.common.errors.KafkaStorageException("disk"))).isEqualTo(FilterReply.NEUTRAL);
        }
        assertThat(ctx.getTurboFilterList()).noneMatch(t -> t instanceof LocalLogNoise);
    }
}
