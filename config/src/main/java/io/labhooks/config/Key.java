package io.labhooks.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One config key, declared once in {@link ConfigKeys}: its full path ({@code ingress.ack-timeout},
 * {@code sources[].auth.type}), its type, its default, its checks and one line of doc. The loader reads
 * every value through its key, so the checks run in one place; the README's reference table is rendered
 * from the same declarations.
 *
 * @param <T> the Java type of the value
 */
public final class Key<T> {
    /** Reads a value through the strict node reader, which records problems at the key path. */
    interface Reader<T> {
        T read(ConfigNode node, String name, T def);
    }

    /** A check on a well-typed value: null when it holds, else the problem (never quoting a secret). */
    interface Check<T> {
        String problem(T value);
    }

    private final String path;
    private final String name;
    private final String type;
    private final String defaultText;
    private final T def;
    private final String doc;
    private final Reader<T> reader;
    private final List<Check<T>> checks;

    private Key(String path, String type, String defaultText, T def, String doc, Reader<T> reader, List<Check<T>> checks) {
        this.path = Objects.requireNonNull(path, "path");
        this.name = path.substring(path.lastIndexOf('.') + 1);
        this.type = type;
        this.defaultText = defaultText;
        this.def = def;
        this.doc = doc;
        this.reader = reader;
        this.checks = List.copyOf(checks);
    }

    /** The full path, list items written {@code []}: {@code sources[].auth.tokens}. */
    public String path() {
        return path;
    }

    /** The last segment of the path: the YAML key. */
    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    /** The default as written in YAML; otherwise "required", "none" or a few words. */
    public String defaultText() {
        return defaultText;
    }

    /** Whether {@link #defaultText()} is a YAML value (rendered as code) rather than words. */
    public boolean defaultIsValue() {
        return def != null || defaultText.equals("\"\"") || defaultText.equals("[]") || defaultText.equals("{}");
    }

    public String doc() {
        return doc;
    }

    T defaultValue() {
        return def;
    }

    /** Reads and checks the value; on a problem, records it and returns the default. */
    T read(ConfigNode node) {
        T v = reader.read(node, name, def);
        if (v == null || v == def) {
            return v;
        }
        for (Check<T> c : checks) {
            String problem = c.problem(v);
            if (problem != null) {
                node.problem(name, problem);
                return def;
            }
        }
        return v;
    }

    /** This key with one more check; the message may show the value, so never add one to a secret. */
    Key<T> check(Predicate<T> ok, Function<T, String> problem) {
        if (type.contains("secret")) {
            throw new IllegalStateException(path + ": a check on a secret could quote it in a problem");
        }
        List<Check<T>> all = new ArrayList<>(checks);
        all.add(v -> ok.test(v) ? null : problem.apply(v));
        return new Key<>(path, type, defaultText, def, doc, reader, all);
    }

    @Override
    public String toString() {
        return path;
    }

    // ---- declarations by type ----

    static Key<String> string(String path, String def, String doc) {
        return new Key<>(path, "string", def == null ? "none" : def.isEmpty() ? "\"\"" : def, def, doc, ConfigNode::string, List.of());
    }

    static Key<String> requiredString(String path, String doc) {
        return new Key<>(path, "string", "required", null, doc, (n, k, d) -> n.requiredString(k), List.of());
    }

    static Key<Integer> integer(String path, int def, int min, int max, String doc) {
        return new Key<>(path, "integer, " + min + " to " + max, Integer.toString(def), def, doc,
                (n, k, d) -> n.integer(k, d, min, max), List.of());
    }

    /** An optional integer whose default depends on other keys (described by {@code defaultText}). */
    static Key<Integer> integer(String path, String defaultText, int min, int max, String doc) {
        return new Key<Integer>(path, "integer, " + min + " to " + max, defaultText, null, doc, (n, k, d) -> {
            if (!n.has(k)) {
                return null;
            }
            int v = n.integer(k, Integer.MIN_VALUE, min, max);
            return v == Integer.MIN_VALUE ? null : v;
        }, List.of());
    }

    static Key<Double> requiredPositiveNumber(String path, String doc) {
        return new Key<>(path, "number above 0", "required", null, doc, (n, k, d) -> {
            if (!n.has(k)) {
                n.problem(k, "is required");
                return null;
            }
            double v = n.decimal(k, 0, 0);
            return v > 0 ? v : null;
        }, List.of());
    }

    static Key<Duration> duration(String path, String def, String doc) {
        return new Key<>(path, "duration", def, Durations.parseConfig(def), doc, ConfigNode::duration, List.of());
    }

    static Key<Long> size(String path, String def, long min, long max, String doc) {
        String range = max == Long.MAX_VALUE ? "at least " + Sizes.format(min) : Sizes.format(min) + " to " + Sizes.format(max);
        return new Key<>(path, "size, " + range, def, Sizes.parse(def), doc, (n, k, d) -> n.bytes(k, d, min, max), List.of());
    }

    static Key<Path> path(String path, String def, String doc) {
        return new Key<>(path, "path", def == null ? "none" : def, def == null ? null : Path.of(def), doc, ConfigNode::pathValue, List.of());
    }

    /** One of {@code choices} (matched case-insensitively); {@code def} null means required. */
    static <T> Key<T> choice(String path, Map<String, T> choices, T def, String doc) {
        String defText = def == null ? "required" : choices.entrySet().stream()
                .filter(e -> e.getValue() == def).map(Map.Entry::getKey).findFirst().orElseThrow();
        return new Key<>(path, "one of " + String.join(", ", choices.keySet()), defText, def, doc,
                (n, k, d) -> n.choice(k, d, choices), List.of());
    }

    /** A string parsed by {@code parser}; a value it rejects is reported by {@code problem}. */
    static <T> Key<T> parsed(String path, String type, String def, Function<String, T> parser, Function<String, String> problem, String doc) {
        return new Key<>(path, type, def, parser.apply(def), doc, (n, k, d) -> {
            String s = n.string(k, null);
            if (s == null) {
                return d;
            }
            try {
                return parser.apply(s);
            } catch (RuntimeException e) {
                n.problem(k, problem.apply(s));
                return d;
            }
        }, List.of());
    }

    static Key<Secret> secret(String path, String doc) {
        return new Key<>(path, "secret", "none", null, doc, (n, k, d) -> n.secret(k), List.of());
    }

    static Key<Secret> requiredSecret(String path, String doc) {
        return new Key<>(path, "secret", "required", null, doc, (n, k, d) -> n.requiredSecret(k), List.of());
    }

    static Key<List<Secret>> secrets(String path, String doc) {
        return new Key<>(path, "list of secrets", "[]", List.of(), doc, (n, k, d) -> n.secrets(k), List.of());
    }

    static Key<Map<String, String>> properties(String path, String doc) {
        return new Key<>(path, "mapping of names to values", "{}", Map.of(), doc, (n, k, d) -> n.stringMap(k), List.of());
    }

    /** A nested mapping (a section); {@code defaultText} says what its absence means. */
    static Key<Void> mapping(String path, String defaultText, String doc) {
        return new Key<>(path, "mapping", defaultText, null, doc, (n, k, d) -> null, List.of());
    }

    /** A list of mappings. */
    static Key<Void> list(String path, String defaultText, String doc) {
        return new Key<>(path, "list of mappings", defaultText, null, doc, (n, k, d) -> null, List.of());
    }
}
