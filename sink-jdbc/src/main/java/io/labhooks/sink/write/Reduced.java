package io.labhooks.sink.write;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch reduced by primary key: one row per event id (the first) and one per entity key (the highest
 * version, then the most merged events; on a tie the later one, which is the same event replayed).
 *
 * @param eventsReducedAway   event rows dropped as repeats of an event id already in the batch
 * @param entitiesReducedAway entity rows dropped for a newer version of the same entity in the batch
 */
public record Reduced(List<EventRow> events, List<EntityRow> entities, int eventsReducedAway,
                      int entitiesReducedAway) {
    public Reduced {
        events = List.copyOf(events);
        entities = List.copyOf(entities);
    }

    /** Reduces rows given in consumption order. */
    public static Reduced of(List<EventRow> events, List<EntityRow> entities) {
        Map<String, EventRow> byId = new LinkedHashMap<>();
        for (EventRow e : events) {
            byId.putIfAbsent(e.eventId(), e);
        }
        Map<String, EntityRow> byKey = new LinkedHashMap<>();
        for (EntityRow e : entities) {
            byKey.merge(e.entityKey(), e, (old, now) -> old.newerThan(now) ? old : now);
        }
        return new Reduced(new ArrayList<>(byId.values()), new ArrayList<>(byKey.values()),
                events.size() - byId.size(), entities.size() - byKey.size());
    }
}
