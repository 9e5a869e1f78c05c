package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.runtime.MetricNames;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The files under deploy/ (Kubernetes manifests, compose, Grafana dashboard, Prometheus rules) agree with the code:
 * they parse, the configs they carry load, their commands and probes exist, and their metrics are in the catalogue.
 * Nothing here needs Docker or a cluster; see deploy/README.md for what only a real deployment can show.
 */
class DeployFilesTest {
    static final Path DEPLOY = Path.of("..", "deploy");
    static final Path BASE = DEPLOY.resolve("k8s/base");
    static final Path PRODUCTION = DEPLOY.resolve("k8s/overlays/production");
    static final Path COMPOSE = DEPLOY.resolve("compose");
    static final Path DASHBOARD = DEPLOY.resolve("grafana/labhooks-dashboard.json");
    static final String CONFIG_FILE = "/etc/labhooks/labhooks.yaml";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern METRIC = Pattern.compile("(?<![A-Za-z0-9_])labhooks_[a-z_]+");
    /** The parts that run as long-lived processes or jobs; local, send, bench and help are not deployed. */
    static final Set<String> DEPLOYABLE = Set.of("ingress", "normalizer", "sink", "topics");
    /** Being built on its own branch; once Main lists it, this entry is redundant. */
    static final Set<String> PLANNED = Set.of("sink");

