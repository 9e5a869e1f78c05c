package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard is valid against Grafana's published schema: the {@code Dashboard} type of the
 * {@code @grafana/schema} npm package (Grafana itself is in neither Debian's nor npm's packages, so it cannot be run
 * here). {@code deploy/grafana/schema-check} pins the package and TypeScript; {@code npm ci} installs them.
 */
class GrafanaSchemaTest {
    static final Path CHECK = Path.of("..", "deploy", "grafana", "schema-check");
    static String node;

    @BeforeAll
    static void install() throws Exception {
        node = DeployFilesTest.executable("node");
        String npm = DeployFilesTest.executable("npm");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(node).as("node is required under CI=true").isNotNull();
            assertThat(npm).as("npm is required under CI=true").isNotNull();
        }
        assumeThat(node != null && npm != null).as("node/npm not installed; skipping the Grafana schema check").isTrue();
        if (!Files.isDirectory(CHECK.resolve("node_modules/@grafana/schema"))) {
            Run r = run(CHECK, npm, "ci", "--no-audit", "--no-fund");
            assertThat(r.code).as(r.out).isZero();
        }
    }

    @Test
    void theDashboardIsValidAgainstGrafanasPublishedSchema() throws Exception {
        Run r = run(CHECK, node, "check.mjs", "../labhooks-dashboard.json");
        assertThat(r.code).as(r.out).isZero();
        assertThat(r.out).contains("valid against @grafana/schema");
    }

    @Test
    void theCheckRefusesAFieldTheSchemaDoesNotHave(@TempDir Path tmp) throws Exception {
        String dashboard = Files.readString(CHECK.resolve("../labhooks-dashboard.json"), StandardCharsets.UTF_8);
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, dashboard.replaceFirst("\\{", "{\"noSuchField\": 1,"), StandardCharsets.UTF_8);
        Run r = run(CHECK, node, "check.mjs", bad.toAbsolutePath().toString());
        assertThat(r.code).as(r.out).isEqualTo(1);
        assertThat(r.out).contains("noSuchField");
    }

    record Run(int code, String out) {
    }

    static Run run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s did not finish", String.join(" ", cmd)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
