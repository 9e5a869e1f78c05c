package io.labhooks.normalizer.adapter;

import static io.labhooks.normalizer.adapter.ConfidentValues.abbreviate;
import static io.labhooks.normalizer.adapter.ConfidentValues.decimal;
import static io.labhooks.normalizer.adapter.ConfidentValues.decimalNode;
import static io.labhooks.normalizer.adapter.ConfidentValues.decimalValue;
import static io.labhooks.normalizer.adapter.ConfidentValues.integer;
import static io.labhooks.normalizer.adapter.ConfidentValues.nonBlank;
import static io.labhooks.normalizer.adapter.ConfidentValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Flattens Confident's {@code lab_data} into {@code data.results[]} (one item per compound, with all twelve
 * compound fields and its {@link ConfidentVerdict verdict}) and {@code data.categories[]} (one item per category,
 * with its status and info fields), plus {@code lab_status} and {@code lab_data_date_created}.
 *
 * <h2>Shapes</h2>
 * Both readings of the document are accepted: compounds inside each category beside its {@code info_fields}
 * ({@code categories.metals = {info_fields, compounds}}), and the document's braces read literally, with a
 * {@code compounds} list inside {@code categories} beside the category names. Such a compound belongs to its own
 * {@code category} field if it has one, else to the only category if there is exactly one, else to
 * {@code uncategorized} (with a warning).
 *
 * <h2>Odd parts</h2>
 * A part of the wrong JSON type ({@code lab_data}, {@code categories}, a category, {@code info_fields},
 * {@code compounds} or one of its items) is skipped and named in {@code warnings}; every readable category is kept.
 * An empty JSON array stands for an empty object, as PHP encodes empty maps that way.
 */
final class ConfidentLabData {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String UNCATEGORIZED = "uncategorized";
    /** The key of the literal shape's compound list inside {@code categories}. */
    static final String COMPOUNDS = "compounds";

    /** The default unit of each documented category (the {@code [default: …]} of its units info fields). */
    static final Map<String, String> DEFAULT_UNITS = Map.ofEntries(
            Map.entry("cannabinoids", "%"), Map.entry("foreign_matter", "%"), Map.entry("homogeneity", "%"),
            Map.entry("microbials", "cfu/g"), Map.entry("metals", "ppb"), Map.entry("moisture", "%"),
            Map.entry("mycotoxins", "ppb"), Map.entry("pesticides", "ppm"), Map.entry("solvents", "ppm"),
            Map.entry("terpenes", "%"), Map.entry("water_activity", "aw"));

    private static final Map<String, String> CATEGORY_ALIASES = categoryAliases();

    private ConfidentLabData() {
    }

    /** One category's fields that its results need. */
    private record Category(String name, String status, String inputUnit, String reportUnit) {
    }

    static void put(JsonNode labData, ZoneId zone, ObjectNode d, List<String> warnings) {
        ArrayNode results = NODES.arrayNode();
        ArrayNode categoriesOut = NODES.arrayNode();
        ObjectNode ld = object(labData, "lab_data", warnings);
        d.put("lab_status", ld == null ? null : labStatus(ld.get("status")));
        d.put("lab_data_date_created", ld == null ? null : ConfidentValues.timestampText(ld.get("date_created"), zone));
        ObjectNode categories = ld == null ? null : object(ld.get("categories"), "lab_data.categories", warnings);
        if (categories != null) {
            Map<String, Category> byName = new LinkedHashMap<>();
            Map<String, Set<String>> analytes = new HashMap<>();
            JsonNode literal = null;
            for (Map.Entry<String, JsonNode> c : categories.properties()) {
                if (c.getKey().equals(COMPOUNDS) && c.getValue().isArray()) {
                    literal = c.getValue();
                    continue;
                }
                category(c.getKey(), c.getValue(), zone, byName, analytes, results, categoriesOut, warnings);
            }
            if (literal != null) {
                literalCompounds(literal, byName, analytes, results, warnings);
            }
        }
        d.set("results", results);
        d.set("categories", categoriesOut);
    }

