package io.labhooks.schemas;

import java.util.List;

/** The four topics of the pipeline. Consumers script against these names: never rename one in place. */
public final class Topics {
    /** Exact webhook bodies as received, keyed by delivery id. */
    public static final String RAW = "labhooks.raw.v1";
    /** Every distinct canonical event, once (history). */
    public static final String EVENTS = "labhooks.events.v1";
    /** Compacted: only events that advanced their entity, keyed by entity key. */
    public static final String ENTITIES = "labhooks.entities.v1";
    /** Records that could not be normalized or written, with the original bytes and an error reason. */
    public static final String DLQ = "labhooks.dlq.v1";

    public static final List<String> ALL = List.of(RAW, EVENTS, ENTITIES, DLQ);

    private Topics() {
    }
}
