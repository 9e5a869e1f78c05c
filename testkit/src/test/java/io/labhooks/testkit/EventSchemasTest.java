package io.labhooks.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.schemas.events.EventIds;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventSchemasTest {
    final EventCodec codec = new EventCodec();
    final EventSchemas schemas = new EventSchemas();

    CanonicalEvent event() {
        ObjectNode data = new ObjectMapper().createObjectNode();
        data.putObject("vendor_payload").put("id", "1");
        String key = CanonicalEvent.entityKey("generic", "thing", "1");
        return new CanonicalEvent(EventIds.of("generic", key, "lab.generic.thing.updated", 5, ""), "labhooks/test",
                "lab.generic.thing.updated", key, Instant.parse("2024-01-01T00:00:00Z"), "generic", "thing", "1", 5,
                "d-1", Instant.parse("2024-01-01T00:00:01Z"), true, data);
    }

    @Test
    void aWellFormedEventValidatesAndRoundTrips() {
        ObjectNode json = codec.toJson(event());
        assertThat(schemas.validate(json)).isEmpty();
        assertThat(schemas.familyOf("generic", "thing")).isEqualTo("generic.schema.json");
        CanonicalEvent back = codec.read(codec.write(event()));
        assertThat(back).isEqualTo(event());
    }

    @Test
    void envelopeViolationsAreFound() {
        ObjectNode json = codec.toJson(event());
        json.put("labhooksversion", "not-a-number");
        json.remove("subject");
        json.put("extra", 1);
        assertThat(schemas.validate(json)).hasSizeGreaterThanOrEqualTo(3);
    }
}
