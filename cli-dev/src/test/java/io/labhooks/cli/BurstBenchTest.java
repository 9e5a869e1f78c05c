package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.cli.BurstBench.Part;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BurstBenchTest {
    @Test
    void threadsAreAssignedToTheirStageByName() {
        assertThat(Part.of("XNIO-1 I/O-2")).isEqualTo(Part.INGRESS);
        assertThat(Part.of("labhooks-ingress-worker-3")).isEqualTo(Part.INGRESS);
        assertThat(Part.of("kafka-producer-network-thread | labhooks-ingress")).isEqualTo(Part.INGRESS);
        assertThat(Part.of("labhooks-spool-forwarder")).isEqualTo(Part.INGRESS);
        assertThat(Part.of("labhooks-normalizer-2044a855-StreamThread-1")).isEqualTo(Part.NORMALIZER);
        assertThat(Part.of("kafka-producer-network-thread | labhooks-normalizer-2044a855-StreamThread-1-producer"))
                .isEqualTo(Part.NORMALIZER);
        assertThat(Part.of("labhooks-sink")).isEqualTo(Part.SINK);
        assertThat(Part.of("labhooks-sink-decode")).isEqualTo(Part.SINK);
        assertThat(Part.of("labhooks-send-http-1")).isEqualTo(Part.CLIENT);
        assertThat(Part.of("HttpClient-4-Worker-0")).isEqualTo(Part.CLIENT);
        assertThat(Part.of("data-plane-kafka-request-handler-0")).isEqualTo(Part.BROKER_AND_OTHER);
        assertThat(Part.of("main")).isEqualTo(Part.BROKER_AND_OTHER);
    }

    @Test
    void theLastStageIsTheOneThatTookLongestAfterTheStageBeforeIt() {
        Map<Part, Double> cpu = Map.of();
        assertThat(new BurstBench.Drain(10, 1, 10, 2.0, 3.0, 9.0, cpu, 0, 0).slowest()).isEqualTo("sink (+6.0 s after the normalizer)");
        assertThat(new BurstBench.Drain(10, 1, 10, 2.0, 8.0, 9.0, cpu, 0, 0).slowest()).isEqualTo("normalizer (+6.0 s after the ingress)");
    }

    @Test
    void cpuIsCountedPerPartSinceTheEarlierReading() {
        BurstBench.Cpu before = new BurstBench.Cpu(Map.of(1L, 1_000_000_000L), Map.of(1L, Part.SINK), 0, 0);
        BurstBench.Cpu after = new BurstBench.Cpu(Map.of(1L, 3_500_000_000L, 2L, 500_000_000L),
                Map.of(1L, Part.SINK, 2L, Part.CLIENT), 0, 0);
        Map<Part, Double> d = after.since(before);
        assertThat(d.get(Part.SINK)).isEqualTo(2.5);
        assertThat(d.get(Part.CLIENT)).isEqualTo(0.5);
        assertThat(d.get(Part.NORMALIZER)).isZero();
    }
}
