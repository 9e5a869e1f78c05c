package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.EventIds;
import java.util.List;

/**
 * Reads ids, text and objects out of vendor bodies for the adapters, turning every wrong type into an
 * {@link Invalid} that the adapter converts into a {@link Rejection}. Stateless.
 */
final class JsonFields {
    /** Ids (and so entity keys and Kafka keys) longer than this are refused as {@code WRONG_SHAPE}. */
    static final int MAX_ID_LENGTH = 512;
    /** Event names taken from a body are refused as {@code WRONG_SHAPE} beyond this length. */
    static final int MAX_NAME_LENGTH = 200;

    private JsonFields() {
    }

    /** A value quoted in a rejection message: at most 64 characters, then "...". */
    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    /**
     * A bad input found while reading a body. Thrown inside an adapter and caught in its {@code adapt}, which
     * returns the rejection: adapters never let it escape. It carries no stack trace.
     */
    static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Rejection rejection;

        Invalid(Rejection.Reason reason, String message) {
            super(message, null, false, false);
            this.rejection = Rejection.of(reason, message);
        }

        Rejection rejection() {
            return rejection;
        }
    }

    static Invalid invalid(Rejection.Reason reason, String message) {
        return new Invalid(reason, message);
    }

    /**
     * An identifier: a non-empty string or an integral number, as text.
     *
     * @return the id, or null when the value is absent, JSON null or empty
     * @throws Invalid WRONG_SHAPE when the value is an object, array, boolean or fractional number, too long, or
     *                 holds control characters
     */
    static String id(JsonNode v, String what) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return null;
        }
        String s;
        if (v.isTextual()) {
            s = v.asText().strip();
        } else if (v.isIntegralNumber()) {
            s = v.asText();
        } else {
            throw invalid(Rejection.Reason.WRONG_SHAPE, what + " must be a string or an integer, was " + v.getNodeType());
        }
        if (s.length() > MAX_ID_LENGTH) {
            throw invalid(Rejection.Reason.WRONG_SHAPE, what + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        if (hasControl(s)) {
            throw invalid(Rejection.Reason.WRONG_SHAPE, what + " contains control characters");
        }
        return s.isEmpty() ? null : s;
    }

    /** Like {@link #id} but an absent id is {@code MISSING_ID}. */
    static String requiredId(JsonNode v, String what) {
        String s = id(v, what);
        if (s == null) {
            throw invalid(Rejection.Reason.MISSING_ID, what + " is missing or empty");
        }
        return s;
    }

    /**
     * A scalar as text (strings as-is; numbers and booleans as written), or null when absent or JSON null.
     *
     * @throws Invalid WRONG_SHAPE for an object or array
     */
    static String text(JsonNode v, String what) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (v.isContainerNode()) {
            throw invalid(Rejection.Reason.WRONG_SHAPE, what + " must be a scalar, was " + v.getNodeType());
        }
        return v.asText();
    }

    /**
     * A nested object, or null when absent or JSON null.
     *
     * @throws Invalid WRONG_SHAPE when present but not an object
     */
    static ObjectNode object(JsonNode parent, String field, String what) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw invalid(Rejection.Reason.WRONG_SHAPE, what + " must be an object, was " + v.getNodeType());
        }
        return (ObjectNode) v;
    }

    /**
     * The value at an RFC 6901 JSON Pointer, or null when there is none (or it is JSON null).
     *
     * @throws Invalid WRONG_SHAPE when the pointer itself is malformed (a config problem, reported per delivery)
     */
    static JsonNode at(JsonNode root, String pointer) {
        JsonPointer p;
        try {
            p = JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw invalid(Rejection.Reason.WRONG_SHAPE, "the configured JSON Pointer '" + pointer + "' is malformed: " + e.getMessage());
        }
        JsonNode v = root.at(p);
        return v.isMissingNode() || v.isNull() ? null : v;
    }

    /**
     * The first usable id among {@code fields} of {@code obj}: values that are not ids (objects, booleans, ...)
     * are skipped rather than refused, since these are guesses at an unknown shape.
     */
    static String firstId(JsonNode obj, List<String> fields) {
        if (obj == null || !obj.isObject()) {
            return null;
        }
        for (String f : fields) {
            JsonNode v = obj.get(f);
            if (v != null && (v.isTextual() || v.isIntegralNumber())) {
                String s = v.asText().strip();
                if (!s.isEmpty() && s.length() <= MAX_ID_LENGTH && !hasControl(s)) {
                    return s;
                }
            }
        }
        return null;
    }

    /**
     * A vendor's event name made safe for {@code lab.{vendor}.{event}}: every character outside
     * {@code [A-Za-z0-9_.-]} becomes {@code _}.
     *
     * @throws Invalid WRONG_SHAPE when empty or longer than {@link #MAX_NAME_LENGTH}
     */
    static String eventName(String raw, String what) {
        if (raw == null || raw.isBlank()) {
            throw invalid(Rejection.Reason.WRONG_SHAPE, what + " is missing or empty");
        }
        if (raw.length() > MAX_NAME_LENGTH) {
            throw invalid(Rejection.Reason.WRONG_SHAPE, what + " is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return safeName(raw.strip(), true);
    }

    /** Every character outside {@code [A-Za-z0-9_-]} (and {@code .} if allowed) becomes {@code _}. */
    static String safeName(String raw, boolean allowDot) {
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
                    || (allowDot && c == '.');
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    /** True if {@code s} has an ISO control character (newline, tab, NUL, ...): not allowed in ids and keys. */
    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Hex SHA-256 of the exact body bytes: the discriminator of events that have no better one. */
    static String bodyHash(RawInput in) {
        return EventIds.sha256Hex(in.body());
    }
}
