package io.labhooks.sink.it;

import io.labhooks.testkit.events.TestEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.schemas.Headers;
import io.labhooks.runtime.MetricNames;
import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.sink.SinkApp;
import io.labhooks.sink.SinkHooks;
import io.labhooks.sink.SinkStatus;
import io.labhooks.sink.Warehouse;
import io.labhooks.sink.metrics.SinkMetrics;
import io.labhooks.sink.write.RowMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The sink against a real broker and a real database; one subclass per dialect. Each test gets empty topics,
 * a fresh database (its own PostgreSQL schema, or its own SQLite file) and its own consumer group.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractSinkTest {
    private static final Duration CONSUMED = Duration.ofSeconds(90);

    protected SinkFixture fx;
    protected TestDatabase db;
    protected final TestEvents ev = new TestEvents();
    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private KafkaProducer<String, byte[]> producer;

    /** A fresh, migrated-nowhere database for one test. */
    protected abstract TestDatabase newDatabase() throws Exception;

    /** A way to take {@link #db} away from the sink for a while. */
    protected abstract Outage newOutage() throws Exception;

    /** {@code postgresql} or {@code sqlite}: which tagged query blocks of docs/warehouse.md apply. */
    protected abstract String dialect();

    /** The DLQ reason of a result value beyond numeric(30,10). */
    protected abstract String outOfRangeReason();

    /** Why this database cannot be tested here (each test is then skipped with it), or null. */
    protected String unavailable() {
        return null;
    }

    private String skipReason;

    @BeforeAll
    void startKafka() {
        skipReason = unavailable();
        if (skipReason == null) {
            fx = new SinkFixture();
        }
    }

    @AfterAll
    void stopKafka() {
        if (fx != null) {
            fx.close();
        }
    }

    @BeforeEach
    void freshTopicsAndDatabase() throws Exception {
        Assumptions.assumeTrue(skipReason == null, () -> skipReason);
        fx.recreateTopics();
        db = newDatabase();
        producer = fx.producer();
    }

    @AfterEach
    void closeEverything() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }

    // ------------------------------------------------------------------ helpers

    protected static String group() {
        return "sink-test-" + UUID.randomUUID();
    }

    protected LabhooksConfig config(String group, int batchSize) {
        return fx.config(db.jdbcUrl(), db.username(), group, batchSize, Map.of());
    }

    protected SinkApp start(LabhooksConfig config, MeterRegistry registry, SinkHooks hooks, Runnable onFatal) {
        SinkApp app = new SinkApp(config, registry, onFatal, hooks);
        cleanup.push(app);
        return app.start();
    }

    protected SinkApp start(LabhooksConfig config, MeterRegistry registry) {
        return start(config, registry, SinkHooks.NONE, () -> {
            throw new AssertionError("the sink failed");
        });
    }

    protected static double rows(MeterRegistry registry, String table, String outcome) {
        Counter c = registry.find(MetricNames.SINK_ROWS).tags(MetricNames.TAG_TABLE, table, MetricNames.TAG_OUTCOME, outcome)
                .counter();
        return c == null ? 0 : c.count();
    }

    protected void send(CanonicalEvent e) throws Exception {
        fx.send(producer, e, true);
    }

    protected void sendEntityOnly(CanonicalEvent e) throws Exception {
        byte[] v = fx.codec.write(e);
        producer.send(SinkFixture.record(Topics.ENTITIES, e.entityKey(), v, e)).get();
    }

    protected Connection sql() throws Exception {
        Connection c = db.connect();
        cleanup.push(c);
        return c;
    }

    protected static Instant received() {
        return Instant.now().minusMillis(50);
    }

    /**
     * Realistic data for every documented query, with known answers: six samples of three strains, three revisions
     * each; S-2's Myclobutanil (limit 0.5) passes at 0.3 in revision 1 and fails at 0.9 from revision 2; S-4's
     * moisture (range up to 15) fails at 16 in revision 3 only. Bills, one of them deleted.
     */
    protected List<CanonicalEvent> population() {
        List<CanonicalEvent> out = new ArrayList<>();
        String[] strains = {"Blue Dream", "OG Kush", "Sour Diesel"};
        for (int s = 0; s < 6; s++) {
            for (int rev = 1; rev <= 3; rev++) {
                long version = TestEvents.BASE_MICROS + s * 10_000_000L + rev * 1_000_000L;
                List<ObjectNode> results = new ArrayList<>(ev.potency(version));
                boolean pesticideFails = s == 2 && rev >= 2;
                boolean moistureFails = s == 4 && rev == 3;
                results.add(ev.limited("pesticides", "Myclobutanil", new BigDecimal(pesticideFails ? "0.9" : "0.3"), "ppm",
                        new BigDecimal("0.5"), null, pesticideFails ? "fail" : "pass", pesticideFails ? "fail" : "pass"));
                results.add(ev.limited("moisture", "moisture", new BigDecimal(moistureFails ? "16" : "12"), "%", null,
                        new BigDecimal("15"), moistureFails ? "fail" : "pass", moistureFails ? "fail" : "pass"));
                List<ObjectNode> categories = List.of(
                        ev.category("pesticides", pesticideFails ? "fail" : "pass", "2024-05-0" + rev, "ppm", "mg/kg"),
                        ev.category("moisture", moistureFails ? "fail" : "pass", "2024-04-2" + rev, "%", "%"));
                out.add(ev.confidentSample("S-" + s, version, received(), results, categories,
                        pesticideFails || moistureFails ? "fail" : "pass", strains[s % strains.length], false));
            }
        }
        for (int b = 0; b < 3; b++) {
            for (int rank = 1; rank <= (b == 0 ? 4 : 3); rank++) {
                out.add(ev.flabsBill("lab1", "B-" + b, 1_714_600_000L + b * 100, rank, received()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void replayingTheSameTopicsTwiceGivesAnIdenticalDatabase() throws Exception {
        List<CanonicalEvent> events = population();
        fx.sendAll(producer, events);
        // a redelivered event, as a producer retry upstream would cause
        fx.send(producer, events.get(0), false);

        String first = group();
        MeterRegistry r1 = new SimpleMeterRegistry();
        try (SinkApp app = new SinkApp(config(first, 7), r1, () -> {
            throw new AssertionError("failed");
        })) {
            app.start();
            fx.awaitConsumed(first, CONSUMED);
        }
        Map<String, List<List<String>>> once = SinkFixture.dump(sql());
        assertThat(once.get("lab_events")).hasSize(events.size());
        assertThat(once.get("lab_entities")).hasSize(9);
        assertThat(once.get("lab_results")).hasSize(6 * 6);
        assertThat(once.get("lab_result_categories")).hasSize(6 * 2);

        String second = group();
        MeterRegistry r2 = new SimpleMeterRegistry();
        SinkApp replay = start(config(second, 1000), r2);
        fx.awaitConsumed(second, CONSUMED);
        assertThat(SinkFixture.dump(sql())).isEqualTo(once);
        assertThat(rows(r2, SinkMetrics.EVENTS, SinkMetrics.INSERTED)).isZero();
        assertThat(rows(r2, SinkMetrics.ENTITIES, SinkMetrics.INSERTED) + rows(r2, SinkMetrics.ENTITIES, SinkMetrics.UPDATED))
                .isZero();
        assertThat(rows(r2, SinkMetrics.EVENTS, SinkMetrics.SKIPPED)).isEqualTo(events.size() + 1);
        assertThat(replay.status()).isEqualTo(SinkStatus.RUNNING);
        // the first run measured the SLO per vendor
        Timer latency = r1.find(MetricNames.PIPELINE_LATENCY).tag(MetricNames.TAG_VENDOR, "confident").timer();
        assertThat(latency).isNotNull();
        assertThat(latency.count()).isEqualTo(18);
        assertThat(r1.find(MetricNames.SINK_BATCH).timer().count()).isPositive();
    }

    @Test
    void entitiesArrivingOutOfOrderEndAtTheNewestVersion() throws Exception {
        long[] order = {2, 5, 1, 4, 3};
        for (String id : List.of("A", "B")) {
            for (long step : order) {
                long v = TestEvents.BASE_MICROS + step;
                send(ev.confidentSample(id, v, received(), ev.potency(v)));
            }
        }
        String g = group();
        // batch size 1: every version is its own transaction, so the database's version guard decides
        start(config(g, 1), new SimpleMeterRegistry());
        fx.awaitConsumed(g, CONSUMED);

        Connection c = sql();
        for (String id : List.of("A", "B")) {
            String key = "confident:sample:" + id;
            assertThat(SinkFixture.count(c, "SELECT version FROM lab_entities WHERE entity_key = ?", key))
                    .isEqualTo(TestEvents.BASE_MICROS + 5);
            assertThat(new BigDecimal(SinkFixture.rows(c,
                    "SELECT value FROM lab_results WHERE entity_key = ? AND analyte = 'THC'", key).get(0).get(0)))
                    .isEqualByComparingTo("21.55");
            assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_events WHERE entity_key = ?", key)).isEqualTo(5);
        }
    }

    @Test
    void anOldVersionAfterANewerOneChangesNothing() throws Exception {
        long v3 = TestEvents.BASE_MICROS + 3_000_000;
        long v2 = TestEvents.BASE_MICROS + 2_000_000;
        send(ev.confidentSample("OLD", v3, received(), ev.potency(v3)));
        String g = group();
        MeterRegistry registry = new SimpleMeterRegistry();
        start(config(g, 100), registry);
        fx.awaitConsumed(g, CONSUMED);
        Connection c = sql();
        Map<String, List<List<String>>> before = SinkFixture.dump(c);
        assertThat(before.get("lab_results")).hasSize(4);

        List<ObjectNode> otherPanel = List.of(ev.result("cannabinoids", "THC", new BigDecimal("1.0"), null, "%", "fail"),
                ev.result("cannabinoids", "THCA", new BigDecimal("2.0"), null, "%", "fail"));
        CanonicalEvent stale = ev.confidentSample("OLD", v2, received(), otherPanel, "Stale Strain", false);
        sendEntityOnly(stale);
        fx.awaitConsumed(g, CONSUMED);

        Map<String, List<List<String>>> after = SinkFixture.dump(c);
        assertThat(after.get("lab_entities")).isEqualTo(before.get("lab_entities"));
        assertThat(after.get("lab_results")).isEqualTo(before.get("lab_results"));
        assertThat(rows(registry, SinkMetrics.ENTITIES, SinkMetrics.SKIPPED)).isEqualTo(1);
        assertThat(rows(registry, SinkMetrics.RESULTS, SinkMetrics.INSERTED)).isEqualTo(4);
    }

    @Test
    void aDeletedBillIsMarkedDeletedAndADeletedSampleLosesItsResults() throws Exception {
        for (int rank = 1; rank <= 4; rank++) {
            send(ev.flabsBill("lab9", "B-77", 1_714_600_000L, rank, received()));
        }
        long v1 = TestEvents.BASE_MICROS + 1_000_000;
        long v2 = TestEvents.BASE_MICROS + 2_000_000;
        send(ev.confidentSample("GONE", v1, received(), ev.potency(v1)));
        String g = group();
        start(config(g, 1), new SimpleMeterRegistry());
        fx.awaitConsumed(g, CONSUMED);
        Connection c = sql();
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_results WHERE entity_key = 'confident:sample:GONE'"))
                .isEqualTo(4);

        send(ev.confidentSample("GONE", v2, received(), ev.potency(v2), "Blue Dream", true));
        fx.awaitConsumed(g, CONSUMED);

        List<List<String>> bill = SinkFixture.rows(c,
                "SELECT version, CASE WHEN deleted THEN 'yes' ELSE 'no' END FROM lab_entities WHERE entity_key = ?",
                "flabs:bill:lab9:B-77");
        assertThat(bill).containsExactly(List.of(Long.toString(1_714_600_000L * 1000 + 4), "yes"));
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_entities WHERE entity_key = ? AND deleted",
                "confident:sample:GONE")).isEqualTo(1);
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_results WHERE entity_key = 'confident:sample:GONE'"))
                .isZero();
    }

    @Test
    void aCrashBetweenTheDatabaseCommitAndTheOffsetCommitReplaysWithoutDuplicates() throws Exception {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            for (int rev = 1; rev <= 2; rev++) {
                long v = TestEvents.BASE_MICROS + i * 10L + rev;
                events.add(ev.confidentSample("K" + i, v, received(), ev.potency(v)));
            }
        }
        fx.sendAll(producer, events);
        String g = group();
        AtomicInteger commits = new AtomicInteger();
        AtomicBoolean fatal = new AtomicBoolean();
        SinkApp crashing = start(config(g, 40), new SimpleMeterRegistry(), SinkHooks.NONE.withCommitHook(() -> {
            if (commits.incrementAndGet() == 1) {
                throw new IllegalStateException("simulated crash after the database commit");
            }
        }), () -> fatal.set(true));
        await().atMost(CONSUMED).untilTrue(fatal);
        assertThat(crashing.status()).isEqualTo(SinkStatus.FAILED);
        crashing.close();
        assertThat(fx.committed(g)).as("no offset was committed").isEmpty();
        Connection c = sql();
        long landedBeforeCrash = SinkFixture.count(c, "SELECT count(*) FROM lab_events");
        long entitiesBeforeCrash = SinkFixture.count(c, "SELECT count(*) FROM lab_entities");
        assertThat(landedBeforeCrash + entitiesBeforeCrash).as("the first batch was committed to the database")
                .isPositive();

        MeterRegistry registry = new SimpleMeterRegistry();
        start(config(g, 40), registry);
        fx.awaitConsumed(g, CONSUMED);

        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_events")).isEqualTo(events.size());
        assertThat(SinkFixture.count(c, "SELECT count(DISTINCT event_id) FROM lab_events")).isEqualTo(events.size());
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_entities")).isEqualTo(60);
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_entities WHERE version % 10 = "
                + (TestEvents.BASE_MICROS + 2) % 10)).isEqualTo(60);
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_results")).isEqualTo(60 * 4);
        // the replayed part of the first batch was skipped, not written twice
        assertThat(rows(registry, SinkMetrics.EVENTS, SinkMetrics.SKIPPED)).isEqualTo(landedBeforeCrash);
        assertThat(rows(registry, SinkMetrics.EVENTS, SinkMetrics.INSERTED)).isEqualTo(events.size() - landedBeforeCrash);
    }

    @Test
    void jsonBoundAsBytesIsStoredAsTextWithEveryCharacterIntact() throws Exception {
        String unit = "\u00b5g/g \u0394\u2079-THC \ud83d\ude00 \"q\" \\ tab\t";
        CanonicalEvent e = ev.confidentSample("UNI", TestEvents.BASE_MICROS + 1, received(),
                List.of(ev.result("potency", "caf\u00e9", new BigDecimal("1.5"), "1.5", unit, "pass")));
        send(e);
        String g = group();
        start(config(g, 10), new SimpleMeterRegistry());
        fx.awaitConsumed(g, CONSUMED);

        Connection c = sql();
        String textType = dialect().equals("sqlite") ? "typeof(state)" : "jsonb_typeof(state)";
        assertThat(SinkFixture.rows(c, "SELECT " + textType + ", " + textType.replace("state", "payload")
                + " FROM lab_entities JOIN lab_events ON lab_events.event_id = lab_entities.last_event_id"))
                .as("text (SQLite) or a JSON object (PostgreSQL), never a blob")
                .containsExactly(dialect().equals("sqlite") ? List.of("text", "text") : List.of("object", "object"));
        com.fasterxml.jackson.databind.JsonNode state = fx.codec.mapper().readTree(
                SinkFixture.rows(c, "SELECT state FROM lab_entities").get(0).get(0));
        assertThat(state.path("results").get(0).path("unit").asText()).isEqualTo(unit);
        com.fasterxml.jackson.databind.JsonNode payload = fx.codec.mapper().readTree(
                SinkFixture.rows(c, "SELECT payload FROM lab_events").get(0).get(0));
        assertThat(payload.path("data").path("results").get(0).path("analyte").asText()).isEqualTo("caf\u00e9");
        assertThat(SinkFixture.rows(c, "SELECT unit FROM lab_results")).containsExactly(List.of(unit));
    }

    @Test
    void theNextBatchIsPolledAndDecodedWhileOneIsWritten() throws Exception {
        // batches of one record, all three in one partition: each is refused as it is decoded, which logs
        for (int i = 0; i < 3; i++) {
            producer.send(SinkFixture.record(Topics.ENTITIES, "garbage", ("{not an event " + i).getBytes(StandardCharsets.UTF_8),
                    null)).get();
        }
        ch.qos.logback.classic.Logger decodeLog = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
                "io.labhooks.sink.consume.PendingBatch");
        ListAppender<ILoggingEvent> decoded = new ListAppender<>();
        decoded.start();
        decodeLog.addAppender(decoded);
        cleanup.push(() -> decodeLog.detachAppender(decoded));
        String g = group();
        CountDownLatch inFirstWrite = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger commits = new AtomicInteger();
        SinkApp app = start(config(g, 1), new SimpleMeterRegistry(), SinkHooks.NONE.withCommitHook(() -> {
            if (commits.incrementAndGet() == 1) {
                inFirstWrite.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }), () -> {
            throw new AssertionError("the sink failed");
        });
        await().atMost(CONSUMED).until(() -> inFirstWrite.getCount() == 0);
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.copyOf(decoded.list))
                    .as("the second record was decoded while the first batch was being written")
                    .hasSize(2).allMatch(e -> e.getThreadName().equals("labhooks-sink-decode")));
        } finally {
            release.countDown();
        }
        fx.awaitConsumed(g, CONSUMED);
        assertThat(fx.readDlq(3)).hasSize(3);
        assertThat(commits.get()).as("each batch written in turn").isEqualTo(3);
        app.close();
        assertThat(Thread.getAllStackTraces().keySet()).as("the decoding thread stops with the sink")
                .noneMatch(t -> t.getName().equals("labhooks-sink-decode"));
    }

    @Test
    void anOutageOfTwentySecondsIsRiddenOutWithoutLeavingTheGroup() throws Exception {
        Outage outage = newOutage();
        cleanup.push(outage);
        String g = group();
        // a short max.poll.interval.ms: a loop that stopped polling during the outage would be thrown out
        LabhooksConfig config = fx.config(outage.jdbcUrl(), db.username(), g, 50,
                Map.of("max.poll.interval.ms", "10000"));
        RebalanceCounter rebalances = new RebalanceCounter();
        SinkApp app = start(config, new SimpleMeterRegistry(), SinkHooks.NONE.withRebalances(rebalances), () -> {
            throw new AssertionError("failed");
        });
        List<CanonicalEvent> before = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            before.add(ev.confidentSample("O" + i, TestEvents.BASE_MICROS + 1, received(), ev.potency(1)));
        }
        fx.sendAll(producer, before);
        fx.awaitConsumed(g, CONSUMED);
        List<String> members = fx.members(g);
        assertThat(members).hasSize(1);

        outage.begin();
        List<CanonicalEvent> during = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            during.add(ev.confidentSample("O" + (i % 150), TestEvents.BASE_MICROS + 2 + i / 150, received(),
                    ev.potency(2 + i / 150)));
        }
        fx.sendAll(producer, during);
        await().atMost(Duration.ofSeconds(30)).until(() -> app.status() == SinkStatus.BACKING_OFF);
        await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(40))
                .until(() -> app.status() == SinkStatus.BACKING_OFF);
        assertThat(fx.lag(g)).as("records wait in Kafka while the warehouse is away").isPositive();
        outage.end();

        fx.awaitConsumed(g, CONSUMED);
        assertThat(app.status()).isEqualTo(SinkStatus.RUNNING);
        Connection c = sql();
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_events")).isEqualTo(400);
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_entities")).isEqualTo(150);
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_entities WHERE version = ?",
                TestEvents.BASE_MICROS + 3)).isEqualTo(150);
        assertThat(fx.members(g)).as("the same member, never rebalanced out").isEqualTo(members);
        assertThat(rebalances.assigned.get()).isEqualTo(1);
        assertThat(rebalances.revoked.get()).isZero();
        assertThat(rebalances.lost.get()).isZero();
    }

    @Test
    void aFullConfidentPanelLandsAsOneRowPerAnalyte() throws Exception {
        List<ObjectNode> panel = ev.fullPanel(150);
        long v = TestEvents.BASE_MICROS + 42;
        send(ev.confidentSample("PANEL", v, received(), panel));
        String g = group();
        start(config(g, 100), new SimpleMeterRegistry());
        fx.awaitConsumed(g, CONSUMED);

        Connection c = sql();
        List<List<String>> rows = SinkFixture.rows(c, "SELECT analyte, value, value_text, unit FROM lab_results "
                + "WHERE entity_key = 'confident:sample:PANEL' ORDER BY analyte");
        assertThat(rows).hasSize(150);
        for (List<String> row : rows) {
            int i = Integer.parseInt(row.get(0).substring(row.get(0).lastIndexOf('_') + 1));
            String value = row.get(1);
            switch (i % 5) {
                case 0 -> assertThat(new BigDecimal(value)).isEqualByComparingTo(i + ".125");
                case 1 -> assertThat(value).as("ND has no value").isNull();
                case 2 -> assertThat(value).as("<LOQ has no value").isNull();
                case 3 -> assertThat(value).as("text the normalizer kept as text stays text").isNull();
                default -> assertThat(new BigDecimal(value)).isEqualByComparingTo(Integer.toString(i));
            }
        }
        assertThat(SinkFixture.count(c, "SELECT count(DISTINCT category) FROM lab_results")).isEqualTo(8);
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_results WHERE value_text = 'ND'")).isEqualTo(30);
    }

    @Test
    void everyQueryInTheWarehouseDocRunsAndReturnsRows() throws Exception {
        fx.sendAll(producer, population());
        String g = group();
        start(config(g, 1000), new SimpleMeterRegistry());
        fx.awaitConsumed(g, CONSUMED);

        List<String> queries = docQueries(dialect());
        assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
        Connection c = sql();
        int known = 0;
        for (String q : queries) {
            List<List<String>> rows = SinkFixture.rows(c, q);
            assertThat(rows).as("rows of\n%s", q).isNotEmpty();
            assertThat(rows.get(0)).as("first row of\n%s", q).anyMatch(v -> v != null);
            List<String> answer = rows.stream().map(AbstractSinkTest::plain).toList();
            if (q.contains("exceeded_by")) {
                known++;
                // sample, sample_name, lab_status, category, analyte, value, unit, limit_value, limit_low, limit_high, exceeded_by
                assertThat(answer).as("failed analytes\n%s", q).containsExactly(
                        "S-2|Sample S-2|fail|pesticides|Myclobutanil|0.9|ppm|0.5|null|null|0.4",
                        "S-4|Sample S-4|fail|moisture|moisture|16|%|null|null|15|1");
            } else if (q.contains("thc_percent")) {
                known++;
                assertThat(answer).as("potency by strain\n%s", q).containsExactly(
                        "Blue Dream|S-3|21.5|0.4|%", "OG Kush|S-4|21.5|0.4|%", "Sour Diesel|S-5|21.5|0.4|%");
            } else if (q.contains("previous_verdict")) {
                known++;
                long v = TestEvents.BASE_MICROS;
                assertThat(answer).as("verdict changes\n%s", q).containsExactly(
                        "confident:sample:S-2|pesticides|Myclobutanil|" + (v + 20_000_000L + 1_000_000L) + "|"
                                + (v + 20_000_000L + 2_000_000L) + "|pass|fail",
                        "confident:sample:S-4|moisture|moisture|" + (v + 40_000_000L + 2_000_000L) + "|"
                                + (v + 40_000_000L + 3_000_000L) + "|pass|fail");
            }
        }
        assertThat(known).as("queries with known answers").isEqualTo(3);
        assertThat(SinkFixture.rows(c, "SELECT sample_id, lab_status, failed_analytes, date_tested FROM lab_samples "
                + "ORDER BY sample_id").stream().map(AbstractSinkTest::plain).toList()).containsExactly(
                "S-0|pass|0|2024-05-03", "S-1|pass|0|2024-05-03", "S-2|fail|1|2024-05-03", "S-3|pass|0|2024-05-03",
                "S-4|fail|1|2024-05-03", "S-5|pass|0|2024-05-03");
        assertThat(SinkFixture.rows(c, "SELECT category, status, method, date_tested, input_units, report_units, "
                + "CASE WHEN reported_as_wet THEN 1 ELSE 0 END FROM lab_result_categories WHERE entity_key = 'confident:sample:S-2' ORDER BY category")
                .stream().map(AbstractSinkTest::plain).toList()).containsExactly(
                "moisture|pass|LC-MS/MS|2024-04-23|%|%|0", "pesticides|fail|LC-MS/MS|2024-05-03|ppm|mg/kg|0");
    }

    /** A row as {@code a|b|…}, numbers without trailing zeros (numeric(30,10) on PostgreSQL, REAL on SQLite). */
    static String plain(List<String> row) {
        List<String> out = new ArrayList<>();
        for (String v : row) {
            if (v != null && v.matches("-?\\d+(\\.\\d+)?")) {
                BigDecimal d = new BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
                out.add(d.toPlainString());
            } else {
                out.add(String.valueOf(v));
            }
        }
        return String.join("|", out);
    }

    @Test
    void aValueKeptAsTextLandsAsTextAndTheWholeSampleWithIt() throws Exception {
        ObjectNode huge = ev.result("metals", "lead", null, "1e999", "ppb", "fail");
        long v = TestEvents.BASE_MICROS + 9;
        send(ev.confidentSample("TEXT", v, received(), List.of(huge, ev.result("metals", "arsenic", new BigDecimal("3"),
                "3", "ppb", "fail"))));
        String g = group();
        start(config(g, 10), new SimpleMeterRegistry());
        fx.awaitConsumed(g, CONSUMED);
        assertThat(SinkFixture.rows(sql(), "SELECT analyte, value, value_text FROM lab_results WHERE entity_key = "
                + "'confident:sample:TEXT' ORDER BY analyte").stream().map(AbstractSinkTest::plain).toList())
                .containsExactly("arsenic|3|3", "lead|null|1e999");
    }

    @Test
    void aV1WarehouseUpgradesInPlace() throws Exception {
        try (Warehouse w = new Warehouse(config(group(), 10).sink())) {
            assertThat(w.migrate("1")).isEqualTo(1);
            try (Connection c = w.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (var st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO lab_results (entity_key, category, analyte, value, value_text, unit, lod, "
                            + "loq, limit_value, status) VALUES ('confident:sample:OLD', 'metals', 'lead', 7, '7', 'ppb', "
                            + "1, 5, 500, 'pass')");
                }
                c.commit();
            }
            assertThat(w.migrate()).isEqualTo(1);
        }
        assertThat(SinkFixture.rows(sql(), "SELECT analyte, category_status, verdict, report_unit FROM lab_results")
                .stream().map(AbstractSinkTest::plain).toList()).containsExactly("lead|pass|null|null");
        assertThat(SinkFixture.count(sql(), "SELECT count(*) FROM lab_result_categories")).isZero();
        assertThat(SinkFixture.count(sql(), "SELECT count(*) FROM lab_samples")).isZero();
    }

    @Test
    void aMergedStateOfTheSameVersionWithMoreEventsReplacesTheRowAndOneWithFewerDoesNot() throws Exception {
        CanonicalEvent base = ev.flabsBill("lab1", "M-1", 1_714_600_000L, 3, received());
        ObjectNode two = base.data().deepCopy().put("merged_events", 2).put("report_url", "https://r/2");
        ObjectNode one = base.data().deepCopy().put("merged_events", 1);
        sendEntityOnly(withData(base, two));
        sendEntityOnly(withData(base, one));
        String g = group();
        start(config(g, 1), new SimpleMeterRegistry());
        fx.awaitConsumed(g, CONSUMED);
        assertThat(SinkFixture.rows(sql(), "SELECT merge_seq FROM lab_entities WHERE entity_key = ?", base.entityKey()))
                .containsExactly(List.of("2"));
        assertThat(SinkFixture.rows(sql(), "SELECT state FROM lab_entities WHERE entity_key = ?", base.entityKey())
                .get(0).get(0)).contains("https://r/2");
    }

    static CanonicalEvent withData(CanonicalEvent e, ObjectNode data) {
        return new CanonicalEvent(e.id(), e.source(), e.type(), e.subject(), e.time(), e.vendor(), e.entityType(),
                e.entityId(), e.version(), e.deliveryId(), e.receivedAt(), e.hwmAdvanced(), data);
    }

    @Test
    void aRowTheDatabaseRefusesGoesToTheDlqAndTheRestOfTheBatchLands() throws Exception {
        List<CanonicalEvent> good = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            good.add(ev.confidentSample("G" + i, TestEvents.BASE_MICROS + 1, received(), ev.potency(1)));
        }
        CanonicalEvent huge = ev.confidentSample("HUGE", TestEvents.BASE_MICROS + 1, received(),
                List.of(ev.result("microbials", "Total yeast", new BigDecimal("1e25"), "1e25", "CFU/g", "fail")));
        List<CanonicalEvent> all = new ArrayList<>(good.subList(0, 4));
        all.add(huge);
        all.addAll(good.subList(4, 9));
        fx.sendAll(producer, all);
        byte[] garbage = "{not a canonical event".getBytes(StandardCharsets.UTF_8);
        producer.send(SinkFixture.record(Topics.ENTITIES, "garbage", garbage, null)).get();

        String g = group();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        start(config(g, 1000), registry);
        fx.awaitConsumed(g, CONSUMED);

        List<ConsumerRecord<byte[], byte[]>> dlq = fx.readDlq(2);
        assertThat(registry.get(MetricNames.SINK_DEAD_LETTERS).tag(MetricNames.TAG_REASON, outOfRangeReason())
                .counter().count()).as("refused rows are counted by reason").isEqualTo(1.0);
        assertThat(registry.get(MetricNames.SINK_DEAD_LETTERS).tag(MetricNames.TAG_REASON, RowMapper.UNDECODABLE)
                .counter().count()).isEqualTo(1.0);
        assertThat(dlq).hasSize(2);
        ConsumerRecord<byte[], byte[]> refused = dlq.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8)
                .equals(huge.entityKey())).findFirst().orElseThrow();
        assertThat(header(refused, Headers.ERROR_STAGE)).isEqualTo("sink");
        assertThat(header(refused, Headers.ERROR_REASON)).isEqualTo(outOfRangeReason());
        assertThat(header(refused, Headers.ERROR_MESSAGE)).isNotBlank();
        assertThat(header(refused, SinkFixture.TEST_HEADER)).as("original headers kept")
                .isEqualTo("sink-test " + huge.entityKey());
        assertThat(refused.value()).isEqualTo(fx.codec.write(huge));
        ConsumerRecord<byte[], byte[]> undecodable = dlq.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8)
                .equals("garbage")).findFirst().orElseThrow();
        assertThat(header(undecodable, Headers.ERROR_REASON)).isEqualTo(RowMapper.UNDECODABLE);
        assertThat(undecodable.value()).isEqualTo(garbage);

        Connection c = sql();
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_entities")).isEqualTo(9);
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_results")).isEqualTo(9 * 4);
        assertThat(SinkFixture.count(c, "SELECT count(*) FROM lab_events")).as("the event itself is history").isEqualTo(10);
    }

    @Test
    void migratingTwiceIsANoOpAndTheSampleViewNeedsNoJsonFunctions() throws Exception {
        try (Warehouse w = new Warehouse(config(group(), 10).sink())) {
            assertThat(w.migrate()).isEqualTo(2);
            assertThat(w.migrate()).isZero();
            assertThat(w.dialect().name()).isEqualTo(dialect());
        }
        long v = TestEvents.BASE_MICROS + 7;
        send(ev.confidentSample("VIEW", v, received(), ev.potency(v), "Gelato", false));
        String g = group();
        start(config(g, 10), new SimpleMeterRegistry());
        fx.awaitConsumed(g, CONSUMED);
        List<List<String>> sample = SinkFixture.rows(sql(), "SELECT sample_id, sample_name, strain_name, client_id, "
                + "order_id, status, public_url, last_modified FROM lab_samples");
        assertThat(sample).hasSize(1);
        assertThat(sample.get(0).subList(0, 7)).containsExactly("VIEW", "Sample VIEW", "Gelato", "client-7",
                "order-VIEW", "completed", "https://confident.example/s/VIEW");
        // 2024-05-01T00:00Z, shown in the session's time zone on PostgreSQL
        assertThat(sample.get(0).get(7)).matches("2024-0(4-30|5-01).*");
    }

    protected static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static final Pattern SQL_BLOCK = Pattern.compile("```sql(?: +([a-z]+))?[^\\n]*\\n(.*?)```", Pattern.DOTALL);

    /** The ```sql blocks of docs/warehouse.md meant for this dialect (untagged blocks are for both). */
    static List<String> docQueries(String dialect) throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "warehouse.md"));
        List<String> out = new ArrayList<>();
        Matcher m = SQL_BLOCK.matcher(doc);
        while (m.find()) {
            if (m.group(1) == null || m.group(1).equals(dialect)) {
                out.add(m.group(2).strip().replaceAll(";\\s*$", ""));
            }
        }
        return out;
    }

    /** Counts assignment changes with partitions in them. */
    static final class RebalanceCounter implements ConsumerRebalanceListener {
        final AtomicInteger assigned = new AtomicInteger();
        final AtomicInteger revoked = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                revoked.incrementAndGet();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                assigned.incrementAndGet();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                lost.incrementAndGet();
            }
        }
    }
}
