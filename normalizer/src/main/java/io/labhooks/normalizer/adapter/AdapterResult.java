package io.labhooks.normalizer.adapter;

import io.labhooks.schemas.events.CanonicalEvent;
import java.util.List;

/** What an adapter made of a delivery: one or more events, or a rejection. */
public sealed interface AdapterResult {

    record Accepted(List<CanonicalEvent> events) implements AdapterResult {
        public Accepted {
            events = List.copyOf(events);
            if (events.isEmpty()) {
                throw new IllegalArgumentException("an accepted delivery yields at least one event");
            }
        }
    }

    record Rejected(Rejection rejection) implements AdapterResult {
    }

    static AdapterResult accepted(CanonicalEvent... events) {
        return new Accepted(List.of(events));
    }

    static AdapterResult rejected(Rejection.Reason reason, String message) {
        return new Rejected(Rejection.of(reason, message));
    }
}
