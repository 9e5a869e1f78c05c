package io.labhooks.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    final EventCodec codec = new EventCodec();

    CanonicalEvent event(String trickyId) {
        ObjectNode data = codec.mapper().createObjectNode();
        data.putObject("vendor_payload").put("note", "\"labhookshwmadvanced\":false");
        String key = CanonicalEvent.entityKey("generic", "thing", trickyId);
        return new CanonicalEvent(EventIds.of("generic", key, "lab.generic.t", 1, ""), "labhooks/g", "lab.generic.t", key,
                Instant.parse("2024-01-01T00:00:00Z"), "generic", "thing", trickyId, 1, "d", Instant.parse("2024-01-01T00:00:01Z"),
                false, data);
    }

    @Test
    void patchingTheHighWaterMarkFlagEqualsAFullRewriteAndLeavesDataAlone() {
        for (String id : new String[] {"plain", "x\",\"labhookshwmadvanced\":false,\"y", "\u00e9\u6f22"}) {
            CanonicalEvent e = event(id);
            byte[] patched = codec.withHwmAdvanced(codec.write(e));
            assertThat(patched).hasSameSizeAs(codec.write(e));
            CanonicalEvent back = codec.read(patched);
            assertThat(back).isEqualTo(e.withHwmAdvanced(true));
            assertThat(back.data().get("vendor_payload").get("note").asText()).isEqualTo("\"labhookshwmadvanced\":false");
        }
    }

    @Test
    void bytesInAnotherFormFallBackToAFullRewrite() {
        String pretty = codec.toJson(event("p")).toPrettyString();
        CanonicalEvent back = codec.read(codec.withHwmAdvanced(pretty.getBytes(StandardCharsets.UTF_8)));
        assertThat(back.hwmAdvanced()).isTrue();
    }
}
