package io.labhooks.normalizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The normalizer's performance defaults apply when unset, and yield to the operator's own settings. */
class StreamsDefaultsTest {
    private static Properties properties(String normalizerProperties, String kafkaProperties) {
        LabhooksConfig config = ConfigLoader.parse("""
                kafka:
                  bootstrap-servers: "127.0.0.1:1"
                  properties: %s
                sources:
                  - {id: flabs, vendor: flabs, auth: {type: none}}
                normalizer:
                  properties: %s
                """.formatted(kafkaProperties, normalizerProperties), "test", Map.of());
        return NormalizerApp.streamsProperties(config);
    }

    @Test
    void unsetThereAreAThreadPerCoreAndACompressingProducerWithLargeBatches() {
        Properties p = properties("{}", "{}");
        assertThat(p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(p.get("producer.compression.type")).isEqualTo("lz4");
        assertThat(p.get("producer.batch.size")).isEqualTo(256 * 1024);
    }

    @Test
    void theOperatorsSettingsWinWithOrWithoutTheProducerPrefix() {
        Properties p = properties("{num.stream.threads: \"1\", compression.type: zstd}", "{producer.batch.size: \"65536\"}");
        assertThat(p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo("1");
        assertThat(p).doesNotContainKey("producer.compression.type");
        assertThat(p.get("compression.type")).isEqualTo("zstd");
        assertThat(p.get("producer.batch.size")).isEqualTo("65536");
        // what Streams hands its producer: the operator's codec, not the default
        assertThat(new StreamsConfig(p).getProducerConfigs("c").get("compression.type")).isEqualTo("zstd");
    }
}
