package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The alert rules in deploy/prometheus pass {@code promtool check rules} and their own unit tests. */
class PromtoolRulesTest {
    static final Path RULES = Path.of("..", "deploy", "prometheus");

    static String promtool() {
        return DeployFilesTest.executable("promtool");
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

    /** Each alert has a promtool case where it fires and one where it does not. */
    @Test
    void everyAlertHasAFiringAndAQuietCase() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode rules = yaml.readTree(RULES.resolve("labhooks-rules.yaml").toFile());
        JsonNode tests = yaml.readTree(RULES.resolve("labhooks-rules.test.yaml").toFile());
        Set<String> alerts = new TreeSet<>();
        rules.path("groups").forEach(g -> g.path("rules").forEach(r -> {
            if (r.hasNonNull("alert")) {
                alerts.add(r.get("alert").asText());
            }
        }));
        Set<String> fires = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        tests.path("tests").forEach(t -> t.path("alert_rule_test").forEach(a -> {
            JsonNode exp = a.path("exp_alerts");
            (exp.isArray() && !exp.isEmpty() ? fires : quiet).add(a.path("alertname").asText());
        }));
        assertThat(alerts).as("alert rules").isNotEmpty();
        assertThat(fires).as("alerts with a case that fires").containsAll(alerts);
        assertThat(quiet).as("alerts with a case that does not fire").containsAll(alerts);
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(RULES.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
