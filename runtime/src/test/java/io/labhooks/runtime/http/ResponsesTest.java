package io.labhooks.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResponsesTest {
    private final ObjectMapper jackson = new ObjectMapper();

    @Test
    void theAcceptedBodyIsTheBytesJacksonWritesForEveryKindOfId() throws Exception {
        List<String> ids = new java.util.ArrayList<>(List.of("", "abc-DEF-123", "quote\"inside", "back\\slash",
                "tab\there", "µnicode", "\u0001control", "</script>"));
        for (int i = 0; i < 1000; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        for (String id : ids) {
            assertThat(new String(Responses.acceptedBytes(id), java.nio.charset.StandardCharsets.UTF_8)).as(id)
                    .isEqualTo(jackson.writeValueAsString(new Responses.Accepted(id)));
        }
        assertThat(jackson.readTree(Responses.acceptedBytes("quote\"inside")).path("delivery_id").asText())
                .isEqualTo("quote\"inside");
    }
}
