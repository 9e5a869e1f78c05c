package io.labhooks.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A strict reader over one YAML mapping. Every read records the key as known; {@link #finish()}
 * reports the keys nobody read as unknown. Problems are collected, not thrown, so that the loader
 * can report all of them at once, each with its key path.
 */
final class ConfigNode {
    private static final String SECRET_NOT_STRING =
            "must be a string; quote it, since YAML reads unquoted values such as 0123, yes or ~ as a number, boolean or null";

    private final JsonNode node;
    private final String path;
    private final List<String> problems;
    /** Shared by the whole tree: every problem raised, including those dropped as a repeat at the same path. */
    private final int[] raised;
    private final int raisedAtStart;
    private final boolean notMapping;
    private final Set<String> known = new LinkedHashSet<>();
    private final Map<String, Object> read = new java.util.HashMap<>();
    private final Map<String, List<ConfigNode>> items = new java.util.HashMap<>();
    private final Map<String, ConfigNode> children = new java.util.HashMap<>();

    ConfigNode(JsonNode node, String path, List<String> problems) {
        this(node, path, problems, new int[1]);
    }

    private ConfigNode(JsonNode node, String path, List<String> problems, int[] raised) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.path = path;
        this.problems = problems;
        this.raised = raised;
        this.raisedAtStart = raised[0];
        this.notMapping = !this.node.isMissingNode() && !this.node.isNull() && !this.node.isObject();
        if (notMapping) {
            report(where(null), "must be a mapping of keys to values");
        }
    }

    String path() {
        return path;
    }

    // ---- reading through declared keys ----

    /** The value of {@code key}, read and checked once; later calls return the same value (for rules). */
    @SuppressWarnings("unchecked")
    <T> T get(Key<T> key) {
        String name = name(key);
        if (read.containsKey(name)) {
            return (T) read.get(name);
        }
        T v = key.read(this);
        read.put(name, v);
        return v;
    }

    boolean has(Key<?> key) {
        return has(name(key));
    }

    boolean emptyList(Key<?> key) {
        return emptyList(name(key));
    }

    void problem(Key<?> key, String message) {
        problem(name(key), message);
    }

    /** A problem with this section as a whole, reported at its own path. */
    void sectionProblem(String message) {
        problem((String) null, message);
    }

    /** The node of a nested mapping; the same node on every call, so rules see what was read in it. */
    ConfigNode child(Key<?> key) {
        return children.computeIfAbsent(name(key), this::child);
    }

    <T> List<T> objects(Key<?> key, Function<ConfigNode, T> reader) {
        return objects(name(key), reader);
    }

    /** The item nodes that {@link #objects(Key, Function)} read for {@code key}, for rules across items. */
    List<ConfigNode> items(Key<?> key) {
        return items.getOrDefault(name(key), List.of());
    }

    /** Runs the rules of this node's section; each reports its own problems. */
    void check(Rule... rules) {
        for (Rule r : rules) {
            r.check(this);
        }
    }

    /** The key's name, after checking that it is declared for this node's path (a programming error otherwise). */
    private String name(Key<?> key) {
        String here = pathOf(key.name()).replaceAll("\\[\\d+]", "[]");
        if (!here.equals(key.path())) {
            throw new IllegalStateException("key " + key.path() + " read at " + here);
        }
        return key.name();
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * Records a problem. Once this node is reported as not being a mapping, its follow-on problems
     * ("x is required", ...) are noise and are dropped.
     */
    void problem(String key, String message) {
        if (notMapping) {
            return;
        }
        report(where(key), message);
    }

    private String where(String key) {
        return key == null ? (path.isEmpty() ? "(top level)" : path) : pathOf(key);
    }

    /**
     * Records a problem unless its key path already has one: the first problem at a path (say, an unset
     * environment variable) is the cause, and what follows from it (the value is then empty) is noise.
     */
    private void report(String where, String message) {
        raised[0]++;
        String prefix = where + ": ";
        for (String p : problems) {
            if (p.startsWith(prefix)) {
                return;
            }
        }
        problems.add(prefix + message);
    }

    /** True when no problem was raised since this node was created, in it or in anything read through it. */
    boolean clean() {
        return raised[0] == raisedAtStart;
    }

    /** True when the key is absent, null, or an empty list; a value of the wrong type is already a problem. */
    boolean emptyList(String key) {
        JsonNode v = value(key);
        return v == null || (v.isArray() && v.isEmpty());
    }

    boolean has(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    private JsonNode value(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    private String scalar(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return null;
        }
        if (!v.isValueNode()) {
            problem(key, "must be a single value, not a " + (v.isArray() ? "list" : "mapping"));
            return null;
        }
        return v.asText();
    }

    String string(String key, String def) {
        String s = scalar(key);
        return s == null ? def : s;
    }

    String requiredString(String key) {
        String s = scalar(key);
        if (s == null || s.isBlank()) {
            problem(key, "is required");
            return null;
        }
        return s;
    }

    int integer(String key, int def, int min, int max) {
        String s = scalar(key);
        if (s == null) {
            return def;
        }
        try {
            int v = Integer.parseInt(s.trim());
            if (v < min || v > max) {
                problem(key, "must be between " + min + " and " + max + ", was " + v);
                return def;
            }
            return v;
        } catch (NumberFormatException e) {
            problem(key, "must be a whole number, was '" + s + "'");
            return def;
        }
    }

    double decimal(String key, double def, double minExclusive) {
        String s = scalar(key);
        if (s == null) {
            return def;
        }
        try {
            double v = Double.parseDouble(s.trim());
            if (!(v > minExclusive) || Double.isInfinite(v)) {
                problem(key, "must be a number above " + minExclusive + ", was " + s);
                return def;
            }
            return v;
        } catch (NumberFormatException e) {
            problem(key, "must be a number, was '" + s + "'");
            return def;
        }
    }

    boolean bool(String key, boolean def) {
        String s = scalar(key);
        if (s == null) {
            return def;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(key, "must be true or false, was '" + s + "'");
                yield def;
            }
        };
    }

    /** A duration in the config form of {@link Durations#parseConfig}; must be positive. */
    Duration duration(String key, Duration def) {
        String s = scalar(key);
        if (s == null) {
            return def;
        }
        Duration d;
        try {
            d = Durations.parseConfig(s);
        } catch (UnitFormatException e) {
            problem(key, e.tooLarge() ? "is too large: " + s : "must be a duration like " + Durations.CONFIG_EXAMPLES + ", was '" + s + "'");
            return def;
        }
        if (d.isZero()) {
            problem(key, "must be above zero");
            return def;
        }
        return d;
    }

    /** A size read by {@link Sizes#parse}, between {@code min} and {@code max} bytes. */
    long bytes(String key, long def, long min, long max) {
        String s = scalar(key);
        if (s == null) {
            return def;
        }
        long v;
        try {
            v = Sizes.parse(s);
        } catch (UnitFormatException e) {
            problem(key, e.tooLarge() ? "is too large: " + s : "must be a size like " + Sizes.EXAMPLES + ", was '" + s + "'");
            return def;
        }
        if (v < min || v > max) {
            problem(key, "must be between " + min + " and " + max + " bytes, was " + s);
            return def;
        }
        return v;
    }

    Path pathValue(String key, Path def) {
        String s = scalar(key);
        if (s == null || s.isBlank()) {
            return def;
        }
        try {
            return Path.of(s);
        } catch (java.nio.file.InvalidPathException e) {
            problem(key, "is not a valid path: " + e.getReason());
            return def;
        }
    }

    /** One of the given names, matched case-insensitively. */
    <T> T choice(String key, T def, Map<String, T> choices) {
        String s = scalar(key);
        if (s == null) {
            if (def == null) {
                problem(key, "is required; one of " + choices.keySet());
            }
            return def;
        }
        T v = choices.get(s.trim().toLowerCase(Locale.ROOT));
        if (v == null) {
            problem(key, "must be one of " + choices.keySet() + ", was '" + s + "'");
            return def;
        }
        return v;
    }

    /**
     * An optional secret; absent or empty means none. It must be a YAML string: YAML would silently
     * rewrite an unquoted {@code 0123}, {@code yes} or {@code ~} to 83, true or null. No problem
     * message ever contains the value.
     */
    Secret secret(String key) {
        JsonNode v = value(key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            problem(key, SECRET_NOT_STRING);
            return null;
        }
        return v.asText().isEmpty() ? null : Secret.of(v.asText());
    }

    /** Like {@link #secret(String)}, but absent or empty is a problem. */
    Secret requiredSecret(String key) {
        JsonNode v = value(key);
        if (v != null && !v.isTextual()) {
            problem(key, SECRET_NOT_STRING);
            return null;
        }
        if (v == null || v.asText().isEmpty()) {
            problem(key, "is required");
            return null;
        }
        return Secret.of(v.asText());
    }

    List<Secret> secrets(String key) {
        List<Secret> out = new ArrayList<>();
        forEachListItem(key, (item, itemPath) -> {
            if (!item.isTextual()) {
                report(itemPath, SECRET_NOT_STRING);
            } else if (item.asText().isEmpty()) {
                report(itemPath, "must be a non-empty string");
            } else {
                out.add(Secret.of(item.asText()));
            }
        });
        return List.copyOf(out);
    }

    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        forEachListItem(key, (item, itemPath) -> {
            if (!item.isValueNode()) {
                report(itemPath, "must be a string");
            } else {
                out.add(item.asText());
            }
        });
        return List.copyOf(out);
    }

    Map<String, String> stringMap(String key) {
        JsonNode v = value(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            problem(key, "must be a mapping of names to values");
            return Map.of();
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                report(pathOf(key) + "." + e.getKey(), "must be a single value");
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return Map.copyOf(out);
    }

    private ConfigNode child(String key) {
        return new ConfigNode(value(key), pathOf(key), problems, raised);
    }

    private <T> List<T> objects(String key, Function<ConfigNode, T> reader) {
        List<T> out = new ArrayList<>();
        List<ConfigNode> nodes = new ArrayList<>();
        items.put(key, nodes);
        forEachListItem(key, (item, itemPath) -> {
            ConfigNode child = new ConfigNode(item, itemPath, problems, raised);
            nodes.add(child);
            T t = reader.apply(child);
            if (t != null) {
                out.add(t);
            }
        });
        return out;
    }

    private void forEachListItem(String key, java.util.function.BiConsumer<JsonNode, String> each) {
        JsonNode v = value(key);
        if (v == null) {
            return;
        }
        if (!v.isArray()) {
            problem(key, "must be a list");
            return;
        }
        for (int i = 0; i < v.size(); i++) {
            each.accept(v.get(i), pathOf(key) + "[" + i + "]");
        }
    }

    /** Reports every key of this mapping that no reader asked for. */
    void finish() {
        if (!node.isObject()) {
            return;
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                // always reported, even when its value already has a problem (e.g. an unset variable)
                raised[0]++;
                problems.add(pathOf(name) + ": unknown key" + suggestion(name));
            }
        }
    }

    private String suggestion(String name) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best == null ? " (known keys: " + String.join(", ", known) + ")" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
