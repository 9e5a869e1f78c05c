package io.labhooks.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.Vendor;
import io.labhooks.testkit.sim.Report;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import io.labhooks.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos scenarios (docs/reliability.md). Each runs every part as its own process from the built jar, under the
 * seeded load of all four vendors, kills something with SIGKILL, and ends with {@link Harness#check}. Run one with
 * {@code mvn -B -Pchaos -pl chaos -am package -Dtest='PipelineChaosTest#brokerKilledFor60s' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class PipelineChaosTest {
    private static final Duration LOAD = Duration.ofMinutes(8);
    private static final Set<Vendor> NONE_ALLOWED = EnumSet.noneOf(Vendor.class);

    /** The usual parts on one broker: topics, sink, normalizer, ingress. */
    private static void pipeline(Harness h) throws Exception {
        h.topics();
        h.sink("sink");
        h.normalizer("normalizer");
        h.ingress("ingress");
    }

    @Test
    void brokerKilledFor60s() throws Exception {
        try (Harness h = new Harness("broker-kill")) {
            h.singleBroker();
            pipeline(h);
            try (Load load = h.load(Load.allVendors(1))) {
                h.hold(Duration.ofSeconds(10), "load before the broker is killed");
                h.kill("broker");
                h.hold(Duration.ofSeconds(60), "broker down");
                h.restart("broker");
                Map<Vendor, Report> reports = load.await(LOAD);
                h.supervise();
                h.settle();
                h.check(load, reports, NONE_ALLOWED);
                Report confident = reports.get(Vendor.CONFIDENT);
                assertThat(confident.acknowledged()).as(confident.summary()).isEqualTo(300);
                assertThat(confident.disabled()).isFalse();
                assertThat(h.count("SELECT count(*) FROM lab_events WHERE vendor = 'confident'")).isEqualTo(300);
            }
        }
    }

    @Test
    void ingressKilledWhileItsSpoolHoldsRecords() throws Exception {
        try (Harness h = new Harness("ingress-kill")) {
            h.singleBroker();
            pipeline(h);
            try (Load load = h.load(Load.allVendors(2))) {
                h.hold(Duration.ofSeconds(10), "load before the broker is killed");
                h.kill("broker");
                await("the ingress spools while the broker is down").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).until(() -> {
                            Double records = h.ingressMetric("labhooks_spool_records");
                            assertThat(records).as("the ingress exports labhooks_spool_records (has a spool)").isNotNull();
                            return records >= 20;
                        });
                double spooled = h.ingressMetric("labhooks_spool_records");
                h.kill("ingress");
                h.restart("ingress");
                double recovered = h.ingressMetric("labhooks_spool_records");
                h.note("spool held " + spooled + " records at the kill, " + recovered + " after the restart");
                assertThat(recovered).as("the spool survived the crash").isGreaterThan(0);
                h.hold(Duration.ofSeconds(10), "broker still down after the ingress restart");
                h.restart("broker");
                Map<Vendor, Report> reports = load.await(LOAD);
                h.supervise();
                h.settle();
                Harness.Outcome o = h.check(load, reports, EnumSet.allOf(Vendor.class));
                h.note("refused connections while the only ingress was down: " + o.failures("connect")
                        + ", broken connections: " + o.failures("io"));
                for (Report r : reports.values()) {
                    assertThat(r.failures().keySet()).as(r.summary()).isSubsetOf("connect", "io", "timeout");
                }
            }
        }
    }

    @Test
    void normalizerKilledMidTransaction() throws Exception {
        try (Harness h = new Harness("normalizer-kill")) {
            h.singleBroker();
            pipeline(h);
            try (Load load = h.load(Load.allVendors(3))) {
                h.awaitEvents(100, Duration.ofMinutes(2));
                h.kill("normalizer");
                h.hold(Duration.ofSeconds(5), "normalizer down");
                h.restart("normalizer");
                h.awaitEvents(h.count("SELECT count(*) FROM lab_events") + 100, Duration.ofMinutes(2));
                h.kill("normalizer");
                h.restart("normalizer");
                Map<Vendor, Report> reports = load.await(LOAD);
                h.settle();
                h.check(load, reports, NONE_ALLOWED);
            }
        }
    }

    @Test
    void sinkKilledMidBatch() throws Exception {
        try (Harness h = new Harness("sink-kill")) {
            h.singleBroker();
            pipeline(h);
            try (Load load = h.load(Load.allVendors(4))) {
                h.awaitEvents(100, Duration.ofMinutes(2));
                h.kill("sink");
                h.hold(Duration.ofSeconds(10), "sink down");
                h.restart("sink");
                h.awaitEvents(h.count("SELECT count(*) FROM lab_events") + 100, Duration.ofMinutes(2));
                h.kill("sink");
                h.restart("sink");
                Map<Vendor, Report> reports = load.await(LOAD);
                h.settle();
                h.check(load, reports, NONE_ALLOWED);
            }
        }
    }

    @Test
    void postgresRestartedUnderLoad() throws Exception {
        try (Harness h = new Harness("postgres-restart")) {
            h.usePrivatePostgres();
            h.singleBroker();
            pipeline(h);
            try (Load load = h.load(Load.allVendors(5))) {
                h.awaitEvents(100, Duration.ofMinutes(2));
                h.note("PostgreSQL crash (pg_ctl stop -m immediate)");
                h.postgres.crash();
                h.hold(Duration.ofSeconds(20), "PostgreSQL down");
                h.postgres.startServer();
                h.note("PostgreSQL started again");
                Map<Vendor, Report> reports = load.await(LOAD);
                h.settle();
                h.check(load, reports, NONE_ALLOWED);
                assertThat(h.part("sink").alive()).as("the sink rode out the outage").isTrue();
            }
        }
    }

    @Test
    void twoNormalizersAndTwoSinksOneOfEachKilled() throws Exception {
        try (Harness h = new Harness("scaled-kill")) {
            h.partitions = 6;
            h.usePrivatePostgres();
            h.singleBroker();
            h.topics();
            h.sink("sink-1");
            h.sink("sink-2");
            h.normalizer("normalizer-1");
            h.normalizer("normalizer-2");
            h.ingress("ingress");
            try (Admin admin = h.admin()) {
                // Two processes in each group own partitions. A normalizer has a stream thread per core, each its own
                // member (client id <application-id>-<process id>-StreamThread-<n>-consumer), so its members are
                // grouped by process; the sinks share a client id, so theirs are told apart by member id.
                await("both sinks and both normalizers own partitions").atMost(Duration.ofMinutes(2)).until(() ->
                        admin.describeConsumerGroups(List.of(Harness.SINK_GROUP, Harness.NORMALIZER_APP)).all()
                                .get(10, TimeUnit.SECONDS).values().stream().allMatch(g -> g.members().stream()
                                        .filter(m -> !m.assignment().topicPartitions().isEmpty())
                                        .map(m -> m.clientId().contains("-StreamThread-")
                                                ? m.clientId().replaceFirst("-StreamThread-\\d+-consumer$", "") : m.consumerId())
                                        .distinct().count() == 2));
            }
            try (Load load = h.load(Load.allVendors(6))) {
                h.awaitEvents(100, Duration.ofMinutes(2));
                h.kill("normalizer-2");
                h.kill("sink-2");
                Map<Vendor, Report> reports = load.await(LOAD);
                h.settle();
                h.check(load, reports, NONE_ALLOWED);
            }
        }
    }

    @Test
    void twoOfThreeBrokersKilledTheIngressSpools() throws Exception {
        try (Harness h = new Harness("min-isr")) {
            h.cluster();
            pipeline(h);
            try (Admin admin = h.admin()) {
                ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, Topics.RAW);
                Config c = admin.describeConfigs(List.of(raw)).all().get(30, TimeUnit.SECONDS).get(raw);
                assertThat(c.get("min.insync.replicas").value()).isEqualTo("2");
                assertThat(admin.describeTopics(List.of(Topics.RAW)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(Topics.RAW).partitions()).allMatch(p -> p.replicas().size() == 3);
            }
            try (Load load = h.load(Load.allVendors(7))) {
                h.hold(Duration.ofSeconds(10), "load before two brokers are killed");
                h.kill("broker-2");
                h.kill("broker-3");
                await("the ingress spools while writes cannot meet min.insync.replicas").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).until(() -> {
                            Double records = h.ingressMetric("labhooks_spool_records");
                            assertThat(records).as("the ingress exports labhooks_spool_records (has a spool)").isNotNull();
                            return records > 0;
                        });
                h.hold(Duration.ofSeconds(30), "two of three brokers down");
                h.restart("broker-2");
                Map<Vendor, Report> reports = load.await(LOAD);
                h.restart("broker-3");
                h.supervise();
                h.settle();
                h.check(load, reports, NONE_ALLOWED);
            }
        }
    }
}
