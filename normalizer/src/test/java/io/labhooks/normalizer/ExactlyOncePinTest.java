package io.labhooks.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The normalizer runs {@code exactly_once_v2}, whatever the pass-through properties say. */
class ExactlyOncePinTest {
    @Test
    void theProcessingGuaranteeIsExactlyOnceV2EvenIfThePropertiesSayOtherwise() {
        LabhooksConfig config = ConfigLoader.parse("""
                kafka:
                  bootstrap-servers: "127.0.0.1:1"
                  properties: {processing.guarantee: at_least_once}
                sources:
                  - {id: flabs, vendor: flabs, auth: {type: none}}
                normalizer:
                  properties: {processing.guarantee: at_least_once}
                """, "test", Map.of());
        Properties p = NormalizerApp.streamsProperties(config);
        assertThat(p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    }
}