    private static void category(String rawName, JsonNode node, ZoneId zone, Map<String, Category> byName,
                                 Map<String, Set<String>> analytes, ArrayNode results, ArrayNode categoriesOut,
                                 List<String> warnings) {
        String where = "lab_data.categories." + abbreviate(rawName);
        ObjectNode c = object(node, where, warnings);
        if (c == null) {
            return;
        }
        String name = canonicalCategory(rawName);
        ObjectNode info = object(c.get("info_fields"), where + ".info_fields", warnings);
        boolean repeated = byName.containsKey(name);
        Category category = describe(name, c, info, zone, repeated ? null : categoriesOut);
        if (repeated) {
            warnings.add(where + " repeats the category " + name
                    + ": its compounds are kept with its own units and status, the first one's info fields are the category's");
        } else {
            byName.put(name, category);
        }
        JsonNode compounds = c.get(COMPOUNDS);
        if (compounds == null || compounds.isNull()) {
            return;
        }
        if (!compounds.isArray()) {
            warnings.add(where + ".compounds is not a list: ignored");
            return;
        }
        compounds(compounds, where + ".compounds", category, analytes, results, warnings);
    }

    /** The category's fields for its results; also added to {@code out} unless that is null. */
    private static Category describe(String name, ObjectNode c, ObjectNode info, ZoneId zone, ArrayNode out) {
        ObjectNode i = info == null ? NODES.objectNode() : info;
        JsonNode statusNode = i.get("status");
        if (statusNode == null || statusNode.isNull()) {
            statusNode = c.get("status");
        }
        String status = categoryStatus(statusNode);
        String inputUnit = nonBlank(i.get("input_units"));
        String reportUnit = nonBlank(i.get("report_units"));
        String fallback = DEFAULT_UNITS.get(name);
        Category category = new Category(name, status, inputUnit == null ? fallback : inputUnit,
                reportUnit == null ? fallback : reportUnit);
        if (out == null) {
            return category;
        }
        ObjectNode o = out.addObject();
        o.put("category", name);
        o.put("status", status);
        o.put("method", nonBlank(i.get("method")));
        o.put("date_tested", dateTested(i.get("date_tested"), zone));
        o.put("input_units", category.inputUnit());
        o.put("report_units", category.reportUnit());
        o.put("secondary_report_units", nonBlank(i.get("secondary_report_units")));
        Boolean wet = flag(i.get("reported_as_wet"));
        if (wet == null) {
            o.putNull("reported_as_wet");
        } else {
            o.put("reported_as_wet", wet.booleanValue());
        }
        o.set("info_fields", i.deepCopy());
        return category;
    }

    private static void literalCompounds(JsonNode compounds, Map<String, Category> byName,
                                         Map<String, Set<String>> analytes, ArrayNode results, List<String> warnings) {
        Category only = byName.size() == 1 ? byName.values().iterator().next() : null;
        Map<String, List<JsonNode>> grouped = new LinkedHashMap<>();
        List<String> unplaced = new ArrayList<>();
        int position = 0;
        for (JsonNode compound : compounds) {
            position++;
            String own = compound.isObject() ? nonBlank(compound.get("category")) : null;
            String name = own != null ? canonicalCategory(own) : only != null ? only.name() : UNCATEGORIZED;
            if (own == null && only == null && compound.isObject()) {
                unplaced.add(Integer.toString(position));
            }
            grouped.computeIfAbsent(name, k -> new ArrayList<>()).add(compound);
        }
        if (!unplaced.isEmpty()) {
            warnings.add("lab_data.categories.compounds: " + unplaced.size() + " compound(s) name no category and "
                    + byName.size() + " categories are given: filed under " + UNCATEGORIZED);
        }
        for (Map.Entry<String, List<JsonNode>> g : grouped.entrySet()) {
            Category category = byName.get(g.getKey());
            if (category == null) {
                String unit = DEFAULT_UNITS.get(g.getKey());
                category = new Category(g.getKey(), null, unit, unit);
            }
            ArrayNode list = NODES.arrayNode().addAll(g.getValue());
            compounds(list, "lab_data.categories.compounds", category, analytes, results, warnings);
        }
    }

