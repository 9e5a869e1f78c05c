package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The alert rules in deploy/prometheus pass {@code promtool check rules} and their own unit tests. */
class PromtoolRulesTest {
    static final Path RULES = Path.of("..", "deploy", "prometheus");

    static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @Test
    void rulesAreValidAndTheirUnitTestsPass() throws Exception {
        String promtool = promtool();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(promtool).as("promtool is required under CI=true (apt-get install prometheus)").isNotNull();
        }
        assumeThat(promtool).as("promtool not installed (apt-get install prometheus); skipping the alert rule tests").isNotNull();
        assertThat(run(promtool, "check", "rules", "labhooks-rules.yaml")).contains("SUCCESS");
        assertThat(run(promtool, "test", "rules", "labhooks-rules.test.yaml")).contains("SUCCESS");
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(RULES.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