    // ---- every file parses; kustomize references resolve ----

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files = files(DEPLOY, ".yaml", ".yml");
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        for (Path f : files) {
            List<JsonNode> docs = yamlDocs(f);
            assertThat(docs).as(f.toString()).isNotEmpty().allMatch(JsonNode::isObject, "is a mapping");
        }
    }

    @Test
    void everyFileAKustomizationNamesExists() throws IOException {
        List<Path> kustomizations = files(DEPLOY, "kustomization.yaml");
        assertThat(kustomizations).extracting(p -> DEPLOY.relativize(p.getParent()).toString().replace(File.separatorChar, '/'))
                .contains("k8s/base", "k8s/overlays/production", "k8s/components/prometheus-operator");
        for (Path k : kustomizations) {
            Path dir = k.getParent();
            JsonNode doc = yamlDoc(k);
            assertThat(doc.path("kind").asText()).as(k.toString()).isIn("Kustomization", "Component");
            List<String> refs = new ArrayList<>();
            doc.path("resources").forEach(r -> refs.add(r.asText()));
            doc.path("components").forEach(r -> refs.add(r.asText()));
            doc.path("patches").forEach(p -> {
                if (p.has("path")) {
                    refs.add(p.get("path").asText());
                }
            });
            doc.path("configMapGenerator").forEach(g -> {
                g.path("files").forEach(f -> refs.add(f.asText().replaceFirst("^[^=]+=", "")));
                g.path("envs").forEach(f -> refs.add(f.asText()));
            });
            for (String ref : refs) {
                Path target = dir.resolve(ref).normalize();
                assertThat(target).as(k + " names " + ref).exists();
                if (Files.isDirectory(target)) {
                    assertThat(target.resolve("kustomization.yaml")).as(k + " names the kustomization " + ref).exists();
                }
            }
        }
        // and the base lists every manifest beside it, except the Secret template (see the next test)
        Set<String> listed = new HashSet<>();
        yamlDoc(BASE.resolve("kustomization.yaml")).path("resources").forEach(r -> listed.add(r.asText()));
        try (Stream<Path> s = Files.list(BASE)) {
            assertThat(s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml") && !n.equals("secret.template.yaml")))
                    .allMatch(listed::contains, "is listed in k8s/base/kustomization.yaml");
        }
    }

    @Test
    void placeholderSecretIsATemplateThatNoKustomizationApplies() throws IOException {
        JsonNode secret = yamlDoc(BASE.resolve("secret.template.yaml"));
        assertThat(secret.path("kind").asText()).isEqualTo("Secret");
        assertThat(secret.path("metadata").path("name").asText()).isEqualTo("labhooks-secrets");
        assertThat(secret.path("data").isMissingNode()).as("placeholders go in stringData").isTrue();
        assertThat(strings(secret.path("stringData")).values()).isNotEmpty().allMatch("change-me"::equals, "is the placeholder change-me");
        for (Path overlay : List.of(BASE, PRODUCTION)) {
            assertThat(kustomizeResources(overlay)).as(overlay + " applies no Secret (it would overwrite the real one)")
                    .noneMatch(d -> d.path("kind").asText().equals("Secret"));
        }
    }

    // ---- the configs carried by the manifests and by compose ----

    @Test
    void productionConfigInTheConfigMapLoadsWithTheSecretAndEnvKeys() throws IOException {
        String text = productionConfigText();
        Map<String, String> env = productionEnv(BASE);
        LabhooksConfig cfg = ConfigLoader.parse(text, "deploy/k8s/base/configmap.yaml", env);
        assertThat(cfg.topics().replicationFactor()).isEqualTo((short) 3);
        assertThat(cfg.ingress().spool().dir()).as("the spool is on the /data volume").isEqualTo(Path.of("/data/spool"));
        assertThat(cfg.normalizer().stateDir()).as("the Streams state is on the /data volume").isEqualTo(Path.of("/data/streams"));
        assertThat(cfg.normalizer().standbyReplicas()).isGreaterThanOrEqualTo(1);
        assertThat(cfg.sink().jdbcUrl()).startsWith("jdbc:postgresql:");
        assertThat(cfg.sources()).extracting(s -> s.id()).containsExactlyInAnyOrder("coreone", "confident", "flabs", "lml");

        // every Secret key is used, and the production overlay's environment loads too
        Set<String> referenced = envReferences(text);
        assertThat(referenced).containsAll(strings(yamlDoc(BASE.resolve("secret.template.yaml")).path("stringData")).keySet());
        assertThatCode(() -> ConfigLoader.parse(text, "deploy/k8s/overlays/production", productionEnv(PRODUCTION))).doesNotThrowAnyException();
    }

    @Test
    void composeConfigLoadsAgainstTheThreeBrokers() throws IOException {
        JsonNode services = yamlDoc(COMPOSE.resolve("compose.yaml")).path("services");
        Map<String, String> env = envFile(COMPOSE.resolve("labhooks.env"));
        LabhooksConfig cfg = ConfigLoader.parse(Files.readString(COMPOSE.resolve("labhooks.yaml")), "deploy/compose/labhooks.yaml", env);
        assertThat(cfg.topics().replicationFactor()).isEqualTo((short) 3);

        List<String> brokers = new ArrayList<>();
        Set<String> clusterIds = new HashSet<>();
        services.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            if (s.path("image").asText().startsWith("apache/kafka:")) {
                assertThat(s.path("image").asText()).isEqualTo("apache/kafka:4.1.0");
                JsonNode kenv = s.path("environment");
                assertThat(kenv.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
                assertThat(kenv.path("KAFKA_MIN_INSYNC_REPLICAS").asInt()).isEqualTo(2);
                assertThat(kenv.path("KAFKA_DEFAULT_REPLICATION_FACTOR").asInt()).isEqualTo(3);
                assertThat(kenv.path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt()).isEqualTo(3);
                assertThat(kenv.path("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR").asInt()).isEqualTo(2);
                assertThat(kenv.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText())
                        .isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093")
                        .contains(kenv.path("KAFKA_NODE_ID").asText() + "@" + e.getKey() + ":9093");
                assertThat(kenv.path("KAFKA_ADVERTISED_LISTENERS").asText()).contains("PLAINTEXT://" + e.getKey() + ":19092");
                clusterIds.add(kenv.path("CLUSTER_ID").asText());
                brokers.add(e.getKey() + ":19092");
            }
        });
        assertThat(brokers).hasSize(3);
        assertThat(clusterIds).hasSize(1);
        assertThat(cfg.kafka().bootstrapServers().split(",")).containsExactlyInAnyOrderElementsOf(brokers);
        assertThat(services.path("postgres").path("image").asText()).isEqualTo("postgres:16");
        assertThat(services.path("postgres").path("environment").path("POSTGRES_PASSWORD").asText()).isEqualTo(env.get("PG_PASSWORD"));
        assertThat(cfg.sink().jdbcUrl()).startsWith("jdbc:postgresql://postgres:5432/");
    }

    // ---- the workloads run real commands and probe real endpoints ----

    @Test
    void workloadsRunDeployableCommandsWithTheConfigAndProbeTheHealthEndpoints() throws IOException {
        LabhooksConfig cfg = ConfigLoader.parse(productionConfigText(), "configmap", productionEnv(BASE));
        Set<String> commands = cliCommands();
        List<JsonNode> docs = kustomizeResources(BASE);
        Map<String, JsonNode> workloads = new LinkedHashMap<>();
        for (JsonNode d : docs) {
            if (Set.of("Deployment", "StatefulSet", "Job").contains(d.path("kind").asText())) {
                workloads.put(d.path("kind").asText() + "/" + d.path("metadata").path("name").asText(), d);
            }
        }
        assertThat(workloads.keySet()).containsExactlyInAnyOrder("Job/labhooks-topics", "StatefulSet/labhooks-ingress",
                "StatefulSet/labhooks-normalizer", "Deployment/labhooks-sink");
        Set<String> run = new HashSet<>();
        workloads.forEach((name, w) -> {
            JsonNode pod = w.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name + " runAsNonRoot").isTrue();
            assertThat(pod.path("containers")).as(name).hasSize(1);
            JsonNode c = pod.path("containers").get(0);
            assertThat(c.path("image").asText()).as(name).isEqualTo("labhooks/labhooks:0.1.0");
            List<String> args = texts(c.path("args"));
            String command = args.get(0);
            assertThat(command).as(name + " runs a labhooks subcommand").isIn(commands).isIn(DEPLOYABLE);
            run.add(command);
            assertThat(args).as(name).containsSequence("--config", CONFIG_FILE);
            assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(name + " readOnlyRootFilesystem").isTrue();
            assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
            assertThat(c.at("/resources/requests/memory").asText()).as(name + " requests memory").isNotEmpty();
            assertThat(c.at("/resources/limits/memory").asText()).as(name + " limits memory").isNotEmpty();
            // the config comes from the ConfigMap, the ${VAR}s from the Secret and the env ConfigMap
            Map<String, String> mounts = mounts(c);
            assertThat(mounts).as(name).containsKeys("/etc/labhooks", "/tmp");
            JsonNode configVolume = volume(pod, mounts.get("/etc/labhooks"));
            assertThat(configVolume.at("/configMap/name").asText()).as(name).isEqualTo("labhooks-config");
            assertThat(c.path("envFrom").findValuesAsText("name")).as(name).contains("labhooks-secrets", "labhooks-env");
            if (w.path("kind").asText().equals("Job")) {
                return;
            }
            int port = command.equals("ingress") ? cfg.ingress().port() : Integer.parseInt(args.get(args.indexOf("--metrics-port") + 1));
            assertThat(probePath(c, "livenessProbe")).as(name).isEqualTo("/health/live");
            assertThat(probePath(c, "readinessProbe")).as(name).isEqualTo("/health/ready");
            assertThat(probePath(c, "startupProbe")).as(name).isIn("/health/live", null);
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                if (c.has(probe)) {
                    assertThat(containerPort(c, c.path(probe).at("/httpGet/port"))).as(name + " " + probe + " port").isEqualTo(port);
                }
            }
            JsonNode annotations = w.at("/spec/template/metadata/annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).as(name).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/port").asText()).as(name + " scrape port").isEqualTo(String.valueOf(port));
            assertThat(annotations.path("prometheus.io/path").asText()).as(name).isEqualTo("/metrics");
        });
        assertThat(run).containsExactlyInAnyOrderElementsOf(DEPLOYABLE);

        JsonNode ingress = workloads.get("StatefulSet/labhooks-ingress");
        assertThat(ingress.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(ingress.at("/spec/template/spec/terminationGracePeriodSeconds").asLong())
                .as("terminationGracePeriodSeconds > 2 x ingress.shutdown-timeout (in-flight requests, then the forwarder)")
                .isGreaterThan(2 * cfg.ingress().shutdownTimeout().toSeconds());
        Map<String, String> ingressMounts = mounts(ingress.at("/spec/template/spec/containers/0"));
        assertThat(cfg.ingress().spool().dir().startsWith(Path.of("/data"))).as("the spool is under /data").isTrue();
        assertThat(ingressMounts.get("/data")).as("the spool is on the claim template's volume, so a rescheduled pod finds it")
                .isEqualTo(ingress.at("/spec/volumeClaimTemplates/0/metadata/name").asText());
        assertThat(ingress.at("/spec/template/spec/volumes").findValuesAsText("name")).as("no pod volume shadows the claim")
                .doesNotContain(ingressMounts.get("/data"));
        assertThat(ingress.at("/spec/serviceName").asText()).isNotBlank();
        assertThat(mounts(workloads.get("StatefulSet/labhooks-normalizer").at("/spec/template/spec/containers/0")).get("/data"))
                .as("the state dir is the claim template's volume")
                .isEqualTo(workloads.get("StatefulSet/labhooks-normalizer").at("/spec/volumeClaimTemplates/0/metadata/name").asText());

        // Services point at named container ports; the PDB covers the ingress pods
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            if (kind.equals("Service")) {
                JsonNode target = workloads.values().stream()
                        .filter(w -> w.at("/spec/template/metadata/labels").equals(d.at("/spec/selector"))).findFirst().orElse(null);
                assertThat(target).as("Service " + d.at("/metadata/name").asText() + " selects a workload").isNotNull();
                for (JsonNode p : d.at("/spec/ports")) {
                    assertThat(containerPort(target.at("/spec/template/spec/containers/0"), p.path("targetPort")))
                            .as("Service " + d.at("/metadata/name").asText()).isEqualTo(p.path("port").asInt());
                }
            } else if (kind.equals("PodDisruptionBudget")) {
                assertThat(d.at("/spec/selector/matchLabels")).isEqualTo(ingress.at("/spec/selector/matchLabels"));
            }
        }

        // compose runs the same commands
        JsonNode services = yamlDoc(COMPOSE.resolve("compose.yaml")).path("services");
        Set<String> composed = new HashSet<>();
        services.fields().forEachRemaining(e -> {
            if (e.getValue().path("image").asText().startsWith("labhooks/")) {
                List<String> cmd = texts(e.getValue().path("command"));
                assertThat(cmd.get(0)).as("compose service " + e.getKey()).isIn(commands).isIn(DEPLOYABLE);
                assertThat(cmd).as(e.getKey()).containsSequence("--config", CONFIG_FILE);
                assertThat(e.getValue().path("build").path("dockerfile").asText()).isEqualTo("deploy/docker/Dockerfile");
                composed.add(cmd.get(0));
            }
        });
        assertThat(composed).containsExactlyInAnyOrderElementsOf(DEPLOYABLE);
    }

    // ---- metrics: the dashboard and the rules use only catalogued names ----

    @Test
    void everyLabhooksMetricUnderDeployIsInTheCatalogue() throws Exception {
        Set<String> known = prometheusNames();
        Set<String> used = new TreeSet<>();
        for (Path f : files(DEPLOY, "")) {
            Matcher m = METRIC.matcher(Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) {
                assertThat(m.group()).as("metric in " + f + " (Prometheus names of io.labhooks.runtime.MetricNames)").isIn(known);
                used.add(m.group());
            }
        }
        assertThat(used).as("the dashboard and the rules refer to metrics at all").hasSizeGreaterThanOrEqualTo(10);
    }

    /**
     * The Prometheus names of the catalogue: the Micrometer name with '.' as '_', plus what the Prometheus registry
     * appends for the meter's type. Written out per meter, so that a dashboard cannot ask for e.g. a histogram of a
     * counter; a new constant in MetricNames must be added here.
     */
    static Set<String> prometheusNames() throws IllegalAccessException {
        Map<String, List<String>> suffixes = new LinkedHashMap<>();
        List<String> counter = List.of("_total");
        List<String> timer = List.of("_seconds", "_seconds_bucket", "_seconds_count", "_seconds_sum", "_seconds_max");
        List<String> gauge = List.of("");
        List<String> secondsGauge = List.of("_seconds");
        suffixes.put(MetricNames.INGRESS_REQUESTS, counter);
        suffixes.put(MetricNames.INGRESS_ACK, timer);
        suffixes.put(MetricNames.INGRESS_CONSECUTIVE_FAILURES, gauge);
        suffixes.put(MetricNames.INGRESS_LAST_SUCCESS, secondsGauge);       // labhooks_ingress_last_success_timestamp_seconds
        suffixes.put(MetricNames.INGRESS_IN_FLIGHT, gauge);
        suffixes.put(MetricNames.SPOOL_RECORDS, gauge);
        suffixes.put(MetricNames.SPOOL_BYTES, gauge);                       // already ends in _bytes
        suffixes.put(MetricNames.SPOOL_MAX_BYTES, gauge);                   // already ends in _bytes
        suffixes.put(MetricNames.SPOOL_OLDEST_AGE, secondsGauge);
        suffixes.put(MetricNames.SPOOL_FORWARDED, counter);
        suffixes.put(MetricNames.SPOOL_NATIVE_MEMORY, List.of("_bytes"));  // labhooks_spool_native_memory_bytes{kind}
        suffixes.put(MetricNames.NORMALIZER_EVENTS, counter);
        suffixes.put(MetricNames.SINK_ROWS, counter);
        suffixes.put(MetricNames.SINK_DEAD_LETTERS, counter);
        suffixes.put(MetricNames.SINK_BATCH, timer);
        suffixes.put(MetricNames.PIPELINE_LATENCY, timer);

        Set<String> catalogue = new TreeSet<>();
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && ((String) f.get(null)).startsWith("labhooks.")) {
                catalogue.add((String) f.get(null));
            }
        }
        assertThat(suffixes.keySet()).as("every metric in MetricNames has its Prometheus suffixes here").containsExactlyInAnyOrderElementsOf(catalogue);
        Set<String> names = new HashSet<>();
        suffixes.forEach((micrometer, ends) -> ends.forEach(end -> names.add(micrometer.replace('.', '_') + end)));
        return names;
    }

    @Test
    void dashboardHasAQueryInEveryPanelAndCoversThePipeline() throws IOException {
        JsonNode dash = JSON.readTree(DASHBOARD.toFile());
        assertThat(dash.path("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(dash.path("uid").asText()).isNotBlank();
        Map<String, JsonNode> vars = new HashMap<>();
        dash.at("/templating/list").forEach(v -> vars.put(v.path("name").asText(), v));
        assertThat(vars.get("DS_PROMETHEUS")).isNotNull();
        assertThat(vars.get("DS_PROMETHEUS").path("type").asText()).isEqualTo("datasource");
        assertThat(vars.get("DS_PROMETHEUS").path("query").asText()).isEqualTo("prometheus");
        assertThat(vars.get("source")).isNotNull();
        assertThat(vars.get("source").at("/query/query").asText()).contains("labhooks_ingress_requests_total");

        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dash.path("panels"), panels);
        Set<Integer> ids = new HashSet<>();
        StringBuilder exprs = new StringBuilder();
        for (JsonNode p : panels) {
            String title = p.path("title").asText();
            assertThat(ids.add(p.path("id").asInt())).as("unique panel id " + title).isTrue();
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(p.at("/datasource/uid").asText()).as(title).isEqualTo("${DS_PROMETHEUS}");
            assertThat(p.path("targets")).as(title + " has targets").isNotEmpty();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("expr").asText()).as(title + " target " + t.path("refId").asText()).isNotBlank();
                exprs.append(t.path("expr").asText()).append('\n');
            }
        }
        assertThat(exprs.toString()).contains(
                "labhooks_ingress_requests_total", "labhooks_ingress_consecutive_failures", "labhooks_ingress_ack_seconds_bucket",
                "labhooks_ingress_in_flight", "labhooks_ingress_last_success_timestamp_seconds", "labhooks_normalizer_events_total",
                "outcome=\"invalid\"", "labhooks_sink_rows_total", "labhooks_sink_batch_seconds", "labhooks_pipeline_latency_seconds_bucket",
                "labhooks_spool_records", "labhooks_spool_bytes", "labhooks_spool_max_bytes", "labhooks_spool_oldest_age_seconds",
                "labhooks_spool_forwarded_total", "labhooks_spool_native_memory_bytes", "jvm_memory_used_bytes",
                "histogram_quantile(0.5", "histogram_quantile(0.99", "$source");
        JsonNode streak = panels.stream().filter(p -> p.path("targets").toString().contains("labhooks_ingress_consecutive_failures"))
                .findFirst().orElseThrow();
        assertThat(streak.at("/fieldConfig/defaults/thresholds/steps").findValues("value"))
                .as("the streak panel marks Confident's limit of 10").anyMatch(v -> v.asInt() == 10);
    }

    @Test
    void dashboardExpressionsAreValidPromQl(@TempDir Path tmp) throws Exception {
        String promtool = PromtoolRulesTest.promtool();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(promtool).as("promtool is required under CI=true (apt-get install prometheus)").isNotNull();
        }
        assumeThat(promtool).as("promtool not installed; skipping the PromQL syntax check of the dashboard").isNotNull();
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(JSON.readTree(DASHBOARD.toFile()).path("panels"), panels);
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText().replace("$__rate_interval", "5m").replace("$source", ".*").replace("$vendor", ".*");
                rules.append("      - record: dashboard_expr_").append(++n).append('\n')
                        .append("        expr: ").append(JSON.writeValueAsString(expr)).append('\n');
            }
        }
        Path file = tmp.resolve("dashboard-rules.yaml");
        Files.writeString(file, rules);
        Process p = new ProcessBuilder(promtool, "check", "rules", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("SUCCESS: " + n + " rules found");
    }

    // ---- optional: a real kustomize build, where kustomize or kubectl is installed (not on CI) ----

    @Test
    void overlaysBuildWithKustomize(@TempDir Path tmp) throws Exception {
        List<String> kustomize = executable("kustomize") != null ? List.of(executable("kustomize"), "build")
                : executable("kubectl") != null ? List.of(executable("kubectl"), "kustomize") : null;
        assumeThat(kustomize).as("neither kustomize nor kubectl installed; skipping the kustomize build").isNotNull();
        String production = build(kustomize, PRODUCTION);
        assertThat(production).contains("kind: StatefulSet", "namespace: labhooks", "registry.example.com/labhooks/labhooks:0.1.0")
                .doesNotContain("kind: Secret", "kind: ServiceMonitor");
        // the optional component, on top of the production overlay (kustomize wants relative paths)
        Path root = tmp.toAbsolutePath();
        Files.writeString(tmp.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                + "resources:\n  - " + root.relativize(PRODUCTION.toAbsolutePath().normalize()) + "\n"
                + "components:\n  - " + root.relativize(DEPLOY.resolve("k8s/components/prometheus-operator").toAbsolutePath().normalize()) + "\n");
        String withOperator = build(kustomize, tmp);
        assertThat(withOperator).contains("kind: ServiceMonitor", "prometheus.io/scrape: \"false\"").doesNotContain("prometheus.io/scrape: \"true\"");
    }

    private static String build(List<String> kustomize, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>(kustomize);
        cmd.add(dir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theImageIsBuiltFromTheProductionJarNotTheDevKit() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
        assertThat(dockerfile).contains("cli/target/labhooks.jar").doesNotContain("labhooks-dev.jar").doesNotContain("cli-dev");
        String ignore = Files.readString(DEPLOY.resolve("docker/Dockerfile.dockerignore"));
        assertThat(ignore).contains("!cli/target/labhooks.jar").doesNotContain("labhooks-dev.jar");
        for (Path f : files(DEPLOY, ".yaml", ".yml")) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain("labhooks-dev.jar").doesNotContain("cli-dev");
        }
    }

    // ---- helpers ----

    static Set<String> cliCommands() {
        // the production jar's commands: the dev kit's (local, send, bench) are placeholders there
        Set<String> commands = new HashSet<>();
        Main.commandLine().getSubcommands().forEach((name, cl) -> {
            if (!(cl.getCommand() instanceof DevOnly)) {
                commands.add(name);
            }
        });
        commands.addAll(PLANNED);
        return commands;
    }

    static String productionConfigText() throws IOException {
        return yamlDocs(BASE.resolve("configmap.yaml")).stream()
                .filter(d -> d.path("kind").asText().equals("ConfigMap") && d.at("/metadata/name").asText().equals("labhooks-config"))
                .map(d -> d.at("/data/labhooks.yaml").asText()).findFirst().orElseThrow();
    }

    /** What a pod's environment holds: the Secret's keys (placeholder values) and the labhooks-env literals up to {@code overlay}. */
    static Map<String, String> productionEnv(Path overlay) throws IOException {
        Map<String, String> env = new HashMap<>(strings(yamlDoc(BASE.resolve("secret.template.yaml")).path("stringData")));
        List<Path> chain = overlay.equals(BASE) ? List.of(BASE) : List.of(BASE, overlay);
        for (Path dir : chain) {
            for (JsonNode g : yamlDoc(dir.resolve("kustomization.yaml")).path("configMapGenerator")) {
                if (g.path("name").asText().equals("labhooks-env")) {
                    for (JsonNode literal : g.path("literals")) {
                        String[] kv = literal.asText().split("=", 2);
                        env.put(kv[0], kv[1]);
                    }
                }
            }
        }
        return env;
    }

    static Set<String> envReferences(String text) {
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)").matcher(text);
        Set<String> names = new HashSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                env.put(kv[0].trim(), kv[1].trim());
            }
        }
        return env;
    }

    /** The documents a kustomization applies, following resources and components (patches are not applied). */
    static List<JsonNode> kustomizeResources(Path dir) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        JsonNode k = yamlDoc(dir.resolve("kustomization.yaml"));
        List<String> refs = new ArrayList<>(texts(k.path("resources")));
        refs.addAll(texts(k.path("components")));
        for (String ref : refs) {
            Path p = dir.resolve(ref).normalize();
            docs.addAll(Files.isDirectory(p) ? kustomizeResources(p) : yamlDocs(p));
        }
        return docs;
    }

    static Map<String, String> mounts(JsonNode container) {
        Map<String, String> m = new HashMap<>();
        container.path("volumeMounts").forEach(v -> m.put(v.path("mountPath").asText(), v.path("name").asText()));
        return m;
    }

    static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    static String probePath(JsonNode container, String probe) {
        return container.has(probe) ? container.path(probe).at("/httpGet/path").asText() : null;
    }

    /** A port given by number or by a container port's name, as the number the container listens on. */
    static int containerPort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + port.asText());
    }

    static void collectPanels(JsonNode panels, List<JsonNode> out) {
        for (JsonNode p : panels) {
            out.add(p);
            collectPanels(p.path("panels"), out);
        }
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> m = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    static List<String> texts(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }

    static List<JsonNode> yamlDocs(Path file) throws IOException {
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
            return it.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).collect(Collectors.toList());
        }
    }

    static JsonNode yamlDoc(Path file) throws IOException {
        List<JsonNode> docs = yamlDocs(file);
        assertThat(docs).as(file.toString()).hasSize(1);
        return docs.get(0);
    }

    /** Regular files under {@code root} whose names end with one of {@code endings} ("" for all). */
    static List<Path> files(Path root, String... endings) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("node_modules"))   // the Grafana schema check's npm packages
                    .filter(p -> Stream.of(endings).anyMatch(e -> p.getFileName().toString().endsWith(e)))
                    .sorted().collect(Collectors.toList());
        }
    }

    static String executable(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
