package io.labhooks.sink.it;

import io.labhooks.testkit.events.TestEvents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.LabhooksConfig;
import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.sink.SinkApp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sink reads the canonical topics {@code read_committed}: a transaction the normalizer aborted (a crash, a
 * fenced zombie) never reaches the warehouse. Written by hand with a transactional producer: an aborted
 * transaction, then a committed one on the same partitions; the committed one must land, the aborted one never.
 */
class AbortedTransactionTest {
    static SinkFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new SinkFixture();
        fx.recreateTopics();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void anAbortedTransactionIsNeverWrittenACommittedOneIs() throws Exception {
        TestEvents ev = new TestEvents();
        // one entity, so one partition: the aborted records come before the committed one in the log, and the
        // aborted versions are higher, so read_uncommitted would also move the entity to them
        CanonicalEvent aborted = ev.flabsBill("lab-abort", "B-1", 1_714_600_000L, 2, Instant.now());
        CanonicalEvent abortedToo = ev.flabsBill("lab-abort", "B-1", 1_714_600_000L, 4, Instant.now());
        CanonicalEvent committed = ev.flabsBill("lab-abort", "B-1", 1_714_600_000L, 1, Instant.now());
        try (SqliteDatabase db = new SqliteDatabase(); KafkaProducer<String, byte[]> tx = transactionalProducer()) {
            tx.initTransactions();
            tx.beginTransaction();
            for (CanonicalEvent e : List.of(aborted, abortedToo)) {
                byte[] v = fx.codec.write(e);
                tx.send(SinkFixture.record(Topics.EVENTS, e.entityKey(), v, e));
                tx.send(SinkFixture.record(Topics.ENTITIES, e.entityKey(), v, e));
            }
            tx.flush(); // the records are in the log, only the abort marker follows
            tx.abortTransaction();
            tx.beginTransaction();
            byte[] v = fx.codec.write(committed);
            tx.send(SinkFixture.record(Topics.EVENTS, committed.entityKey(), v, committed));
            tx.send(SinkFixture.record(Topics.ENTITIES, committed.entityKey(), v, committed));
            tx.commitTransaction();

            String group = "sink-abort-" + UUID.randomUUID();
            LabhooksConfig config = fx.config(db.jdbcUrl(), null, group, 100, Map.of());
            try (SinkApp sink = new SinkApp(config, new SimpleMeterRegistry(), () -> {
                throw new AssertionError("the sink failed");
            })) {
                sink.start();
                // the committed record follows the aborted ones in the partition: once it is written, the sink
                // has read past them (the offsets cannot reach the log end: the commit marker stays after it)
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                    try (Connection c = db.connect()) {
                        assertThat(column(c, "SELECT event_id FROM lab_events")).containsExactly(committed.id());
                        assertThat(column(c, "SELECT entity_key || '@' || version FROM lab_entities"))
                                .containsExactly(committed.entityKey() + "@" + committed.version());
                    }
                });
            }
        }
    }

    private static KafkaProducer<String, byte[]> transactionalProducer() {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fx.kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborted-tx-test-" + UUID.randomUUID());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static List<String> column(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
