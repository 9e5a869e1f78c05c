package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalConfigTest {
    @Test
    void theBuiltInLocalConfigIsValidAndHasOneSourcePerVendor() throws Exception {
        try (var in = LocalCommand.class.getResourceAsStream("/" + LocalCommand.BUILT_IN)) {
            var cfg = io.labhooks.config.ConfigLoader.parse(new String(in.readAllBytes()), "built-in", java.util.Map.of());
            assertThat(cfg.sources()).extracting(s -> s.vendor().id()).containsExactlyInAnyOrder("coreone", "confident", "flabs", "lml");
        }
    }
}