    private static void compounds(JsonNode compounds, String where, Category category,
                                  Map<String, Set<String>> analytes, ArrayNode results, List<String> warnings) {
        Set<String> used = analytes.computeIfAbsent(category.name(), k -> new HashSet<>());
        int position = 0;
        for (JsonNode compound : compounds) {
            position++;
            if (compound.isNull()) {
                continue;
            }
            if (!compound.isObject()) {
                warnings.add(where + "[" + (position - 1) + "] is not an object: ignored");
                continue;
            }
            String name = nonBlank(compound.get("name"));
            String analyte = unique(name == null ? "(unnamed " + position + ")" : name, used);
            results.add(result(category, analyte, compound));
        }
    }

    private static ObjectNode result(Category category, String analyte, JsonNode compound) {
        // sized for its 20 fields, so that the map never grows (a panel has a result per analyte)
        ObjectNode r = new ObjectNode(NODES, new LinkedHashMap<>(32));
        r.put("category", category.name());
        r.put("analyte", analyte);
        JsonNode value = compound.get("value");
        BigDecimal number;
        String text;
        if (value == null || value.isNull()) {
            number = null;
            text = null;
        } else if (value.isNumber()) {
            number = ConfidentValues.isFinite(value) ? value.decimalValue() : null;
            text = value.asText();
        } else {
            text = value.isValueNode() ? value.asText() : value.toString();
            number = value.isTextual() ? ConfidentValues.parseDecimal(text) : null;
        }
        r.set("value", decimalNode(number));
        r.put("value_text", text);
        r.put("unit", category.inputUnit());
        r.put("report_unit", category.reportUnit());
        BigDecimal lod = decimalValue(compound.get("lod"));
        BigDecimal loq = decimalValue(compound.get("loq"));
        BigDecimal limit = decimalValue(compound.get("limit"));
        BigDecimal max = decimalValue(compound.get("max"));
        BigDecimal low = decimalValue(compound.get("limitrangelow"));
        BigDecimal high = decimalValue(compound.get("limitrangehigh"));
        r.set("lod", decimalNode(lod));
        r.set("loq", decimalNode(loq));
        r.set("limit", decimalNode(limit));
        r.set("max", decimalNode(max));
        r.set("limit_low", decimalNode(low));
        r.set("limit_high", decimalNode(high));
        r.set("stdev", decimal(compound.get("stdev")));
        r.set("rsd", decimal(compound.get("rsd")));
        r.set("rpd", decimal(compound.get("rpd")));
        r.put("regulator_notes", nonBlank(compound.get("regulatornotes")));
        r.put("verdict", ConfidentVerdict.of(number, text, new ConfidentVerdict.Limits(lod, loq, max, limit, low, high)));
        r.put("status", category.status());
        return r;
    }

