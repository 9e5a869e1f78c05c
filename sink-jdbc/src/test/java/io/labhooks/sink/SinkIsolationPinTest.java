package io.labhooks.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** The sink consumes {@code read_committed} with manual commits, whatever the shared Kafka properties say. */
class SinkIsolationPinTest {
    @Test
    void theConsumerIsReadCommittedWithManualCommitsEvenIfThePropertiesSayOtherwise() {
        LabhooksConfig config = ConfigLoader.parse("""
                kafka:
                  bootstrap-servers: "127.0.0.1:1"
                  properties: {isolation.level: read_uncommitted, enable.auto.commit: "true"}
                sources:
                  - {id: flabs, vendor: flabs, auth: {type: none}}
                """, "test", Map.of());
        Map<String, Object> p = SinkApp.consumerProperties(config);
        assertThat(p).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }
}
