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
 * runs with different options; a chart against one option takes the runs at the most common value of the other
 * ({@link #figures}):
 * <ul>
 *   <li>{@code ingress-throughput-vs-connections.png}: per side, req/s (rec/s for ProducerPerformance) against
 *       {@code --concurrency};</li>
 *   <li>{@code ingress-cost-vs-body-size.png}: per side, wall time per 1,000 requests (1e6 / req/s, ms) against
 *       {@code --body-size};</li>
 *   <li>{@code normalizer-throughput-vs-partitions.png}: per app, rec/s against {@code --partitions};</li>
 *   <li>{@code normalizer-throughput-vs-threads.png}: per app, rec/s against {@code --concurrency}
 *       ({@code num.stream.threads});</li>
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
        List<Path> written = new ArrayList<>();
        for (Figure f : figures(read(results))) {
            chart(outDir, f, written);
        }
        return written;
    }

    /** One chart: its file name (without {@code .png}), titles, and per series the y values at each x. */
    record Figure(String name, String title, String xTitle, String yTitle, Map<String, TreeMap<Double, List<Double>>> data) {
    }

    static Map<String, List<JsonNode>> read(List<Path> results) {
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
        return byStage;
    }

    /**
     * The charts' data. A chart against one option takes only the runs at the most common value of the stage's other
     * option (e.g. throughput against connections only from the runs with the usual body size), so that a sweep of one
     * option does not pool runs that differ in the other.
     */
    static List<Figure> figures(Map<String, List<JsonNode>> byStage) {
        List<Figure> out = new ArrayList<>();
        List<JsonNode> ingress = byStage.getOrDefault("ingress", List.of());
        out.add(new Figure("ingress-throughput-vs-connections", "Ingress throughput against connections", "connections", "per second",
                series(atMostCommon(ingress, "body_bytes"), "side", r -> r.path("per s").asDouble(), "concurrency")));
        out.add(new Figure("ingress-cost-vs-body-size", "Ingress cost against body size", "body bytes", "ms per 1,000 requests",
                series(atMostCommon(ingress, "concurrency"), "side", r -> 1e6 / r.path("per s").asDouble(), "body_bytes")));
        List<JsonNode> normalizer = byStage.getOrDefault("normalizer", List.of());
        out.add(new Figure("normalizer-throughput-vs-partitions", "Normalizer throughput against partitions", "partitions",
                "records per second", series(atMostCommon(normalizer, "stream_threads"), "app", r -> r.path("rec/s").asDouble(),
                "partitions")));
        out.add(new Figure("normalizer-throughput-vs-threads", "Normalizer throughput against num.stream.threads", "stream threads",
                "records per second", series(atMostCommon(normalizer, "partitions"), "app", r -> r.path("rec/s").asDouble(),
                "stream_threads")));
        Map<String, TreeMap<Double, List<Double>>> e2e = new TreeMap<>();
        for (JsonNode n : byStage.getOrDefault("e2e", List.of())) {
            if ("burst".equals(n.path("parameters").path("scenario").asText())) {
                continue; // a backlog drain, not a fixed rate
            }
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
        out.add(new Figure("e2e-latency-vs-rate", "Receipt to warehouse latency against offered rate", "deliveries per second offered",
                "ms (bucket upper bound)", e2e));
        return out;
    }

    /** The runs whose parameter {@code name} has the value most runs have (ties: the smallest value). */
    static List<JsonNode> atMostCommon(List<JsonNode> runs, String name) {
        Map<Double, Integer> counts = new TreeMap<>();
        for (JsonNode n : runs) {
            counts.merge(parameter(n, name), 1, Integer::sum);
        }
        double mode = counts.entrySet().stream().max(Map.Entry.<Double, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).map(Map.Entry::getKey).orElse(Double.NaN);
        return runs.stream().filter(n -> Double.compare(parameter(n, name), mode) == 0).toList();
    }

    private static double parameter(JsonNode run, String name) {
        JsonNode v = run.path("parameters").path(name);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }

    /** Series by the row's {@code key} column: x the run's parameter, y from the row; several rounds of a run at one x median. */
    private static Map<String, TreeMap<Double, List<Double>>> series(List<JsonNode> runs, String key, ToDoubleFunction<JsonNode> y,
                                                                   String xParameter) {
        Map<String, TreeMap<Double, List<Double>>> out = new TreeMap<>();
        for (JsonNode n : runs) {
            double xv = parameter(n, xParameter);
            if (!Double.isFinite(xv)) {
                continue;
            }
            for (JsonNode r : n.path("rows")) {
                double yv = y.applyAsDouble(r);
                if (Double.isFinite(yv)) {
                    out.computeIfAbsent(r.path(key).asText(), k -> new TreeMap<>()).computeIfAbsent(xv, k -> new ArrayList<>()).add(yv);
                }
            }
        }
        return out;
    }

    private static void chart(Path outDir, Figure f, List<Path> written) {
        if (f.data().isEmpty()) {
            return;
        }
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(f.title()).xAxisTitle(f.xTitle()).yAxisTitle(f.yTitle()).build();
        c.getStyler().setMarkerSize(8);
        f.data().forEach((series, points) -> {
            double[] xs = points.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] ys = points.values().stream().mapToDouble(Charts::median).toArray();
            XYSeries s = c.addSeries(series, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
        });
        Path file = outDir.resolve(f.name() + ".png");
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
