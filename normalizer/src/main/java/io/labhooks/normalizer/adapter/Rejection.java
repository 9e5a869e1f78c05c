package io.labhooks.normalizer.adapter;

import java.util.Locale;

/** Why a delivery could not become an event. The reason's {@link #id()} is the DLQ header and metric value. */
public record Rejection(Reason reason, String message) {

    /** The DLQ reasons. Operators filter {@code labhooks dlq replay --reason} by these ids. */
    public enum Reason {
        /** The body is not JSON (or not a JSON object). */
        NOT_JSON,
        /** The entity id is absent or empty. */
        MISSING_ID,
        /** The version (timestamp, event time) cannot be parsed. */
        BAD_VERSION,
        /** The body is over the source's size limit or nests too deep. */
        TOO_LARGE,
        /** Valid JSON, but not the vendor's shape (a field has the wrong type, a required object is missing). */
        WRONG_SHAPE,
        /** The record names a source that is not in the config (or has no source header). */
        UNKNOWN_SOURCE;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Rejection {
        message = message == null ? "" : message;
    }

    public static Rejection of(Reason reason, String message) {
        return new Rejection(reason, message);
    }
}
