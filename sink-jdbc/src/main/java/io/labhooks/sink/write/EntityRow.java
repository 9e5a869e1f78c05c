package io.labhooks.sink.write;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A {@code lab_entities} row and, for Confident samples, the {@code lab_results} rows of this version.
 *
 * @param receivedAt when the ingress received the delivery this version came from
 */
public record EntityRow(String entityKey, String vendor, String entityType, String entityId, long version,
                        boolean deleted, String stateJson, String lastEventId, List<ResultRow> results,
                        Instant receivedAt) {
    public EntityRow {
        Objects.requireNonNull(entityKey, "entityKey");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(stateJson, "stateJson");
        Objects.requireNonNull(lastEventId, "lastEventId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        results = List.copyOf(results);
    }
}
