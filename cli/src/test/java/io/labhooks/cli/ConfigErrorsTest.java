package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aBadConfigExitsWith2AndListsEveryProblemWithoutSecrets() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                kafka: {bootstrap-servers: "nohostport"}
                ingress: {port: 99999, ack: maybe}
                sources:
                  - {id: flabs, vendor: flabs, auth: {type: bearer, tokens: ["super-secret-token"], secretz: [x]}}
                """);
        CliRun r = CliRun.of("ingress", "--config", f.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("kafka.bootstrap-servers").contains("ingress.port").contains("ingress.ack")
                .contains("sources[0].auth.secretz").doesNotContain("super-secret-token").doesNotContain("\tat ");
    }

    @Test
    void aMissingConfigFileIsReportedClearly() {
        CliRun r = CliRun.of("topics", "--config", dir.resolve("missing.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("missing.yaml").contains("no such file");
    }
}