    /** An object, or null for absent, null or an empty list; a wrong type is a warning and null. */
    private static ObjectNode object(JsonNode n, String where, List<String> warnings) {
        if (n == null || n.isNull() || (n.isArray() && n.isEmpty())) {
            return null;
        }
        if (!n.isObject()) {
            warnings.add(where + " is a " + n.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object: ignored");
            return null;
        }
        return (ObjectNode) n;
    }

    /** The date an assay was tested, as {@code yyyy-MM-dd} in the source's zone, or null. */
    private static String dateTested(JsonNode n, ZoneId zone) {
        String t = text(n);
        return t == null ? null : Versions.parseTimestamp(t, zone).map(i -> LocalDate.ofInstant(i, zone).toString())
                .orElse(null);
    }

    /** {@code reported_as_wet}: true, 1, "1", "true", "yes", "wet"; false, 0, "0", "false", "no", "dry"; else null. */
    static Boolean flag(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        String t = n.isValueNode() ? n.asText().strip().toLowerCase(Locale.ROOT) : "";
        return switch (t) {
            case "1", "true", "yes", "y", "wet" -> Boolean.TRUE;
            case "0", "false", "no", "n", "dry" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String unique(String name, Set<String> used) {
        if (used.add(name)) {
            return name;
        }
        for (int n = 2; ; n++) {
            String candidate = name + " (" + n + ")";
            if (used.add(candidate)) {
                return candidate;
            }
        }
    }

    /**
     * The snake_case category name. The key is lower-cased, split at camelCase humps, and every run of characters
     * other than {@code [a-z0-9]} becomes {@code _}; then these spellings map to the eleven documented categories:
     * cannabinoids (cannabinoid, potency), foreign_matter (foreignmatter, foreign_material(s), filth), homogeneity,
     * microbials (microbial, microbiology, microbiological, micro), metals (metal, heavy_metals, heavymetals,
     * heavy_metal), moisture (moisture_content), mycotoxins (mycotoxin), pesticides (pesticide), solvents (solvent,
     * residual_solvents, residualsolvents, residual_solvent), terpenes (terpene, terpenoids), water_activity
     * (wateractivity, aw). Any other name is kept in its snake_case form ({@code "uncategorized"} if nothing is
     * left of it).
     */
    static String canonicalCategory(String raw) {
        StringBuilder b = new StringBuilder(raw.length() + 4);
        boolean underscore = false;
        char previous = 0;
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                if ((previous >= 'a' && previous <= 'z') || (previous >= '0' && previous <= '9')) {
                    underscore = true;
                }
                ch = (char) (ch + ('a' - 'A'));
            }
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                if (underscore && b.length() > 0) {
                    b.append('_');
                }
                underscore = false;
                b.append(ch);
            } else {
                underscore = true;
            }
            previous = raw.charAt(i);
        }
        String snake = b.length() == 0 ? UNCATEGORIZED : b.toString();
        return CATEGORY_ALIASES.getOrDefault(snake, snake);
    }

    private static Map<String, String> categoryAliases() {
        Map<String, String> m = new HashMap<>();
        alias(m, "cannabinoids", "cannabinoid", "potency");
        alias(m, "foreign_matter", "foreignmatter", "foreign_material", "foreign_materials", "filth");
        alias(m, "homogeneity");
        alias(m, "microbials", "microbial", "microbiology", "microbiological", "micro");
        alias(m, "metals", "metal", "heavy_metals", "heavymetals", "heavy_metal");
        alias(m, "moisture", "moisture_content");
        alias(m, "mycotoxins", "mycotoxin");
        alias(m, "pesticides", "pesticide");
        alias(m, "solvents", "solvent", "residual_solvents", "residualsolvents", "residual_solvent");
        alias(m, "terpenes", "terpene", "terpenoids");
        alias(m, "water_activity", "wateractivity", "aw");
        return Map.copyOf(m);
    }

    private static void alias(Map<String, String> m, String canonical, String... spellings) {
        m.put(canonical, canonical);
        for (String s : spellings) {
            m.put(s, canonical);
        }
    }

    /** Category status ids: 1 pass, 2 fail, 3 completed (could not pass or fail); also those words. */
    static String categoryStatus(JsonNode n) {
        Long code = integer(n);
        if (code != null) {
            return code == 1 ? "pass" : code == 2 ? "fail" : code == 3 ? "completed" : null;
        }
        String t = n == null || !n.isTextual() ? null : n.asText().trim().toLowerCase(Locale.ROOT);
        if (t == null) {
            return null;
        }
        return switch (t) {
            case "pass", "passed" -> "pass";
            case "fail", "failed" -> "fail";
            case "complete", "completed" -> "completed";
            default -> null;
        };
    }

    /** Lab data status ids: 1 pass, 2 fail, 3 incomplete; also those words. */
    static String labStatus(JsonNode n) {
        Long code = integer(n);
        if (code != null) {
            return code == 1 ? "pass" : code == 2 ? "fail" : code == 3 ? "incomplete" : null;
        }
        String t = n == null || !n.isTextual() ? null : n.asText().trim().toLowerCase(Locale.ROOT);
        if (t == null) {
            return null;
        }
        return switch (t) {
            case "pass", "passed" -> "pass";
            case "fail", "failed" -> "fail";
            case "incomplete" -> "incomplete";
            default -> null;
        };
    }
}
