package io.labhooks.testkit.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The warehouse state a run should leave behind, computed from the events whose deliveries were acknowledged
 * with a {@code 200}: the entities ({@code lab_entities}), every distinct event once ({@code lab_events}) and, for
 * Confident, the results, categories and sample verdict of each sample's highest revision ({@code lab_results},
 * {@code lab_result_categories}, {@code lab_samples}).
 *
 * <p>JSON ({@link #toJson}):
 * <pre>{@code
 * {"vendor": "flabs",
 *  "entities": [{"entity_key": "flabs:bill:s1-lab1:s1-bill_000001", "vendor": "flabs", "entity_type": "bill",
 *                "entity_id": "s1-lab1:s1-bill_000001", "deleted": false, "type": "lab.flabs.bill.completed",
 *                "version": 1709280900003}],
 *  "events":   [{"entity_key": "...", "type": "lab.flabs.bill.created", "version": 1709280000001}],
 *  "results":  [{"entity_key": "confident:sample:…", "category": "cannabinoids", "analyte": "thca",
 *                "value_text": "21.37", "value": 21.37, "unit": "%", "report_unit": "%", "lod": 0.01, "loq": 0.03,
 *                "limit_value": null, "max_value": 100, "limit_low": null, "limit_high": null, "stdev": 0.2137,
 *                "rsd": 1.8, "rpd": 2.5, "regulator_notes": null, "verdict": "none", "category_status": "completed"}],
 *  "categories": [{"entity_key": "…", "category": "cannabinoids", "status": "completed", "method": "HPLC-DAD",
 *                  "date_tested": "2024-02-27", "input_units": "%", "report_units": "%", "reported_as_wet": false}],
 *  "samples":  [{"entity_key": "…", "lab_status": "fail", "failed_analytes": 1, "date_tested": "2024-02-27"}]}
 * }</pre>
 * {@code version} is null where the normalizer versions by receipt time (CoreOne bodies without
 * {@code updated_at}), so only the arrival order decides it. An entity with such an event has a null version, and
 * its {@code type} is null unless all its receipt-time events have one type. Entities are sorted by key, events by
 * key, version and type; results by key, then in document order. Two distinct events may look alike in
 * {@code events} (same key, type and null version, different bodies).
 *
 * @param vendor   the vendor id, e.g. {@code confident}
 * @param entities one per entity
 * @param events   every distinct event once
 * @param results  Confident's flattened {@code lab_data}; empty for the other vendors
 */
public record ExpectedState(String vendor, List<Entity> entities, List<Event> events, List<Result> results,
                            List<Category> categories, List<Sample> samples) {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false); // "7.30" stays 7.30
    /** What the Confident adapter accepts as a number in a string (after trimming). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Map<String, String> CATEGORY_ALIASES = categoryAliases();

    /** Copies the lists. */
    public ExpectedState {
        Objects.requireNonNull(vendor, "vendor");
        entities = List.copyOf(entities);
        events = List.copyOf(events);
        results = List.copyOf(results);
        categories = List.copyOf(categories);
        samples = List.copyOf(samples);
    }

    /** A state without categories and samples (the vendors other than Confident). */
    public ExpectedState(String vendor, List<Entity> entities, List<Event> events, List<Result> results) {
        this(vendor, entities, events, results, List.of(), List.of());
    }

    /**
     * One entity's expected row.
     *
     * @param version the highest version, or null when receipt-time versioning makes it unpredictable
     * @param type    the canonical type of the event with the highest version (null if unpredictable)
     */
    public record Entity(String entityKey, String vendor, String entityType, String entityId, boolean deleted,
                         String type, Long version) {
    }

    /** One distinct canonical event; {@code version} is null when it is the receipt time. */
    public record Event(String entityKey, String type, Long version) {
    }

    /**
     * One {@code lab_results} row: {@code value} is the number when {@code valueText} is a plain decimal;
     * {@code unit} is the category's {@code input_units}, {@code reportUnit} its {@code report_units} (each else the
     * documented default); {@code verdict} per analyte (pass, fail, inconclusive, none); {@code categoryStatus}
     * the category's status.
     */
    public record Result(String entityKey, String category, String analyte, String valueText, BigDecimal value,
                         String unit, String reportUnit, BigDecimal lod, BigDecimal loq, BigDecimal limit, BigDecimal max,
                         BigDecimal limitLow, BigDecimal limitHigh, BigDecimal stdev, BigDecimal rsd, BigDecimal rpd,
                         String regulatorNotes, String verdict, String categoryStatus) {
        /** A result with only its value (the other fields null). */
        public Result(String entityKey, String category, String analyte, String valueText, BigDecimal value) {
            this(entityKey, category, analyte, valueText, value, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null);
        }
    }

    /** One {@code lab_result_categories} row (its info fields JSON is not compared). */
    public record Category(String entityKey, String category, String status, String method, String dateTested,
                           String inputUnits, String reportUnits, Boolean reportedAsWet) {
    }

    /** The new columns of one {@code lab_samples} row: the lab's verdict, failed analytes and the date tested. */
    public record Sample(String entityKey, String labStatus, long failedAnalytes, String dateTested) {
    }

    /** What the warehouse holds of one Confident sample version. */
    public record Panel(List<Result> results, List<Category> categories, Sample sample) {
        /** Copies the lists. */
        public Panel {
            results = List.copyOf(results);
            categories = List.copyOf(categories);
        }
    }

    /**
     * What the normalizer makes of one vendor event (one delivery may make several: an LML retest makes two).
     *
     * @param eventKey   the simulator's key of the vendor event ({@link Delivery#eventKey()})
     * @param entityKey  {@code vendor:entity_type:entity_id}
     * @param type       the canonical type, e.g. {@code lab.flabs.bill.deleted}
     * @param version    the canonical version, or null when the normalizer uses the receipt time
     * @param deleted    whether the event marks its entity deleted
     */
    public record EventFact(String eventKey, String entityKey, String entityType, String entityId, String type,
                            Long version, boolean deleted) {
        /** Checks the parts. */
        public EventFact {
            Objects.requireNonNull(eventKey, "eventKey");
            Objects.requireNonNull(entityKey, "entityKey");
            Objects.requireNonNull(entityType, "entityType");
            Objects.requireNonNull(entityId, "entityId");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * The state made by {@code facts} (each distinct event once; the caller passes only acknowledged ones).
     *
     * @param panelOfHighest what the event that is an entity's highest version leaves in the warehouse (called once
     *                       per entity with a predictable highest version), e.g. Confident's flattened lab data
     */
    public static ExpectedState of(String vendor, Collection<EventFact> facts, Function<EventFact, Panel> panelOfHighest) {
        Map<String, List<EventFact>> byEntity = new TreeMap<>();
        Set<EventFact> seen = new HashSet<>();
        List<Event> events = new ArrayList<>();
        for (EventFact f : facts) {
            if (seen.add(f)) {
                byEntity.computeIfAbsent(f.entityKey(), k -> new ArrayList<>()).add(f);
                events.add(new Event(f.entityKey(), f.type(), f.version()));
            }
        }
        events.sort(Comparator.comparing(Event::entityKey)
                .thenComparing(Event::version, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Event::type));
        List<Entity> entities = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        List<Category> categories = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (Map.Entry<String, List<EventFact>> e : byEntity.entrySet()) {
            List<EventFact> fs = e.getValue();
            EventFact first = fs.get(0);
            List<EventFact> byReceipt = fs.stream().filter(f -> f.version() == null).toList();
            if (!byReceipt.isEmpty()) {
                Set<String> types = new HashSet<>();
                byReceipt.forEach(f -> types.add(f.type()));
                String type = types.size() == 1 ? types.iterator().next() : null;
                boolean deleted = byReceipt.stream().allMatch(EventFact::deleted);
                entities.add(new Entity(e.getKey(), vendor, first.entityType(), first.entityId(), deleted, type, null));
                continue;
            }
            long max = fs.stream().mapToLong(EventFact::version).max().orElseThrow();
            List<EventFact> top = fs.stream().filter(f -> f.version() == max).toList();
            Set<String> topTypes = new HashSet<>();
            top.forEach(f -> topTypes.add(f.type()));
            // equal versions: the normalizer keeps whichever arrived first; the scenarios never make such ties
            EventFact highest = top.get(0);
            entities.add(new Entity(e.getKey(), vendor, first.entityType(), first.entityId(), highest.deleted(),
                    topTypes.size() == 1 ? highest.type() : null, max));
            if (top.size() == 1) {
                Panel p = panelOfHighest.apply(highest);
                if (p != null) {
                    results.addAll(p.results());
                    categories.addAll(p.categories());
                    if (p.sample() != null) {
                        samples.add(p.sample());
                    }
                }
            }
        }
        return new ExpectedState(vendor, entities, events, results, categories, samples);
    }

    /** The state made by {@code facts}, without results. */
    public static ExpectedState of(String vendor, Collection<EventFact> facts) {
        return of(vendor, facts, f -> null);
    }

    /** The entity with this key, or null. */
    public Entity entity(String entityKey) {
        for (Entity e : entities) {
            if (e.entityKey().equals(entityKey)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Confident's {@code lab_data.categories.*.compounds[]} flattened as the Confident adapter does: categories
     * in snake_case with the documented aliases, analyte names trimmed and made unique within a category with
     * {@code " (2)"}, {@code " (3)"}… suffixes, unnamed compounds {@code "(unnamed N)"}, {@code value} the number
     * of a numeric string and null for {@code "ND"}, {@code "<LOQ"}, {@code ""} and the like.
     */
    public static List<Result> confidentResults(String entityKey, JsonNode sample) {
        return confidentPanel(entityKey, sample).results();
    }

    /**
     * What a Confident sample leaves in the warehouse, derived here independently of the normalizer (an oracle for
     * the end-to-end tests): its results with every compound field and a verdict, its categories and the lab's
     * verdict. Only the shape the simulator sends (compounds inside each category) is read. Timestamps without an
     * offset are read as UTC.
     */
    public static Panel confidentPanel(String entityKey, JsonNode sample) {
        List<Result> out = new ArrayList<>();
        List<Category> cats = new ArrayList<>();
        JsonNode labData = sample.path("lab_data");
        JsonNode categories = labData.path("categories");
        Set<String> seenCategories = new HashSet<>();
        if (categories.isObject()) {
            Map<String, Set<String>> used = new HashMap<>();
            for (Map.Entry<String, JsonNode> c : categories.properties()) {
                if (!c.getValue().isObject()) {
                    continue;
                }
                String category = canonicalCategory(c.getKey());
                JsonNode info = c.getValue().path("info_fields");
                JsonNode statusNode = info.path("status");
                String status = code(statusNode.isMissingNode() || statusNode.isNull() ? c.getValue().path("status") : statusNode,
                        "completed");
                String input = nonBlank(info.path("input_units"));
                String report = nonBlank(info.path("report_units"));
                String fallback = DEFAULT_UNITS.get(category);
                input = input == null ? fallback : input;
                report = report == null ? fallback : report;
                if (seenCategories.add(category)) {
                    cats.add(new Category(entityKey, category, status, nonBlank(info.path("method")),
                            date(info.path("date_tested")), input, report, wet(info.path("reported_as_wet"))));
                }
                JsonNode compounds = c.getValue().path("compounds");
                if (!compounds.isArray()) {
                    continue;
                }
                Set<String> names = used.computeIfAbsent(category, k -> new HashSet<>());
                int position = 0;
                for (JsonNode compound : compounds) {
                    position++;
                    if (!compound.isObject()) {
                        continue;
                    }
                    JsonNode nameNode = compound.get("name");
                    String name = nameNode == null || !nameNode.isValueNode() || nameNode.isNull() || nameNode.asText().isBlank()
                            ? "(unnamed " + position + ")" : nameNode.asText().trim();
                    String analyte = unique(name, names);
                    JsonNode v = compound.get("value");
                    String text;
                    BigDecimal value;
                    if (v == null || v.isNull()) {
                        text = null;
                        value = null;
                    } else if (v.isNumber()) {
                        text = v.asText();
                        value = v.decimalValue();
                    } else {
                        text = v.isValueNode() ? v.asText() : v.toString();
                        value = v.isTextual() ? decimal(text) : null;
                    }
                    BigDecimal lod = number(compound.get("lod"));
                    BigDecimal loq = number(compound.get("loq"));
                    BigDecimal limit = number(compound.get("limit"));
                    BigDecimal max = number(compound.get("max"));
                    BigDecimal low = number(compound.get("limitrangelow"));
                    BigDecimal high = number(compound.get("limitrangehigh"));
                    out.add(new Result(entityKey, category, analyte, text, value, input, report, lod, loq, limit, max,
                            low, high, number(compound.get("stdev")), number(compound.get("rsd")), number(compound.get("rpd")),
                            nonBlank(compound.path("regulatornotes")),
                            verdict(value, text, lod, loq, max, limit, low, high), status));
                }
            }
        }
        long failed = out.stream().filter(r -> "fail".equals(r.verdict())).count();
        String dateTested = cats.stream().map(Category::dateTested).filter(Objects::nonNull).max(Comparator.naturalOrder())
                .orElse(null);
        return new Panel(out, cats, new Sample(entityKey, code(labData.path("status"), "incomplete"), failed, dateTested));
    }

    /** The documented default units ({@code [default: …]}). */
    static final Map<String, String> DEFAULT_UNITS = Map.ofEntries(Map.entry("cannabinoids", "%"),
            Map.entry("foreign_matter", "%"), Map.entry("homogeneity", "%"), Map.entry("microbials", "cfu/g"),
            Map.entry("metals", "ppb"), Map.entry("moisture", "%"), Map.entry("mycotoxins", "ppb"),
            Map.entry("pesticides", "ppm"), Map.entry("solvents", "ppm"), Map.entry("terpenes", "%"),
            Map.entry("water_activity", "aw"));

    /**
     * The verdict rule of DESIGN and docs/warehouse.md, written again here: over the limit or outside the range
     * fails (the bounds themselves pass); censored results (ND: under the lod, &lt;LOQ: under the loq) pass unless
     * their bound is above the limit (inconclusive) or at most a lower range bound (fail); no limit: none.
     */
    static String verdict(BigDecimal value, String text, BigDecimal lod, BigDecimal loq, BigDecimal max,
                          BigDecimal limit, BigDecimal low, BigDecimal high) {
        BigDecimal upper = limit == null ? high : high == null ? limit : limit.min(high);
        if (upper == null && low == null) {
            return "none";
        }
        if (value != null) {
            if ((upper != null && value.compareTo(upper) > 0) || (low != null && value.compareTo(low) < 0)) {
                return "fail";
            }
            return "pass";
        }
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        if (t.isEmpty()) {
            return "none";
        }
        BigDecimal under;
        if (t.equals("ND") || t.equals("NOT DETECTED") || t.equals("<LOD")) {
            under = lod;
        } else if (t.equals("<LOQ")) {
            under = loq;
        } else if (t.startsWith("<")) {
            under = decimal(t.substring(1));
            if (under == null) {
                return "inconclusive";
            }
        } else if (t.startsWith(">")) {
            BigDecimal over = t.equals(">ULOQ") ? max : decimal(t.substring(1));
            return over != null && upper != null && over.compareTo(upper) >= 0 ? "fail" : "inconclusive";
        } else {
            return "inconclusive";
        }
        if (low != null) {
            return under != null && under.compareTo(low) <= 0 ? "fail" : "inconclusive";
        }
        return under != null && under.compareTo(upper) > 0 ? "inconclusive" : "pass";
    }

    private static BigDecimal number(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        return n.isTextual() ? decimal(n.asText()) : null;
    }

    private static String nonBlank(JsonNode n) {
        return n == null || !n.isValueNode() || n.isNull() || n.asText().isBlank() ? null : n.asText().trim();
    }

    /** 1 pass, 2 fail, 3 {@code three} (completed for a category, incomplete for the lab data). */
    private static String code(JsonNode n, String three) {
        String t = n == null || n.isNull() || !n.isValueNode() ? "" : n.asText().trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "1", "pass", "passed" -> "pass";
            case "2", "fail", "failed" -> "fail";
            case "3" -> three;
            default -> t.equals(three) || (three.equals("completed") && t.equals("complete")) ? three : null;
        };
    }

    private static String date(JsonNode n) {
        String t = nonBlank(n);
        if (t == null) {
            return null;
        }
        try {
            return t.length() == 10 ? java.time.LocalDate.parse(t).toString()
                    : java.time.OffsetDateTime.parse(t).atZoneSameInstant(java.time.ZoneOffset.UTC).toLocalDate().toString();
        } catch (java.time.format.DateTimeParseException e) {
            return null; // not a date the simulator writes
        }
    }

    private static Boolean wet(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        return switch (n.asText().trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "y", "wet" -> Boolean.TRUE;
            case "0", "false", "no", "n", "dry" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** A plain decimal string (trimmed, at most 64 characters) as a number, else null. */
    static BigDecimal decimal(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.length() > 64 || !DECIMAL.matcher(t).matches()) {
            return null;
        }
        BigDecimal d = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
        return Double.isFinite(d.doubleValue()) ? d : null;
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

    /** The Confident adapter's category naming: snake_case, then the documented spellings. */
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
        String snake = b.length() == 0 ? "uncategorized" : b.toString();
        return CATEGORY_ALIASES.getOrDefault(snake, snake);
    }

    private static Map<String, String> categoryAliases() {
        Map<String, String> m = new HashMap<>();
        String[][] aliases = {
            {"cannabinoids", "cannabinoid", "potency"},
            {"foreign_matter", "foreignmatter", "foreign_material", "foreign_materials", "filth"},
            {"homogeneity"},
            {"microbials", "microbial", "microbiology", "microbiological", "micro"},
            {"metals", "metal", "heavy_metals", "heavymetals", "heavy_metal"},
            {"moisture", "moisture_content"},
            {"mycotoxins", "mycotoxin"},
            {"pesticides", "pesticide"},
            {"solvents", "solvent", "residual_solvents", "residualsolvents", "residual_solvent"},
            {"terpenes", "terpene", "terpenoids"},
            {"water_activity", "wateractivity", "aw"}};
        for (String[] a : aliases) {
            for (String s : a) {
                m.put(s, a[0]);
            }
        }
        return Map.copyOf(m);
    }

    /** This state as a JSON tree (the format in the class comment). */
    public ObjectNode toJsonTree() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("vendor", vendor);
        ArrayNode es = root.putArray("entities");
        for (Entity e : entities) {
            ObjectNode o = es.addObject();
            o.put("entity_key", e.entityKey());
            o.put("vendor", e.vendor());
            o.put("entity_type", e.entityType());
            o.put("entity_id", e.entityId());
            o.put("deleted", e.deleted());
            o.put("type", e.type());
            o.put("version", e.version());
        }
        ArrayNode evs = root.putArray("events");
        for (Event e : events) {
            evs.addObject().put("entity_key", e.entityKey()).put("type", e.type()).put("version", e.version());
        }
        ArrayNode rs = root.putArray("results");
        for (Result r : results) {
            rs.addObject().put("entity_key", r.entityKey()).put("category", r.category()).put("analyte", r.analyte())
                    .put("value_text", r.valueText()).put("value", r.value()).put("unit", r.unit())
                    .put("report_unit", r.reportUnit()).put("lod", r.lod()).put("loq", r.loq())
                    .put("limit_value", r.limit()).put("max_value", r.max()).put("limit_low", r.limitLow())
                    .put("limit_high", r.limitHigh()).put("stdev", r.stdev()).put("rsd", r.rsd()).put("rpd", r.rpd())
                    .put("regulator_notes", r.regulatorNotes()).put("verdict", r.verdict())
                    .put("category_status", r.categoryStatus());
        }
        ArrayNode cs = root.putArray("categories");
        for (Category c : categories) {
            cs.addObject().put("entity_key", c.entityKey()).put("category", c.category()).put("status", c.status())
                    .put("method", c.method()).put("date_tested", c.dateTested()).put("input_units", c.inputUnits())
                    .put("report_units", c.reportUnits()).put("reported_as_wet", c.reportedAsWet());
        }
        ArrayNode ss = root.putArray("samples");
        for (Sample s : samples) {
            ss.addObject().put("entity_key", s.entityKey()).put("lab_status", s.labStatus())
                    .put("failed_analytes", s.failedAnalytes()).put("date_tested", s.dateTested());
        }
        return root;
    }

    /** This state as indented JSON. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(toJsonTree());
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON tree always serializes", e);
        }
    }

    /** Writes {@link #toJson} to {@code file} (UTF-8), replacing it. */
    public void write(Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), toJsonTree());
    }

    /** Reads what {@link #write} wrote. */
    public static ExpectedState read(Path file) throws IOException {
        return fromJson(MAPPER.readTree(Files.readAllBytes(file)));
    }

    /** Parses the format of {@link #toJson}. */
    public static ExpectedState fromJson(JsonNode root) {
        List<Entity> entities = new ArrayList<>();
        for (JsonNode e : root.path("entities")) {
            entities.add(new Entity(e.path("entity_key").asText(), e.path("vendor").asText(), e.path("entity_type").asText(),
                    e.path("entity_id").asText(), e.path("deleted").asBoolean(), textOrNull(e.get("type")), longOrNull(e.get("version"))));
        }
        List<Event> events = new ArrayList<>();
        for (JsonNode e : root.path("events")) {
            events.add(new Event(e.path("entity_key").asText(), e.path("type").asText(), longOrNull(e.get("version"))));
        }
        List<Result> results = new ArrayList<>();
        for (JsonNode r : root.path("results")) {
            results.add(new Result(r.path("entity_key").asText(), r.path("category").asText(), r.path("analyte").asText(),
                    textOrNull(r.get("value_text")), decimalOrNull(r.get("value")), textOrNull(r.get("unit")),
                    textOrNull(r.get("report_unit")), decimalOrNull(r.get("lod")), decimalOrNull(r.get("loq")),
                    decimalOrNull(r.get("limit_value")), decimalOrNull(r.get("max_value")), decimalOrNull(r.get("limit_low")),
                    decimalOrNull(r.get("limit_high")), decimalOrNull(r.get("stdev")), decimalOrNull(r.get("rsd")),
                    decimalOrNull(r.get("rpd")), textOrNull(r.get("regulator_notes")), textOrNull(r.get("verdict")),
                    textOrNull(r.get("category_status"))));
        }
        List<Category> categories = new ArrayList<>();
        for (JsonNode c : root.path("categories")) {
            JsonNode wet = c.get("reported_as_wet");
            categories.add(new Category(c.path("entity_key").asText(), c.path("category").asText(), textOrNull(c.get("status")),
                    textOrNull(c.get("method")), textOrNull(c.get("date_tested")), textOrNull(c.get("input_units")),
                    textOrNull(c.get("report_units")), wet == null || wet.isNull() ? null : wet.asBoolean()));
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode s : root.path("samples")) {
            samples.add(new Sample(s.path("entity_key").asText(), textOrNull(s.get("lab_status")),
                    s.path("failed_analytes").asLong(), textOrNull(s.get("date_tested"))));
        }
        return new ExpectedState(root.path("vendor").asText(), entities, events, results, categories, samples);
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static BigDecimal decimalOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.decimalValue();
    }

    private static Long longOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asLong();
    }

    /** Counts of entities, events and results, e.g. for a summary line. */
    public String counts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("entities", entities.size());
        m.put("events", events.size());
        m.put("results", results.size());
        m.put("failed analytes", (int) results.stream().filter(r -> "fail".equals(r.verdict())).count());
        m.put("categories", categories.size());
        m.put("deleted", (int) entities.stream().filter(Entity::deleted).count());
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
