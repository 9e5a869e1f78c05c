package io.labhooks.bench.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode ingress(int connections, int bodyBytes, double ingressPerS) throws Exception {
        return JSON.readTree("""
                {"stage":"ingress","parameters":{"concurrency":%d,"body_bytes":%d},
                 "rows":[{"round":1,"side":"labhooks ingress","per s":%s},{"round":2,"side":"labhooks ingress","per s":%s}]}
                """.formatted(connections, bodyBytes, ingressPerS, ingressPerS + 2));
    }

    private static JsonNode normalizer(int partitions, int threads, double perS) throws Exception {
        return JSON.readTree("""
                {"stage":"normalizer","parameters":{"partitions":%d,"stream_threads":%d},
                 "rows":[{"round":1,"app":"normalizer","rec/s":%s}]}
                """.formatted(partitions, threads, perS));
    }

    private static Map<String, TreeMap<Double, List<Double>>> figure(List<Charts.Figure> figures, String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow().data();
    }

    @Test
    void aSweepOfOneOptionTakesOnlyTheRunsAtTheUsualValueOfTheOther() throws Exception {
        List<JsonNode> runs = List.of(ingress(64, 2048, 20_000), ingress(16, 2048, 12_000), ingress(256, 2048, 30_000),
                ingress(64, 25_600, 5_000), ingress(64, 102_400, 1_000));
        List<Charts.Figure> figures = Charts.figures(Map.of("ingress", runs));

        TreeMap<Double, List<Double>> byConnections = figure(figures, "ingress-throughput-vs-connections").get("labhooks ingress");
        assertThat(byConnections.keySet()).containsExactly(16.0, 64.0, 256.0);
        assertThat(byConnections.get(64.0)).as("the 2 KB run only, not the 25 and 100 KB runs at 64 connections")
                .containsExactly(20_000.0, 20_002.0);
        TreeMap<Double, List<Double>> byBody = figure(figures, "ingress-cost-vs-body-size").get("labhooks ingress");
        assertThat(byBody.keySet()).containsExactly(2048.0, 25_600.0, 102_400.0);
        assertThat(byBody.get(2048.0)).as("the 64-connection run only").hasSize(2).allMatch(ms -> Math.abs(ms - 50) < 0.01);
    }

    @Test
    void theNormalizerIsChartedAgainstPartitionsAndAgainstThreads() throws Exception {
        List<JsonNode> runs = List.of(normalizer(3, 2, 1000), normalizer(1, 2, 600), normalizer(12, 2, 900),
                normalizer(3, 1, 700), normalizer(3, 4, 1100));
        List<Charts.Figure> figures = Charts.figures(Map.of("normalizer", runs));

        assertThat(figure(figures, "normalizer-throughput-vs-partitions").get("normalizer"))
                .containsOnlyKeys(1.0, 3.0, 12.0).containsEntry(3.0, List.of(1000.0));
        assertThat(figure(figures, "normalizer-throughput-vs-threads").get("normalizer"))
                .containsOnlyKeys(1.0, 2.0, 4.0).containsEntry(2.0, List.of(1000.0)).containsEntry(4.0, List.of(1100.0));
    }

    @Test
    void theMostCommonValueWinsAndATieGoesToTheSmallest() throws Exception {
        assertThat(Charts.atMostCommon(List.of(ingress(16, 1024, 1), ingress(16, 4096, 1)), "body_bytes"))
                .extracting(n -> n.at("/parameters/body_bytes").asInt()).containsExactly(1024);
        assertThat(Charts.atMostCommon(List.of(), "body_bytes")).isEmpty();
    }
}
