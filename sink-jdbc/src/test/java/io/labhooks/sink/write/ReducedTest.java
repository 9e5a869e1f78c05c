package io.labhooks.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReducedTest {
    private static EntityRow entity(String key, long version, String eventId) {
        return new EntityRow(key, "flabs", "bill", key, version, false, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), eventId, List.of(),
                Instant.EPOCH);
    }

    private static EventRow event(String id) {
        return new EventRow(id, "lab.flabs.bill.created", "flabs", "flabs", "k", 1, true, Instant.EPOCH, Instant.EPOCH,
                null, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void keepsTheHighestVersionPerEntityAndTheFirstOfEachEvent() {
        Reduced r = Reduced.of(List.of(event("e1"), event("e2"), event("e1")),
                List.of(entity("a", 3, "x3"), entity("b", 1, "y1"), entity("a", 5, "x5"), entity("a", 4, "x4"),
                        entity("b", 1, "y1-again")));
        assertThat(r.events()).extracting(EventRow::eventId).containsExactly("e1", "e2");
        assertThat(r.entities()).extracting(EntityRow::lastEventId).containsExactly("x5", "y1-again");
        assertThat(r.eventsReducedAway()).isEqualTo(1);
        assertThat(r.entitiesReducedAway()).isEqualTo(3);
    }
}
