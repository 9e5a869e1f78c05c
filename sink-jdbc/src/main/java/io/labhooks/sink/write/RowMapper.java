package io.labhooks.sink.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns canonical event bytes into warehouse rows. Pure: no I/O, no state besides the codec.
 *
 * <p>Results come from {@code data.results[]} of Confident entities only. A result's numeric value is its
 * {@code value} number, or its {@code value_text} if that is a plain decimal number; "ND", "&lt;LOQ" and
 * empty texts keep a null value.
 */
public final class RowMapper {
    /** Reason for a record that is not a canonical event. */
    public static final String UNDECODABLE = "undecodable";
    /** Reason for a record with a value the warehouse cannot hold (e.g. a non-finite number). */
    public static final String INVALID_VALUE = "invalid-value";

    static final String CONFIDENT = "confident";
    private static final String SOURCE_PREFIX = "labhooks/";
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final EventCodec codec;

    public RowMapper(EventCodec codec) {
        this.codec = codec;
    }

    public CanonicalEvent decode(byte[] value) throws RejectedRecordException {
        if (value == null) {
            throw new RejectedRecordException(UNDECODABLE, "record without a value (tombstone)", null);
        }
        try {
            return codec.read(value);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(UNDECODABLE, e.getMessage(), e);
        }
    }

    public EventRow eventRow(CanonicalEvent e) {
        String source = e.source().startsWith(SOURCE_PREFIX) ? e.source().substring(SOURCE_PREFIX.length()) : e.source();
        return new EventRow(e.id(), e.type(), source, e.vendor(), e.entityKey(), e.version(), e.hwmAdvanced(), e.time(),
                e.receivedAt(), e.deliveryId(), json(codec.toJson(e)));
    }

    public EntityRow entityRow(CanonicalEvent e) throws RejectedRecordException {
        boolean deleted = e.deleted();
        List<ResultRow> results = deleted || !CONFIDENT.equals(e.vendor()) ? List.of() : results(e.data().path("results"));
        return new EntityRow(e.entityKey(), e.vendor(), e.entityType(), e.entityId(), e.version(), deleted,
                json(e.data()), e.id(), results, e.receivedAt());
    }

    private static List<ResultRow> results(JsonNode array) throws RejectedRecordException {
        if (!array.isArray()) {
            return List.of();
        }
        List<ResultRow> rows = new ArrayList<>(array.size());
        for (JsonNode r : array) {
            String valueText = text(r, "value_text");
            BigDecimal value = decimal(r, "value");
            if (value == null && valueText != null && DECIMAL.matcher(valueText.strip()).matches()) {
                value = new BigDecimal(valueText.strip());
            }
            rows.add(new ResultRow(categoryOf(r), text(r, "analyte"), value, valueText, text(r, "unit"),
                    decimal(r, "lod"), decimal(r, "loq"), decimal(r, "limit"), text(r, "status")));
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
        try {
            if (v.isNumber()) {
                return v.decimalValue();
            }
            if (v.isTextual() && DECIMAL.matcher(v.asText().strip()).matches()) {
                return new BigDecimal(v.asText().strip());
            }
        } catch (NumberFormatException e) {
            throw new RejectedRecordException(INVALID_VALUE, field + " is not a finite number: " + v, e);
        }
        return null;
    }

    private String json(JsonNode n) {
        try {
            return codec.mapper().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        }
    }
}
