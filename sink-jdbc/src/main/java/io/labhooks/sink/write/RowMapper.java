package io.labhooks.sink.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns canonical event bytes into warehouse rows. Pure: no I/O, no state besides the codec.
 *
 * <p>Results come from {@code data.results[]} and categories from {@code data.categories[]} of Confident entities
 * only. A result's numeric value is its {@code value} number and nothing else: a value the normalizer kept as text
 * ("ND", "&lt;LOQ", or {@code 1e999}, too large for a number) stays text, with a null value, and never fails the
 * sample. {@code data.merged_events} (LML, Flabs) is the row's {@code merge_seq}.
 */
public final class RowMapper {
    /** Reason for a record that is not a canonical event. */
    public static final String UNDECODABLE = "undecodable";
    /** Reason for a record with a value the warehouse cannot hold (e.g. a non-finite number). */
    public static final String INVALID_VALUE = "invalid-value";

    static final String CONFIDENT = "confident";
    private static final String SOURCE_PREFIX = "labhooks/";
    /** The field of {@code data} that counts the events merged into an LML or Flabs entity. */
    public static final String MERGED_EVENTS = "merged_events";
    private static final String VENDOR_PAYLOAD = "vendor_payload";

    private final EventCodec codec;

    public RowMapper(EventCodec codec) {
        this.codec = codec;
    }

    private EventCodec.Located located(byte[] value, Predicate<String> dataFields) throws RejectedRecordException {
        if (value == null) {
            throw new RejectedRecordException(UNDECODABLE, "record without a value (tombstone)", null);
        }
        try {
            return codec.readLocated(value, dataFields);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(UNDECODABLE, e.getMessage(), e);
        }
    }

    /**
     * The event row of a record of the events topic: the event is read without building its data, and stored as the
     * record's own JSON text (one object, checked by the read), instead of being written again from a tree.
     */
    public EventRow eventRow(byte[] value) throws RejectedRecordException {
        return eventRow(located(value, field -> false).event(), value);
    }

    /**
     * The entity row of a record of the entities topic, its {@code data} column copied from the record's JSON text;
     * the rows derived from the data never read its {@code vendor_payload}, so that is not built.
     */
    public EntityRow entityRow(byte[] value) throws RejectedRecordException {
        EventCodec.Located l = located(value, field -> !field.equals(VENDOR_PAYLOAD));
        return entityRow(l.event(), l.dataBytes(value));
    }

    public EventRow eventRow(CanonicalEvent e) {
        return eventRow(e, codec.write(e));
    }

    private static EventRow eventRow(CanonicalEvent e, byte[] eventJson) {
        String source = e.source().startsWith(SOURCE_PREFIX) ? e.source().substring(SOURCE_PREFIX.length()) : e.source();
        return new EventRow(e.id(), e.type(), source, e.vendor(), e.entityKey(), e.version(), e.hwmAdvanced(), e.time(),
                e.receivedAt(), e.deliveryId(), eventJson);
    }

    public EntityRow entityRow(CanonicalEvent e) throws RejectedRecordException {
        return entityRow(e, jsonBytes(e.data()));
    }

    private EntityRow entityRow(CanonicalEvent e, byte[] dataJson) throws RejectedRecordException {
        boolean deleted = e.deleted();
        boolean samples = !deleted && CONFIDENT.equals(e.vendor());
        List<ResultRow> results = samples ? results(e.data().path("results")) : List.of();
        List<CategoryRow> categories = samples ? categories(e.data().path("categories")) : List.of();
        long mergeSeq = e.data().path(MERGED_EVENTS).canConvertToLong() ? e.data().path(MERGED_EVENTS).asLong() : 0;
        return new EntityRow(e.entityKey(), e.vendor(), e.entityType(), e.entityId(), e.version(), mergeSeq, deleted,
                dataJson, e.id(), results, categories, e.receivedAt());
    }

    private List<CategoryRow> categories(JsonNode array) {
        if (!array.isArray()) {
            return List.of();
        }
        Map<String, CategoryRow> byName = new LinkedHashMap<>();
        for (JsonNode c : array) {
            String name = categoryOf(c);
            JsonNode wet = c.get("reported_as_wet");
            JsonNode info = c.get("info_fields");
            byName.putIfAbsent(name, new CategoryRow(name, text(c, "status"), text(c, "method"), text(c, "date_tested"),
                    text(c, "input_units"), text(c, "report_units"), text(c, "secondary_report_units"),
                    wet != null && wet.isBoolean() ? wet.booleanValue() : null,
                    json(info != null && info.isObject() ? info : codec.mapper().createObjectNode())));
        }
        return List.copyOf(byName.values());
    }

    private static List<ResultRow> results(JsonNode array) throws RejectedRecordException {
        if (!array.isArray()) {
            return List.of();
        }
        List<ResultRow> rows = new ArrayList<>(array.size());
        for (JsonNode r : array) {
            rows.add(new ResultRow(categoryOf(r), text(r, "analyte"), decimal(r, "value"), text(r, "value_text"),
                    text(r, "unit"), text(r, "report_unit"), decimal(r, "lod"), decimal(r, "loq"), decimal(r, "limit"),
                    decimal(r, "max"), decimal(r, "limit_low"), decimal(r, "limit_high"), decimal(r, "stdev"),
                    decimal(r, "rsd"), decimal(r, "rpd"), text(r, "regulator_notes"), text(r, "verdict"),
                    text(r, "status")));
        }
        return rows;
    }

    /** A result without a category is filed under the empty category (the key column is NOT NULL). */
    private static String categoryOf(JsonNode r) {
        String c = text(r, "category");
        return c == null ? "" : c;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static BigDecimal decimal(JsonNode n, String field) throws RejectedRecordException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            return null; // text stays text (value_text keeps it)
        }
        try {
            return v.decimalValue();
        } catch (NumberFormatException e) {
            throw new RejectedRecordException(INVALID_VALUE, field + " is not a finite number: " + v, e);
        }
    }

    private byte[] jsonBytes(JsonNode n) {
        try {
            return codec.mapper().writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        }
    }

    private String json(JsonNode n) {
        try {
            return codec.mapper().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        }
    }
}
