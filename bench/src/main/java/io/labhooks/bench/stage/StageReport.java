package io.labhooks.bench.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@code labhooks bench <stage>} run measured: a table (one row per measured run, labhooks and its
 * baselines), notes, and the ratio against the stage's main baseline, higher better. {@link #print} writes
 * the table and ends with the line {@code ratio=<x>}; {@link #writeJson} writes the same as JSON.
 */
public final class StageReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String stage;
    private final String ratioMeaning;
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private double ratio = Double.NaN;

    /**
     * @param ratioMeaning what the ratio divides, e.g. "labhooks ingress req/s / bare Undertow floor req/s"
     */
    public StageReport(String stage, String ratioMeaning, List<String> columns) {
        this.stage = Objects.requireNonNull(stage, "stage");
        this.ratioMeaning = Objects.requireNonNull(ratioMeaning, "ratioMeaning");
        this.columns = List.copyOf(columns);
    }

    public StageReport row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + columns.size() + " columns");
        }
        rows.add(java.util.Arrays.asList(cells.clone()));
        return this;
    }

    public StageReport note(String text) {
        notes.add(text);
        return this;
    }

    public StageReport parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** A named number besides the table (e.g. a second baseline's ratio), written to the JSON. */
    public StageReport figure(String name, double value) {
        figures.put(name, value);
        return this;
    }

    public StageReport ratio(double r) {
        this.ratio = r;
        return this;
    }

    public String stage() {
        return stage;
    }

    public double ratio() {
        return ratio;
    }

    public List<List<Object>> rows() {
        return List.copyOf(rows);
    }

    public Map<String, Object> figures() {
        return Map.copyOf(figures);
    }

    /** The Markdown table, the notes, then {@code ratio=<x>} as the last line. */
    public void print(PrintWriter out) {
        out.println();
        out.println("| " + String.join(" | ", columns) + " |");
        out.println("|" + "---|".repeat(columns.size()));
        for (List<Object> r : rows) {
            StringBuilder line = new StringBuilder("|");
            for (Object c : r) {
                line.append(' ').append(cell(c)).append(" |");
            }
            out.println(line);
        }
        out.println();
        for (String n : notes) {
            out.println(n);
        }
        figures.forEach((k, v) -> out.printf(Locale.ROOT, "%s: %s%n", k, cell(v)));
        out.println("ratio: " + ratioMeaning);
        out.printf(Locale.ROOT, "ratio=%.3f%n", ratio);
        out.flush();
    }

    static String cell(Object c) {
        if (c instanceof Double d) {
            if (d.isNaN()) {
                return "n/a";
            }
            return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.3g", d);
        }
        return String.valueOf(c);
    }

    /** Writes the result as JSON, creating the parent directories. */
    public void writeJson(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("stage", stage);
        root.put("at", Instant.now().toString());
        root.put("ratio", ratio);
        root.put("ratio_meaning", ratioMeaning);
        root.set("parameters", JSON.valueToTree(parameters));
        root.set("figures", JSON.valueToTree(figures));
        root.set("columns", JSON.valueToTree(columns));
        ArrayNode rs = root.putArray("rows");
        for (List<Object> r : rows) {
            ObjectNode o = rs.addObject();
            for (int i = 0; i < columns.size(); i++) {
                Object v = r.get(i);
                if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
                    o.putNull(columns.get(i));
                } else {
                    o.set(columns.get(i), JSON.valueToTree(v));
                }
            }
        }
        root.set("notes", JSON.valueToTree(notes));
        root.put("jvm", System.getProperty("java.vm.name", "?") + " " + System.getProperty("java.runtime.version", "?"));
        root.put("cores", Runtime.getRuntime().availableProcessors());
        try {
            Path abs = file.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            JSON.writeValue(abs.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The median of the values (NaN if none). */
    public static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
