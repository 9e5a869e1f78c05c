package io.labhooks.bench.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts from the JSON results of {@code labhooks bench <stage> --out F.json}: each chart collects the points
 * of every file of its stage (one point per run and series; the median over the run's rounds), so a sweep is a few
 * runs with different options:
 * <ul>
 *   <li>{@code ingress-throughput-vs-connections.png}: per side, req/s (rec/s for ProducerPerformance) against
 *       {@code --concurrency};</li>
 *   <li>{@code ingress-cost-vs-body-size.png}: per side, wall time per 1,000 requests (1e6 / req/s, ms) against
 *       {@code --body-size};</li>
 *   <li>{@code normalizer-throughput-vs-partitions.png}: per app and stream-thread count, rec/s against
 *       {@code --partitions};</li>
 *   <li>{@code e2e-latency-vs-rate.png}: receipt-to-warehouse p50/p99/p99.9 (ms) against {@code --rate}.</li>
 * </ul>
 */
public final class Charts {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    private Charts() {
    }

    /** Draws every chart that has at least one point into {@code outDir}; returns the files written. */
    public static List<Path> draw(List<Path> results, Path outDir) {
        Map<String, List<JsonNode>> byStage = new TreeMap<>();
        for (Path f : results) {
            JsonNode n;
            try {
                n = JSON.readTree(f.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
            byStage.computeIfAbsent(n.path("stage").asText(), k -> new ArrayList<>()).add(n);
        }
        List<Path> written = new ArrayList<>();
        List<JsonNode> ingress = byStage.getOrDefault("ingress", List.of());
        chart(outDir, "ingress-throughput-vs-connections", "Ingress throughput against connections", "connections", "per second",
                series(ingress, "side", r -> r.path("per s").asDouble(), n -> n.path("parameters").path("concurrency").asDouble()), written);
        chart(outDir, "ingress-cost-vs-body-size", "Ingress cost against body size", "body bytes", "ms per 1,000 requests",
                series(ingress, "side", r -> 1e6 / r.path("per s").asDouble(), n -> n.path("parameters").path("body_bytes").asDouble()),
                written);
        List<JsonNode> normalizer = byStage.getOrDefault("normalizer", List.of());
        Map<String, TreeMap<Double, List<Double>>> norm = new TreeMap<>();
        for (JsonNode n : normalizer) {
            int threads = n.path("parameters").path("stream_threads").asInt(1);
            double x = n.path("parameters").path("partitions").asDouble();
            for (JsonNode r : n.path("rows")) {
                norm.computeIfAbsent(r.path("app").asText() + ", " + threads + " thread(s)", k -> new TreeMap<>())
                        .computeIfAbsent(x, k -> new ArrayList<>()).add(r.path("rec/s").asDouble());
            }
        }
        chart(outDir, "normalizer-throughput-vs-partitions", "Normalizer throughput against partitions", "partitions", "records per second",
                norm, written);
        Map<String, TreeMap<Double, List<Double>>> e2e = new TreeMap<>();
        for (JsonNode n : byStage.getOrDefault("e2e", List.of())) {
            double x = n.path("parameters").path("rate").asDouble();
            for (JsonNode r : n.path("rows")) {
                for (String q : List.of("e2e p50 ms", "e2e p99 ms", "e2e p999 ms")) {
                    if (r.path(q).isNumber()) {
                        e2e.computeIfAbsent(q.replace("e2e ", "").replace(" ms", ""), k -> new TreeMap<>())
                                .computeIfAbsent(x, k -> new ArrayList<>()).add(r.path(q).asDouble());
                    }
                }
            }
        }
        chart(outDir, "e2e-latency-vs-rate", "Receipt to warehouse latency against offered rate", "deliveries per second offered",
                "ms (bucket upper bound)", e2e, written);
        return written;
    }

    /** Series by the row's {@code key} column: x from the run, y from the row; several rounds of a run at one x median. */
    private static Map<String, TreeMap<Double, List<Double>>> series(List<JsonNode> runs, String key, ToDoubleFunction<JsonNode> y,
                                                                   ToDoubleFunction<JsonNode> x) {
        Map<String, TreeMap<Double, List<Double>>> out = new TreeMap<>();
        for (JsonNode n : runs) {
            double xv = x.applyAsDouble(n);
            for (JsonNode r : n.path("rows")) {
                double yv = y.applyAsDouble(r);
                if (Double.isFinite(yv)) {
                    out.computeIfAbsent(r.path(key).asText(), k -> new TreeMap<>()).computeIfAbsent(xv, k -> new ArrayList<>()).add(yv);
                }
            }
        }
        return out;
    }

    private static void chart(Path outDir, String name, String title, String xTitle, String yTitle,
                              Map<String, TreeMap<Double, List<Double>>> data, List<Path> written) {
        if (data.isEmpty()) {
            return;
        }
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setMarkerSize(8);
        data.forEach((series, points) -> {
            double[] xs = points.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] ys = points.values().stream().mapToDouble(Charts::median).toArray();
            XYSeries s = c.addSeries(series, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
        });
        Path file = outDir.resolve(name + ".png");
        try {
            Files.createDirectories(outDir);
            BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        written.add(file);
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
