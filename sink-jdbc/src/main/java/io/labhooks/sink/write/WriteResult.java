package io.labhooks.sink.write;

import java.time.Instant;
import java.util.List;

/**
 * What one committed write did.
 *
 * @param insertedEvents the events that were new to {@code lab_events} (for the pipeline latency)
 * @param committedAt    when the transaction committed
 */
public record WriteResult(List<EventRow> insertedEvents, int eventsSkipped, int entitiesInserted,
                          int entitiesUpdated, int entitiesSkipped, int resultsInserted, Instant committedAt) {
    public WriteResult {
        insertedEvents = List.copyOf(insertedEvents);
    }
}
