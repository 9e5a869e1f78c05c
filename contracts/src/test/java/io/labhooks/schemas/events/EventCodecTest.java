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

    @Test
    void readLocatedFindsTheDataSpanBuildsOnlyTheFieldsAskedForAndRefusesTrailingContent() {
        CanonicalEvent e = event("\u00e9\u6f22");
        e.data().put("results", 3);
        byte[] bytes = codec.toJson(e).toPrettyString().getBytes(StandardCharsets.UTF_8);

        EventCodec.Located all = codec.readLocated(bytes, f -> true);
        assertThat(all.event()).isEqualTo(codec.read(bytes));
        assertThat(codec.mapper().createObjectNode().setAll(all.event().data()).toString())
                .isEqualTo(e.data().toString());
        String span = all.dataJson(bytes);
        assertThat(span).startsWith("{").endsWith("}").contains("\"note\"");
        assertThat(codec.mapper().valueToTree(codec.read(bytes).data()).toString()).isEqualTo(e.data().toString());

        EventCodec.Located some = codec.readLocated(bytes, f -> !f.equals("vendor_payload"));
        assertThat(some.event().data().has("vendor_payload")).isFalse();
        assertThat(some.event().data().get("results").asInt()).isEqualTo(3);
        assertThat(some.dataJson(bytes)).isEqualTo(span);
        assertThat(some.event().id()).isEqualTo(e.id());

        assertThat(codec.readLocated(bytes, f -> false).event().data()).isEmpty();
        byte[] trailing = (new String(bytes, StandardCharsets.UTF_8) + "{}").getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.readLocated(trailing, f -> true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the event");
        byte[] broken = new String(bytes, StandardCharsets.UTF_8).replace("\"note\"", "\"note\" \"x\"").getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.readLocated(broken, f -> false))
                .as("a skipped field is still checked").isInstanceOf(IllegalArgumentException.class);
    }
}
