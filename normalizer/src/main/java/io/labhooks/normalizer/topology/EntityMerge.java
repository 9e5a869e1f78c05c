package io.labhooks.normalizer.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The entity state of vendors whose events each carry only part of the entity (LML, Flabs): the merge of its
 * events' {@code data} in version order. Pure functions of JSON trees.
 * <ul>
 *   <li>A newer event (above the high-water mark) sets every field it has a non-null value for; a field it lacks
 *       (or has as null) keeps its last value.</li>
 *   <li>An older event (at or below the mark: LML promises no order) only fills fields the state lacks or has as
 *       null; it never overwrites one.</li>
 *   <li>{@code references} (LML's retest links) is the union of all events' references, in arrival order.</li>
 *   <li>{@link #MERGED_EVENTS} counts the events merged in.</li>
 * </ul>
 */
final class EntityMerge {
    /** The field of the merged state that counts its events (the sink's {@code merge_seq}). */
    static final String MERGED_EVENTS = "merged_events";
    static final String REFERENCES = "references";

    private EntityMerge() {
    }

    /** Whether the entity state of this vendor is merged from its events. */
    static boolean merges(String vendor) {
        return "lml".equals(vendor) || "flabs".equals(vendor);
    }

    /** {@code state} with a newer event's data merged in. */
    static ObjectNode newer(ObjectNode state, ObjectNode event) {
        ObjectNode out = state.deepCopy();
        for (Map.Entry<String, JsonNode> f : event.properties()) {
            if (f.getKey().equals(REFERENCES)) {
                union(out, f.getValue());
            } else if (!f.getValue().isNull() || !out.has(f.getKey())) {
                out.set(f.getKey(), f.getValue().deepCopy());
            }
        }
        return out;
    }

    /** {@code state} with an older event's data merged in: only what the state lacks. */
    static ObjectNode older(ObjectNode state, ObjectNode event) {
        ObjectNode out = state.deepCopy();
        for (Map.Entry<String, JsonNode> f : event.properties()) {
            if (f.getKey().equals(REFERENCES)) {
                union(out, f.getValue());
            } else if (!f.getKey().equals(MERGED_EVENTS) && (!out.has(f.getKey()) || out.get(f.getKey()).isNull())) {
                out.set(f.getKey(), f.getValue().deepCopy());
            }
        }
        return out;
    }

    private static void union(ObjectNode out, JsonNode references) {
        if (!references.isArray()) {
            return;
        }
        JsonNode existing = out.get(REFERENCES);
        ArrayNode merged = existing != null && existing.isArray() ? (ArrayNode) existing : out.putArray(REFERENCES);
        Set<JsonNode> have = new HashSet<>();
        merged.forEach(have::add);
        for (JsonNode r : references) {
            if (have.add(r)) {
                merged.add(r.deepCopy());
            }
        }
    }

    /** True if the two states differ in more than their event count. */
    static boolean changed(ObjectNode before, ObjectNode after) {
        ObjectNode a = before.deepCopy();
        ObjectNode b = after.deepCopy();
        a.remove(MERGED_EVENTS);
        b.remove(MERGED_EVENTS);
        return !a.equals(b);
    }
}
