package io.labhooks.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PromQL expressions ask of a scrape, and what a scrape offers: the metric names an expression selects, the
 * label matchers on each, and the labels it aggregates by; and the series of a Prometheus text exposition.
 */
final class MetricRefs {
    /** A metric selector, with the matchers in its braces. */
    record Selector(String metric, List<Matcher3> matchers) {
    }

    /** {@code label op "value"}. */
    record Matcher3(String label, String op, String value) {
        boolean matches(String actual) {
            if (actual == null) {
                return op.equals("!=") || op.equals("!~");
            }
            return switch (op) {
                case "=" -> actual.equals(value);
                case "!=" -> !actual.equals(value);
                case "=~" -> actual.matches(value);
                default -> !actual.matches(value);
            };
        }
    }

    /** Prefixes of the metrics this project's rules and dashboard use; PromQL functions and keywords have none of them. */
    private static final Pattern SELECTOR = Pattern.compile(
            "\\b((?:labhooks|kafka|jvm|process)_[a-zA-Z0-9_]*|up)\\b\\s*(\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern BY = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+\\S+");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** Labels Prometheus attaches at scrape time, and the bucket label of every histogram. */
    static final Set<String> SCRAPE_LABELS = Set.of("job", "instance", "le");

    private MetricRefs() {
    }

    static List<Selector> selectors(String expr) {
        List<Selector> out = new ArrayList<>();
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            List<Matcher3> ms = new ArrayList<>();
            if (m.group(3) != null) {
                Matcher lm = MATCHER.matcher(m.group(3));
                while (lm.find()) {
                    ms.add(new Matcher3(lm.group(1), lm.group(2), lm.group(3)));
                }
            }
            out.add(new Selector(m.group(1), ms));
        }
        return out;
    }

    /** The labels of every {@code by (...)} / {@code without (...)} clause. */
    static Set<String> groupingLabels(String expr) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = BY.matcher(expr);
        while (m.find()) {
            for (String l : m.group(1).split(",")) {
                if (!l.isBlank()) {
                    out.add(l.strip());
                }
            }
        }
        return out;
    }

    /** The series of a scrape: metric name to the label sets of its samples. */
    static Map<String, List<Map<String, String>>> series(String exposition) {
        Map<String, List<Map<String, String>>> out = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SERIES.matcher(line);
            if (!m.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher lm = LABEL.matcher(m.group(3));
                while (lm.find()) {
                    labels.put(lm.group(1), lm.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
            }
            out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
        }
        return out;
    }

    /**
     * What {@code selector} misses in the scrape: the metric, or each literal matcher (template variables such as
     * {@code $source} and the scrape-time labels match anything) that no series of the metric satisfies. Empty when
     * the selector finds data.
     */
    static List<String> missing(Selector selector, Map<String, List<Map<String, String>>> scrape) {
        List<String> problems = new ArrayList<>();
        if (selector.metric().equals("up")) {
            return problems; // made by Prometheus itself, checked against the live server
        }
        List<Map<String, String>> series = scrape.get(selector.metric());
        if (series == null) {
            problems.add(selector.metric() + " is not exported");
            return problems;
        }
        List<Matcher3> checked = selector.matchers().stream()
                .filter(x -> !x.value().contains("$") && !SCRAPE_LABELS.contains(x.label())).toList();
        for (Matcher3 x : checked) {
            if (series.stream().noneMatch(s -> x.matches(s.get(x.label())))) {
                problems.add(selector.metric() + ": no series with " + x.label() + x.op() + "\"" + x.value() + "\"");
            }
        }
        if (!checked.isEmpty() && series.stream().noneMatch(s -> checked.stream().allMatch(x -> x.matches(s.get(x.label()))))) {
            problems.add(selector.metric() + ": no series matches all of " + checked);
        }
        return problems;
    }
}
