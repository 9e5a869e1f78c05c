package io.labhooks.sink.write;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A {@code lab_entities} row and, for Confident samples, the {@code lab_results} and {@code lab_result_categories}
 * rows of this version.
 *
 * @param state      the {@code data} object's JSON text in UTF-8, bound as bytes
 * @param mergeSeq   how many events the normalizer merged into this state (LML, Flabs; 0 for the others): of two
 *                   rows with the same version the one with more merged events is newer
 * @param receivedAt when the ingress received the delivery this version came from
 */
public record EntityRow(String entityKey, String vendor, String entityType, String entityId, long version,
                        long mergeSeq, boolean deleted, byte[] state, String lastEventId, List<ResultRow> results,
                        List<CategoryRow> categories, Instant receivedAt) {
    public EntityRow {
        Objects.requireNonNull(entityKey, "entityKey");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastEventId, "lastEventId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        results = List.copyOf(results);
        categories = List.copyOf(categories);
    }

    /** A row without categories and merged events. */
    public EntityRow(String entityKey, String vendor, String entityType, String entityId, long version,
                     boolean deleted, byte[] state, String lastEventId, List<ResultRow> results, Instant receivedAt) {
        this(entityKey, vendor, entityType, entityId, version, 0, deleted, state, lastEventId, results, List.of(),
                receivedAt);
    }

    /** The state as text (for tests and tools; the writer binds the bytes). */
    public String stateJson() {
        return new String(state, StandardCharsets.UTF_8);
    }

    /** True if this row is newer than {@code other} (same entity): a higher version, or as many with more merged. */
    public boolean newerThan(EntityRow other) {
        return version > other.version || (version == other.version && mergeSeq > other.mergeSeq);
    }
}
