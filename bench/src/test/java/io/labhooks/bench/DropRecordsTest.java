package io.labhooks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.testkit.EmbeddedKafka;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class DropRecordsTest {

    @Test
    void recordsAlreadyCountedAreDroppedAndTheEndOffsetsStay() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
            kafka.createTopics(new NewTopic("t", 2, (short) 1));
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 50; i++) {
                    p.send(new ProducerRecord<>("t", i % 2, null, new byte[100]));
                }
                p.flush();
            }
            IngressBenchmark.dropRecords(kafka.bootstrapServers(), List.of("t"));
            assertThat(IngressBenchmark.endOffsetSum(kafka.bootstrapServers(), "t")).as("what the final check counts").isEqualTo(50);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                for (int partition = 0; partition < 2; partition++) {
                    TopicPartition tp = new TopicPartition("t", partition);
                    long earliest = admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
                    assertThat(earliest).as("partition " + partition + ": nothing left to read").isEqualTo(25);
                }
            }
        }
    }
}
