package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventIds;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Confident LIMS adapter: a {@code sample.publish} delivery becomes one {@code lab.confident.sample.publish}
 * event on the entity {@code confident:sample:{id}}, versioned by {@code last_modified} in epoch microseconds.
 *
 * <h2>Body</h2>
 * The body is Confident's Sample Payload itself. An envelope is also accepted: when the top level has a string
 * {@code event} (or {@code event_type}), the sample is the object under {@code data}, {@code sample} or
 * {@code payload}, or the top level itself when none of those is present. {@code sample.publish} and
 * {@code sample.published} (any case) are the publish event; any other event name passes through as
 * {@code lab.confident.{event}} (characters outside {@code [A-Za-z0-9_.-]} become {@code _}) with
 * {@code data = {event, sample_id, last_modified, deleted}}, on {@code confident:sample:{id}} when the payload
 * has an id, else on {@code confident:event:{sha256 of the body}}. A pass-through has version 0 (so an event
 * whose meaning is unknown never replaces a published revision in the entity table) and the body's SHA-256 as
 * discriminator; it is never rejected for its version.
 *
 * <h2>Timestamps</h2>
 * {@code yyyy-MM-dd}, then optionally {@code T} or a space and {@code HH:mm[:ss[.fraction]]} (1–9 fraction
 * digits, {@code .} or {@code ,}), then optionally {@code Z}, {@code UTC}, {@code GMT} or an offset
 * {@code ±HH}, {@code ±HHMM}, {@code ±HH:MM}. Without an offset the time is read in the source's
 * {@code timezone} (in a DST overlap the earlier offset, in a gap the time shifted forward by the gap). A JSON
 * number or an all-digits string (one decimal point allowed) is an epoch: seconds in [10<sup>9</sup>,
 * 10<sup>11</sup>), milliseconds in [10<sup>12</sup>, 10<sup>14</sup>), microseconds in [10<sup>15</sup>,
 * 10<sup>17</sup>) (each range runs from September 2001 to the year 5138); anything else, including the gaps
 * between the ranges, is refused. Instants must fall within the years
 * 0001–9999. The version is the instant in epoch microseconds (sub-microsecond digits are dropped) and the
 * event's {@code time} is the same instant.
 *
 * <h2>Results</h2>
 * {@code lab_data.categories.{name}.compounds[]} is flattened into {@code data.results[]}, one item per compound:
 * {@code category, analyte, value, value_text, unit, lod, loq, limit, status}. See {@link #canonicalCategory}
 * for the accepted category spellings, {@link #parseDecimal} for which strings are numbers, and
 * {@link #DEFAULT_UNITS} for the default units. Within one category a repeated analyte name gets a suffix
 * {@code " (2)"}, {@code " (3)"}, … in document order, so that (entity, category, analyte) stays a key and no
 * result is lost. A compound without a name is called {@code "(unnamed N)"}, N its 1-based position.
 * An empty JSON array stands for an empty object wherever an object is expected ({@code lab_data},
 * {@code categories}, a category, {@code info_fields}), as PHP encodes empty maps that way.
 *
 * <h2>Rejections</h2>
 * {@code NOT_JSON} and {@code TOO_LARGE} come from {@link Json}; {@code MISSING_ID}: no, null or blank
 * {@code id}; {@code BAD_VERSION}: missing or unreadable {@code last_modified}; {@code WRONG_SHAPE}: a container
 * of the wrong JSON type ({@code lab_data}, {@code categories}, a category, {@code info_fields},
 * {@code compounds} or one of its items, {@code test_packages}, {@code test_types}, {@code images},
 * {@code cover_image}), an {@code id} that is not a string or number or is over 256 characters, or an envelope
 * whose event name is not a string or whose payload is not an object. Scalar fields of the wrong type become
 * null and never fail the event. The adapter is stateless and thread-safe.
 */
public final class ConfidentAdapter implements VendorAdapter {
    /** The entity type of a sample. */
    public static final String ENTITY_TYPE = "sample";
    /** The publish event, as it appears in the canonical type {@code lab.confident.sample.publish}. */
    public static final String PUBLISH_EVENT = "sample.publish";
    /** The longest accepted sample id. */
    public static final int MAX_ID_LENGTH = 256;

    /** The default unit of each documented category (the {@code [default: …]} of its units info fields). */
    public static final Map<String, String> DEFAULT_UNITS = Map.ofEntries(
            Map.entry("cannabinoids", "%"), Map.entry("foreign_matter", "%"), Map.entry("homogeneity", "%"),
            Map.entry("microbials", "cfu/g"), Map.entry("metals", "ppb"), Map.entry("moisture", "%"),
            Map.entry("mycotoxins", "ppb"), Map.entry("pesticides", "ppm"), Map.entry("solvents", "ppm"),
            Map.entry("terpenes", "%"), Map.entry("water_activity", "aw"));

    private static final Map<String, String> CATEGORY_ALIASES = categoryAliases();
    private static final Pattern TIMESTAMP = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?)?"
                    + "\\s*(?:(Z|z|UTC|GMT)|([+-])(\\d{2})(?::?(\\d{2}))?)?");
    private static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private static final BigDecimal EPOCH_SECONDS_MIN = new BigDecimal("1e9");
    private static final BigDecimal EPOCH_SECONDS_END = new BigDecimal("1e11");
    private static final BigDecimal EPOCH_MILLIS_MIN = new BigDecimal("1e12");
    private static final BigDecimal EPOCH_MILLIS_END = new BigDecimal("1e14");
    private static final BigDecimal EPOCH_MICROS_MIN = new BigDecimal("1e15");
    private static final BigDecimal EPOCH_MICROS_END = new BigDecimal("1e17");
    private static final int MAX_NUMBER_CHARS = 64;
    private static final int MAX_EVENT_NAME = 100;

    private final Json json;
    private final JsonNodeFactory nodes;

    /** @param json the limited parser shared by the adapters */
    public ConfidentAdapter(Json json) {
        this.json = Objects.requireNonNull(json, "json");
        this.nodes = json.mapper().getNodeFactory();
    }

    @Override
    public AdapterResult adapt(RawInput in) {
        try {
            return adaptChecked(in);
        } catch (WrongShape e) {
            return AdapterResult.rejected(Rejection.Reason.WRONG_SHAPE, e.getMessage());
        } catch (RuntimeException e) {
            // A bug, not bad input: still a rejection (the delivery goes to the DLQ with this message), never a throw.
            return AdapterResult.rejected(Rejection.Reason.WRONG_SHAPE, "internal error: " + e);
        }
    }

    private AdapterResult adaptChecked(RawInput in) throws WrongShape {
        Json.Parsed parsed = json.parseObject(in);
        if (!parsed.ok()) {
            return new AdapterResult.Rejected(parsed.rejection());
        }
        ObjectNode body = parsed.body();
        ObjectNode sample = body;
        String event = PUBLISH_EVENT;
        JsonNode eventNode = firstPresent(body, "event", "event_type");
        if (eventNode != null) {
            if (!eventNode.isTextual()) {
                throw new WrongShape("the envelope's event name is not a string");
            }
            event = eventNode.asText().trim();
            JsonNode payload = firstPresent(body, "data", "sample", "payload");
            if (payload != null) {
                if (!payload.isObject()) {
                    throw new WrongShape("the envelope's payload is not an object");
                }
                sample = (ObjectNode) payload;
            }
        }
        if (event.equalsIgnoreCase(PUBLISH_EVENT) || event.equalsIgnoreCase("sample.published")) {
            return publish(in, body, sample);
        }
        return passThrough(in, body, sample, event);
    }

    private AdapterResult publish(RawInput in, ObjectNode body, ObjectNode sample) throws WrongShape {
        String id = sampleId(sample);
        if (id == null) {
            return AdapterResult.rejected(Rejection.Reason.MISSING_ID, "the sample has no id");
        }
        JsonNode lastModifiedNode = sample.get("last_modified");
        if (lastModifiedNode == null || lastModifiedNode.isNull()) {
            return AdapterResult.rejected(Rejection.Reason.BAD_VERSION, "the sample has no last_modified");
        }
        ZoneId zone = in.source().timezone();
        Instant lastModified = parseTimestamp(lastModifiedNode, zone);
        if (lastModified == null) {
            return AdapterResult.rejected(Rejection.Reason.BAD_VERSION,
                    "last_modified is not a timestamp: " + abbreviate(lastModifiedNode.toString()));
        }
        ObjectNode data = sampleData(sample, id, lastModified, zone);
        CanonicalEvent e = EventFactory.event(in, ENTITY_TYPE, id, PUBLISH_EVENT, epochMicros(lastModified), "",
                lastModified, data, body);
        return AdapterResult.accepted(e);
    }

    private AdapterResult passThrough(RawInput in, ObjectNode body, ObjectNode sample, String event) {
        JsonNode idNode = sample.get("id");
        String id = idNode != null && (idNode.isTextual() || idNode.isNumber())
                && idNode.asText().trim().length() <= MAX_ID_LENGTH ? nonBlank(idNode.asText().trim()) : null;
        String hash = EventIds.sha256Hex(in.body());
        JsonNode lastModifiedNode = sample.get("last_modified");
        Instant lastModified = lastModifiedNode == null ? null : parseTimestamp(lastModifiedNode, in.source().timezone());
        ObjectNode data = nodes.objectNode();
        data.put("event", event);
        data.put("sample_id", id);
        data.put("last_modified", lastModified == null ? null : lastModified.toString());
        data.put("deleted", false);
        CanonicalEvent e = EventFactory.event(in, id == null ? "event" : ENTITY_TYPE, id == null ? hash : id,
                typeSafeEventName(event), 0L, hash, lastModified, data, body);
        return AdapterResult.accepted(e);
    }

    /** The trimmed id, or null when it is absent, null or blank. */
    private static String sampleId(ObjectNode sample) throws WrongShape {
        JsonNode n = sample.get("id");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw new WrongShape("id is a " + n.getNodeType().name().toLowerCase(Locale.ROOT) + ", not a string");
        }
        String id = n.asText().trim();
        if (id.length() > MAX_ID_LENGTH) {
            throw new WrongShape("id is over " + MAX_ID_LENGTH + " characters");
        }
        return id.isEmpty() ? null : id;
    }

    private ObjectNode sampleData(ObjectNode s, String id, Instant lastModified, ZoneId zone) throws WrongShape {
        ObjectNode d = nodes.objectNode();
        d.put("sample_id", id);
        d.put("order_id", text(s.get("order_id")));
        putLong(d, "client_id", s.get("client_id"));
        putLong(d, "order_status_id", s.get("order_status_id"));
        String orderStatusName = text(s.get("order_status_name"));
        d.put("order_status_name", orderStatusName);
        d.put("status", orderStatusName);
        d.put("sample_name", text(s.get("sample_name")));
        d.put("strain_name", text(s.get("strain_name")));
        putLong(d, "sample_type_id", s.get("sample_type_id"));
        d.put("sample_type_name", text(s.get("sample_type_name")));
        putLong(d, "sample_category_id", s.get("sample_category_id"));
        d.put("sample_category_name", text(s.get("sample_category_name")));
        putLong(d, "production_method_id", s.get("production_method_id"));
        d.put("production_method_name", text(s.get("production_method_name")));
        d.set("test_packages", list(s, "test_packages", "id", "name"));
        d.put("last_modified", lastModified.toString());
        d.set("initial_weight", decimal(s.get("initial_weight")));
        d.put("initial_weight_unit", text(s.get("initial_weight_unit")));
        d.set("test_types", list(s, "test_types", "id", "name", "abbreviation"));
        d.set("cover_image", image(s.get("cover_image"), "cover_image"));
        ArrayNode images = nodes.arrayNode();
        JsonNode imagesNode = s.get("images");
        if (imagesNode != null && !imagesNode.isNull()) {
            if (!imagesNode.isArray()) {
                throw new WrongShape("images is not a list");
            }
            for (JsonNode image : imagesNode) {
                if (!image.isNull()) {
                    images.add(image(image, "an item of images"));
                }
            }
        }
        d.set("images", images);
        d.put("notes", text(s.get("notes")));
        d.put("batch_id", text(s.get("batch_id")));
        d.set("batch_size", decimal(s.get("batch_size")));
        d.put("batch_size_unit", text(s.get("batch_size_unit")));
        d.put("lot_id", text(s.get("lot_id")));
        d.set("lot_size", decimal(s.get("lot_size")));
        d.put("lot_size_unit", text(s.get("lot_size_unit")));
        d.put("production_run_id", text(s.get("production_run_id")));
        d.set("production_run_size", decimal(s.get("production_run_size")));
        d.put("production_run_size_unit", text(s.get("production_run_size_unit")));
        d.put("regulator_sample_id", text(s.get("regulator_sample_id")));
        d.put("manifest_id", text(s.get("manifest_id")));
        d.put("regulator_batch_id", text(s.get("regulator_batch_id")));
        d.put("regulator_lot_id", text(s.get("regulator_lot_id")));
        d.put("regulator_sample_id2", text(s.get("regulator_sample_id2")));
        d.put("regulator_batch_id2", text(s.get("regulator_batch_id2")));
        d.put("harvest_id", text(s.get("harvest_id")));
        d.put("production_date", timestampText(s.get("production_date"), zone));
        d.put("date_samples_collected", timestampText(s.get("date_samples_collected"), zone));
        d.put("public_url", text(s.get("public_url")));
        d.set("units_per_serving", decimal(s.get("units_per_serving")));
        d.set("servings_per_container", decimal(s.get("servings_per_container")));
        d.put("unit_description", text(s.get("unit_description")));
        d.put("container_description", text(s.get("container_description")));
        putLong(d, "regulatory_category_id", s.get("regulatory_category_id"));
        d.put("solvents_used", text(s.get("solvents_used")));
        labData(s.get("lab_data"), zone, d);
        d.put("deleted", false);
        return d;
    }

    /** Adds {@code lab_status}, {@code lab_data_date_created} and {@code results}. */
    private void labData(JsonNode labData, ZoneId zone, ObjectNode d) throws WrongShape {
        ArrayNode results = nodes.arrayNode();
        ObjectNode ld = object(labData, "lab_data");
        d.put("lab_status", ld == null ? null : labStatus(ld.get("status")));
        d.put("lab_data_date_created", ld == null ? null : timestampText(ld.get("date_created"), zone));
        ObjectNode categories = ld == null ? null : object(ld.get("categories"), "lab_data.categories");
        if (categories != null) {
            Map<String, Set<String>> analytes = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = categories.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> c = it.next();
                category(c.getKey(), c.getValue(), results, analytes);
            }
        }
        d.set("results", results);
    }

    private void category(String rawName, JsonNode node, ArrayNode results, Map<String, Set<String>> analytes)
            throws WrongShape {
        String where = "lab_data.categories." + abbreviate(rawName);
        ObjectNode c = object(node, where);
        if (c == null) {
            return;
        }
        String category = canonicalCategory(rawName);
        ObjectNode info = object(c.get("info_fields"), where + ".info_fields");
        String unit = info == null ? null : nonBlank(text(info.get("report_units")));
        if (unit == null && info != null) {
            unit = nonBlank(text(info.get("input_units")));
        }
        if (unit == null) {
            unit = DEFAULT_UNITS.get(category);
        }
        JsonNode statusNode = info == null ? null : info.get("status");
        if (statusNode == null || statusNode.isNull()) {
            statusNode = c.get("status");
        }
        String status = categoryStatus(statusNode);
        JsonNode compounds = c.get("compounds");
        if (compounds == null || compounds.isNull()) {
            return;
        }
        if (!compounds.isArray()) {
            throw new WrongShape(where + ".compounds is not a list");
        }
        Set<String> used = analytes.computeIfAbsent(category, k -> new HashSet<>());
        int position = 0;
        for (JsonNode compound : compounds) {
            position++;
            if (compound.isNull()) {
                continue;
            }
            if (!compound.isObject()) {
                throw new WrongShape(where + ".compounds[" + (position - 1) + "] is not an object");
            }
            String name = nonBlank(text(compound.get("name")));
            String analyte = unique(name == null ? "(unnamed " + position + ")" : name.trim(), used);
            ObjectNode r = results.addObject();
            r.put("category", category);
            r.put("analyte", analyte);
            JsonNode value = compound.get("value");
            if (value == null || value.isNull()) {
                r.putNull("value");
                r.putNull("value_text");
            } else if (value.isNumber()) {
                r.set("value", finite(value));
                r.put("value_text", value.asText());
            } else {
                String text = value.isValueNode() ? value.asText() : value.toString();
                BigDecimal number = value.isTextual() ? parseDecimal(text) : null;
                r.set("value", number == null ? nodes.nullNode() : nodes.numberNode(number));
                r.put("value_text", text);
            }
            r.put("unit", unit);
            r.set("lod", decimal(compound.get("lod")));
            r.set("loq", decimal(compound.get("loq")));
            r.set("limit", decimal(compound.get("limit")));
            r.put("status", status);
        }
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
     * (wateractivity, aw). So {@code "Foreign Matter"}, {@code "foreign-matter"}, {@code "ForeignMatter"} and
     * {@code "foreign_matter"} are all {@code foreign_matter}. Any other name is kept in its snake_case form
     * ({@code "uncategorized"} if nothing is left of it).
     */
    public static String canonicalCategory(String raw) {
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

    /**
     * A vendor number written as a string, or null. Accepted after trimming white space: an optional sign
     * ({@code +} or {@code -}), digits with an optional decimal point ({@code 1}, {@code 1.}, {@code .5},
     * {@code 1.02}), and an optional exponent ({@code 1e-3}, {@code 2.5E+2}), at most 64 characters, finite as a
     * double. Everything else is not a number: {@code "ND"}, {@code "<LOQ"}, {@code ">ULOQ"}, {@code "NT"},
     * {@code ""}, thousands separators ({@code "1,234"}), decimal commas, units ({@code "1.2 %"}), {@code NaN},
     * {@code Infinity}, hex.
     */
    public static BigDecimal parseDecimal(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && Character.isWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        if (end - start == 0 || end - start > MAX_NUMBER_CHARS) {
            return null;
        }
        int i = start;
        if (s.charAt(i) == '+' || s.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        while (i < end && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < end && s.charAt(i) == '.') {
            i++;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < end && isDigit(s.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0 || exponentDigits > 4) {
                return null;
            }
        }
        if (i != end) {
            return null;
        }
        BigDecimal d = new BigDecimal(s.substring(start, end));
        return Double.isFinite(d.doubleValue()) ? d : null;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * A timestamp (see the class comment) as an instant, or null when it cannot be read or lies outside the years
     * 0001–9999.
     */
    public static Instant parseTimestamp(JsonNode n, ZoneId zone) {
        if (n == null || n.isNull()) {
            return null;
        }
        Instant instant;
        if (n.isNumber()) {
            BigDecimal epoch = finiteDecimal(n);
            instant = epoch == null ? null : fromEpoch(epoch);
        } else if (n.isTextual()) {
            instant = parseTimestamp(n.asText(), zone);
        } else {
            instant = null;
        }
        if (instant == null || instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)) {
            return null;
        }
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant parseTimestamp(String raw, ZoneId zone) {
        String s = raw.trim();
        if (s.isEmpty() || s.length() > 64) {
            return null;
        }
        if (isEpochText(s)) {
            return fromEpoch(new BigDecimal(s));
        }
        Matcher m = TIMESTAMP.matcher(s);
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            LocalDateTime local = date.atStartOfDay();
            if (m.group(4) != null) {
                int nanos = 0;
                if (m.group(7) != null) {
                    String fraction = (m.group(7) + "00000000").substring(0, 9);
                    nanos = Integer.parseInt(fraction);
                }
                local = date.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
            }
            if (m.group(8) != null) {
                return local.toInstant(ZoneOffset.UTC);
            }
            if (m.group(9) != null) {
                int sign = m.group(9).equals("-") ? -1 : 1;
                int hours = Integer.parseInt(m.group(10));
                int minutes = m.group(11) == null ? 0 : Integer.parseInt(m.group(11));
                return local.toInstant(ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes));
            }
            return local.atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean isEpochText(String s) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (!isDigit(c)) {
                return false;
            }
        }
        return dots <= 1 && isDigit(s.charAt(0)) && isDigit(s.charAt(s.length() - 1));
    }

    /**
     * Seconds in [1e9, 1e11), milliseconds in [1e12, 1e14), microseconds in [1e15, 1e17): each range starts in
     * September 2001 and ends in the year 5138. Anything else (including the ambiguous gaps between the ranges,
     * and compact dates such as 20240120) is null.
     */
    private static Instant fromEpoch(BigDecimal epoch) {
        BigDecimal micros;
        if (epoch.compareTo(EPOCH_SECONDS_MIN) >= 0 && epoch.compareTo(EPOCH_SECONDS_END) < 0) {
            micros = epoch.movePointRight(6);
        } else if (epoch.compareTo(EPOCH_MILLIS_MIN) >= 0 && epoch.compareTo(EPOCH_MILLIS_END) < 0) {
            micros = epoch.movePointRight(3);
        } else if (epoch.compareTo(EPOCH_MICROS_MIN) >= 0 && epoch.compareTo(EPOCH_MICROS_END) < 0) {
            micros = epoch;
        } else {
            return null;
        }
        long m = micros.setScale(0, RoundingMode.FLOOR).longValueExact();
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000L);
    }

    /** The instant in epoch microseconds (instants here are within the years 0001–9999, so this fits a long). */
    public static long epochMicros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000L);
    }

    private static String timestampText(JsonNode n, ZoneId zone) {
        Instant t = parseTimestamp(n, zone);
        return t == null ? null : t.toString();
    }

    /** A string, or a number's or boolean's text; null for null, absent, objects and lists. */
    private static String text(JsonNode n) {
        return n != null && n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** An integer from an integral number or a string of digits; null for anything else. */
    private static Long integer(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? n.longValue() : null;
        }
        BigDecimal d = n.isNumber() ? finiteDecimal(n) : n.isTextual() ? parseDecimal(n.asText()) : null;
        if (d == null) {
            return null;
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    private static void putLong(ObjectNode d, String field, JsonNode n) {
        Long v = integer(n);
        if (v == null) {
            d.putNull(field);
        } else {
            d.put(field, v.longValue());
        }
    }

    /** A number from a JSON number or a numeric string ({@link #parseDecimal}); JSON null otherwise. */
    private JsonNode decimal(JsonNode n) {
        if (n == null || n.isNull()) {
            return nodes.nullNode();
        }
        if (n.isNumber()) {
            return finite(n);
        }
        BigDecimal d = n.isTextual() ? parseDecimal(n.asText()) : null;
        return d == null ? nodes.nullNode() : nodes.numberNode(d);
    }

    /** A JSON number as a BigDecimal, or null for an infinite double (Jackson reads 1e400 as one). */
    private static BigDecimal finiteDecimal(JsonNode number) {
        return isFinite(number) ? number.decimalValue() : null;
    }

    private static boolean isFinite(JsonNode number) {
        return !number.isFloatingPointNumber() || number.isBigDecimal() || Double.isFinite(number.doubleValue());
    }

    private JsonNode finite(JsonNode number) {
        return isFinite(number) ? number : nodes.nullNode();
    }

    /** An object, or null for absent, null or an empty list; a wrong type is a {@link WrongShape}. */
    private static ObjectNode object(JsonNode n, String where) throws WrongShape {
        if (n == null || n.isNull() || (n.isArray() && n.isEmpty())) {
            return null;
        }
        if (!n.isObject()) {
            throw new WrongShape(where + " is not an object");
        }
        return (ObjectNode) n;
    }

    /** A list of small objects, such as {@code test_packages}: ids as integers, the other fields as text. */
    private ArrayNode list(ObjectNode s, String field, String idField, String... textFields) throws WrongShape {
        ArrayNode out = nodes.arrayNode();
        JsonNode n = s.get(field);
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new WrongShape(field + " is not a list");
        }
        for (JsonNode item : n) {
            if (item.isNull()) {
                continue;
            }
            if (!item.isObject()) {
                throw new WrongShape("an item of " + field + " is not an object");
            }
            ObjectNode o = out.addObject();
            putLong(o, idField, item.get(idField));
            for (String t : textFields) {
                o.put(t, text(item.get(t)));
            }
        }
        return out;
    }

    private JsonNode image(JsonNode n, String where) throws WrongShape {
        if (n == null || n.isNull()) {
            return nodes.nullNode();
        }
        if (!n.isObject()) {
            throw new WrongShape(where + " is not an object");
        }
        ObjectNode o = nodes.objectNode();
        o.put("filename", text(n.get("filename")));
        o.put("public_key", text(n.get("public_key")));
        o.put("url", text(n.get("url")));
        return o;
    }

    private static JsonNode firstPresent(ObjectNode o, String... fields) {
        for (String f : fields) {
            JsonNode n = o.get(f);
            if (n != null && !n.isNull()) {
                return n;
            }
        }
        return null;
    }

    /** The event name with characters outside {@code [A-Za-z0-9_.-]} replaced, so the type stays well formed. */
    static String typeSafeEventName(String event) {
        StringBuilder b = new StringBuilder(Math.min(event.length(), MAX_EVENT_NAME));
        for (int i = 0; i < event.length() && b.length() < MAX_EVENT_NAME; i++) {
            char c = event.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '.'
                    || c == '-';
            b.append(ok ? c : '_');
        }
        return b.length() == 0 ? "unknown" : b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** A container of the wrong JSON type: becomes a {@code WRONG_SHAPE} rejection. */
    private static final class WrongShape extends Exception {
        private static final long serialVersionUID = 1L;

        WrongShape(String message) {
            super(message, null, false, false);
        }
    }
}
