package io.labhooks.schemas.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/events.md shows the example consumer exactly as it is compiled here. */
class EventsConsumerExampleTest {
    @Test
    void theDocShowsTheCompiledExample() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/labhooks/schemas/example/EventsConsumerExample.java"),
                StandardCharsets.UTF_8);
        String doc = Files.readString(Path.of("..", "docs", "events.md"), StandardCharsets.UTF_8);
        String body = source.substring(source.indexOf("public final class EventsConsumerExample"));
        assertThat(doc).as("docs/events.md holds the example consumer as compiled").contains(body.strip());
    }
}
