package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.schemas.Topics;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsCommandTest {
    static KafkaCluster kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kafka = KafkaProvider.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private Path config() throws Exception {
        Path f = dir.resolve("labhooks.yaml");
        Files.writeString(f, """
                kafka: {bootstrap-servers: "%s"}
                topics: {partitions: 2, replication-factor: 1}
                sources:
                  - {id: big, vendor: confident, max-body-bytes: 5MiB, auth: {type: path-token, tokens: ["t"]}}
                  - {id: flabs, vendor: flabs, auth: {type: bearer, tokens: ["t"]}}
                """.formatted(kafka.bootstrapServers()));
        return f;
    }

    private static Config configOf(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
    }

    @Test
    void createsAllFourTopicsWithTheirConfigsThenVerifiesAndRepairsDrift() throws Exception {
        Path cfg = config();
        CliRun first = CliRun.of("topics", "--config", cfg.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("created  labhooks.raw.v1").contains("topics ok");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(Topics.ALL);
            assertThat(admin.describeTopics(List.of(Topics.RAW)).allTopicNames().get().get(Topics.RAW).partitions()).hasSize(2);
            assertThat(configOf(admin, Topics.ENTITIES).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configOf(admin, Topics.RAW).get("retention.ms").value()).isEqualTo(Long.toString(7L * 24 * 3600 * 1000));
            long rawMax = Long.parseLong(configOf(admin, Topics.RAW).get("max.message.bytes").value());
            assertThat(rawMax).isGreaterThan(5L << 20);

            CliRun again = CliRun.of("topics", "--config", cfg.toString());
            assertThat(again.exitCode()).isZero();
            assertThat(again.out()).doesNotContain("created").contains("topics ok");

            ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, Topics.RAW);
            admin.incrementalAlterConfigs(Map.of(raw, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "1000"),
                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            CliRun drift = CliRun.of("topics", "--config", cfg.toString());
            assertThat(drift.exitCode()).isEqualTo(1);
            assertThat(drift.out()).contains("PROBLEM  labhooks.raw.v1: retention.ms is 1000, needs 604800000");

            CliRun fixed = CliRun.of("topics", "--config", cfg.toString(), "--apply");
            assertThat(fixed.exitCode()).isZero();
            assertThat(fixed.out()).contains("altered  labhooks.raw.v1: retention.ms=604800000");
            assertThat(configOf(admin, Topics.RAW).get("retention.ms").value()).isEqualTo("604800000");
        }
    }
}
