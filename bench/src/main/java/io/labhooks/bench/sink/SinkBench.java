package io.labhooks.bench.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.SinkConfig;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.sink.Warehouse;
import io.labhooks.bench.stage.StageOptions;
import io.labhooks.bench.stage.StageReport;
import io.labhooks.testkit.PostgresSchema;
import io.labhooks.testkit.events.TestEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.labhooks.sink.write.CommitHook;
import io.labhooks.sink.write.EntityRow;
import io.labhooks.sink.write.RejectedRecordException;
import io.labhooks.sink.write.ResultRow;
import io.labhooks.sink.write.RowMapper;
import io.labhooks.sink.write.WarehouseWriter;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.schemas.Topics;
import io.labhooks.sink.SinkApp;
import io.labhooks.sink.SinkHooks;
import io.labhooks.sink.SinkStatus;
import io.labhooks.testkit.EmbeddedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.nio.file.Path;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Throughput of the sink's writer on PostgreSQL for entities with full Confident panels, against PostgreSQL
 * {@code COPY} of the same rows (the floor). Run it with {@code labhooks bench sink} (cli-dev). The database is
 * {@code LABHOOKS_PG_URL} (user {@code LABHOOKS_PG_USER}, default {@code postgres}). It works in a schema of its
 * own and drops it at the end. The Debezium JDBC sink peer ({@code bench/debezium}) is a separate harness
 * outside the reactor; this stage's ratio is against {@code COPY}.
 */
public final class SinkBench {
    private static final Logger LOG = LoggerFactory.getLogger(SinkBench.class);
    private final String url;
    private final String user;
    private final int entities;
    private final int analytes;
    private final int batch;
    private final int rounds;

    /**
     * One round over the same rows (rows/s): the sink's writer alone, PostgreSQL COPY, and the whole sink
     * ({@link SinkApp} from the broker; 0 seconds where it was not run).
     */
    public record Round(String label, long rows, double writerSeconds, double copySeconds, double wholeSeconds) {
        public double writerRowsPerSec() {
            return rows / writerSeconds;
        }

        public double copyRowsPerSec() {
            return rows / copySeconds;
        }

        public double wholeRowsPerSec() {
            return wholeSeconds > 0 ? rows / wholeSeconds : Double.NaN;
        }

        public double writerRatio() {
            return writerRowsPerSec() / copyRowsPerSec();
        }

        public double wholeRatio() {
            return wholeRowsPerSec() / copyRowsPerSec();
        }
    }

    /** Debezium's {@code batch.size} (and its consumer's {@code max.poll.records}), the harness's own default. */
    static final int DEBEZIUM_BATCH = 500;

    /**
     * {@code labhooks bench sink}: a warm-up round of 200 entities (discarded) calibrates the number of entities
     * so that the writer's run lasts about {@code --duration}; then {@code rounds} rounds, each of the writer, COPY
     * and the whole sink (a {@link SinkApp} reading the same rows as events from an embedded broker with
     * {@code --partitions}) on the same rows. With {@code debezium} (the harness, {@link DebeziumRun}) the Debezium JDBC
     * sink then writes the same number of samples and analytes in as many rounds, after a warm-up of its own, and the
     * ratio is the whole sink against Debezium (the main baseline; goal >= 3); without it, the whole sink against
     * COPY (goal >= 0.6), which is always in the table. {@code --body-size} is the number of analytes per panel times
     * 160 bytes (0: 150 analytes); {@code --concurrency} and {@code --rate} do not apply (one sink, as fast as it goes).
     */
    public static StageReport stage(StageOptions o, int rounds, int batch, Optional<Path> debezium) throws Exception {
        int analytes = o.bodySize() == 0 ? 150 : Math.max(1, o.bodySize() / 160);
        double seconds = o.duration().toNanos() / 1e9;
        SinkBench warm = new SinkBench(PostgresSchema.URL, PostgresSchema.USER, Math.min(200, batch * 2), analytes, batch, 0);
        List<Round> w = warm.run(o.partitions());
        double perEntity = w.get(0).writerSeconds() / Math.min(200, batch * 2);
        int entities = (int) Math.max(batch, Math.min(200_000, Math.round(seconds / perEntity)));
        SinkBench b = new SinkBench(PostgresSchema.URL, PostgresSchema.USER, entities, analytes, batch, rounds);
        List<Round> measured = b.run(o.partitions());
        List<Double> dbz = List.of();
        if (debezium.isPresent()) {
            LOG.info("the Debezium JDBC sink: {} samples x {} analytes, {} rounds, batch.size {} ({})", entities, analytes, rounds,
                    DEBEZIUM_BATCH, debezium.get());
            dbz = DebeziumRun.run(debezium.get(), entities, analytes, rounds, DEBEZIUM_BATCH, PostgresSchema.URL, PostgresSchema.USER,
                    Duration.ofMinutes(30), line -> LOG.info("debezium | {}", line));
        }
        String copyGoal = "whole sink rows/s (broker to PostgreSQL, SinkApp) / PostgreSQL COPY rows/s of the same rows (median of "
                + "the rounds; goal >= 0.6)";
        StageReport report = new StageReport("sink", debezium.isPresent()
                ? "whole sink rows/s (broker to PostgreSQL, SinkApp) / Debezium JDBC sink rows/s (upsert, Kafka Connect standalone) "
                        + "of the same rows (median over median of the rounds; goal >= 3)"
                : copyGoal + ". The Debezium JDBC sink, the main baseline, runs with --debezium (it needs the repository "
                        + "checkout and Maven: bench/debezium/run.sh)",
                List.of("round", "rows", "whole sink rows/s", "sink writer rows/s", "COPY rows/s", "Debezium rows/s",
                        "whole sink / COPY", "writer / COPY"));
        List<Double> ratios = new ArrayList<>();
        List<Double> writerRatios = new ArrayList<>();
        List<Double> whole = new ArrayList<>();
        int measuredRound = 0;
        for (Round r : measured) {
            boolean isRound = r.label().startsWith("round");
            Double dbzRate = isRound && measuredRound < dbz.size() ? dbz.get(measuredRound) : Double.NaN;
            report.row(r.label(), r.rows(), r.wholeRowsPerSec(), r.writerRowsPerSec(), r.copyRowsPerSec(), dbzRate, r.wholeRatio(),
                    r.writerRatio());
            if (isRound) {
                measuredRound++;
                ratios.add(r.wholeRatio());
                writerRatios.add(r.writerRatio());
                whole.add(r.wholeRowsPerSec());
            }
        }
        report.parameter("duration_s", seconds).parameter("entities", entities).parameter("analytes", analytes)
                .parameter("rows_per_round", entities * (1L + analytes)).parameter("batch_entities", batch)
                .parameter("rounds", rounds).parameter("partitions", o.partitions()).parameter("debezium", debezium.isPresent());
        report.figure("writer / COPY", StageReport.median(writerRatios));
        report.note(String.format(Locale.ROOT, "%d entities x %d analytes per round (lab_entities + lab_results rows), %d entities "
                + "per transaction (the whole sink: sink.batch-size %d), PostgreSQL at %s; warm-up (discarded) first, then "
                + "writer, COPY and the whole sink in turn.", entities, analytes, batch, batch, PostgresSchema.URL));
        report.note("The whole sink is timed from its partition assignment to the last offset committed; the writer alone "
                + "takes rows already decoded.");
        if (debezium.isEmpty()) {
            return report.ratio(StageReport.median(ratios));
        }
        report.note(String.format(Locale.ROOT, "Debezium JDBC sink: bench/debezium/run.sh after labhooks' rounds (its own warm-up "
                + "discarded), the same samples and analytes, insert.mode=upsert, batch.size %d, tasks.max=1, in a JVM of its own.",
                DEBEZIUM_BATCH));
        report.figure("whole sink / COPY", StageReport.median(ratios));
        return report.ratio(StageReport.median(whole) / StageReport.median(dbz));
    }

    private SinkBench(String url, String user, int entities, int analytes, int batch, int rounds) {
        this.url = url;
        this.user = user;
        this.entities = entities;
        this.analytes = analytes;
        this.batch = batch;
        this.rounds = rounds;
    }

    /** Round 0 is the warm-up. */
    private List<Round> run(int partitions) throws Exception {
        List<Round> out = new ArrayList<>();
        String schema = "labhooks_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection admin = DriverManager.getConnection(url, user, null); Statement s = admin.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
            List<byte[]> records = encode();
            List<EntityRow> rows = map(records);
            long resultRows = rows.stream().mapToLong(r -> r.results().size()).sum();
            long total = rows.size() + resultRows;
            LOG.info("{} entities x {} analytes = {} rows per round ({} lab_entities + {} lab_results), {} entities per transaction",
                    rows.size(), analytes, total, rows.size(), resultRows, batch);
            produce(kafka, records, rows, partitions);
            SinkConfig config = new SinkConfig(schemaUrl, user, null, "bench", 1000, Duration.ofMillis(500));
            try (Warehouse w = new Warehouse(config, "labhooks-bench")) {
                w.migrate();
                WarehouseWriter writer = new WarehouseWriter(w.dataSource(), w.dialect(), CommitHook.NONE,
                        Clock.systemUTC());
                for (int round = 0; round <= rounds; round++) {
                    truncate(schemaUrl);
                    long t0 = System.nanoTime();
                    for (int from = 0; from < rows.size(); from += batch) {
                        writer.write(List.of(), rows.subList(from, Math.min(rows.size(), from + batch)));
                    }
                    double sinkSeconds = (System.nanoTime() - t0) / 1e9;
                    truncate(schemaUrl);
                    long t1 = System.nanoTime();
                    copy(schemaUrl, rows);
                    double copySeconds = (System.nanoTime() - t1) / 1e9;
                    truncate(schemaUrl);
                    double wholeSeconds = wholeSink(kafka, schemaUrl, "bench-" + round, rows.size());
                    Round r = new Round(round == 0 ? "warm-up" : "round " + round, total, sinkSeconds, copySeconds,
                            wholeSeconds);
                    LOG.info("{}: whole sink {} rows/s, writer {} rows/s, COPY {} rows/s; whole sink / COPY {}", r.label(),
                            Math.round(r.wholeRowsPerSec()), Math.round(r.writerRowsPerSec()), Math.round(r.copyRowsPerSec()),
                            String.format(Locale.ROOT, "%.2f", r.wholeRatio()));
                    out.add(r);
                }
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(url, user, null); Statement s = admin.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
        return out;
    }

    /** The entities' canonical events on {@code labhooks.entities.v1}, keyed by entity, once for every round. */
    private static void produce(EmbeddedKafka kafka, List<byte[]> records, List<EntityRow> rows, int partitions)
            throws Exception {
        kafka.createTopics(new NewTopic(Topics.EVENTS, partitions, (short) 1), new NewTopic(Topics.ENTITIES, partitions, (short) 1),
                new NewTopic(Topics.DLQ, 1, (short) 1));
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records.size(); i++) {
                producer.send(new ProducerRecord<>(Topics.ENTITIES, rows.get(i).entityKey(), records.get(i)));
            }
            producer.flush();
        }
    }

    /**
     * The whole sink: a {@link SinkApp} of a new consumer group (batch size {@code --batch}) reads the entities from
     * the start; timed from partition assignment to the last offset committed; returns the seconds.
     */
    private double wholeSink(EmbeddedKafka kafka, String schemaUrl, String group, int n) throws Exception {
        String yaml = "kafka: {bootstrap-servers: \"" + kafka.bootstrapServers() + "\"}\n"
                + "sources:\n  - {id: confident, vendor: confident, auth: {type: none}}\n"
                + "sink: {jdbc-url: \"" + schemaUrl + "\", username: " + user + ", group-id: " + group + ", batch-size: "
                + batch + "}\n";
        LabhooksConfig config = ConfigLoader.parse(yaml, "bench", Map.of());
        AtomicLong assignedAt = new AtomicLong();
        SinkHooks hooks = SinkHooks.NONE.withRebalances(new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // not expected in a one-member group
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assignedAt.compareAndSet(0, System.nanoTime());
            }
        });
        Map<String, Object> a = new HashMap<>();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(a);
             SinkApp app = new SinkApp(config, new SimpleMeterRegistry(), () -> {
                 throw new IllegalStateException("the sink failed");
             }, hooks)) {
            app.start();
            long done = 0;
            while (done == 0) {
                long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).values().stream()
                        .mapToLong(o -> o == null ? 0 : o.offset()).sum();
                if (committed >= n) {
                    done = System.nanoTime();
                } else if (app.status() == SinkStatus.FAILED) {
                    throw new IllegalStateException("the sink failed");
                } else {
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
            }
            return (done - assignedAt.get()) / 1e9;
        }
    }

    /** Confident samples with full panels, as canonical event records (what the whole sink reads). */
    private List<byte[]> encode() {
        TestEvents ev = new TestEvents();
        EventCodec codec = new EventCodec(ev.mapper());
        List<ObjectNode> panel = ev.fullPanel(analytes);
        List<byte[]> records = new ArrayList<>(entities);
        Instant received = Instant.now();
        for (int i = 0; i < entities; i++) {
            records.add(codec.write(ev.confidentSample("E" + i, TestEvents.BASE_MICROS + i, received, panel)));
        }
        return records;
    }

    /** The entity rows of those records, exactly as the sink maps them (what the writer and COPY take). */
    private static List<EntityRow> map(List<byte[]> records) throws RejectedRecordException {
        RowMapper mapper = new RowMapper(new EventCodec());
        List<EntityRow> rows = new ArrayList<>(records.size());
        for (byte[] r : records) {
            rows.add(mapper.entityRow(r));
        }
        return rows;
    }

    private void truncate(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, null); Statement s = c.createStatement()) {
            s.execute("TRUNCATE lab_entities, lab_results, lab_events");
            s.execute("VACUUM ANALYZE lab_entities");
            s.execute("VACUUM ANALYZE lab_results");
        }
    }

    /** The same rows through COPY FROM STDIN (text format), one transaction per batch like the writer. */
    private void copy(String url, List<EntityRow> rows) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(url, user, null)) {
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
            for (int from = 0; from < rows.size(); from += batch) {
                List<EntityRow> chunk = rows.subList(from, Math.min(rows.size(), from + batch));
                StringBuilder ent = new StringBuilder();
                StringBuilder res = new StringBuilder();
                for (EntityRow e : chunk) {
                    ent.append(esc(e.entityKey())).append('\t').append(esc(e.vendor())).append('\t')
                            .append(esc(e.entityType())).append('\t').append(esc(e.entityId())).append('\t')
                            .append(e.version()).append('\t').append(e.deleted() ? 't' : 'f').append('\t')
                            .append(esc(e.stateJson())).append('\t').append(esc(e.lastEventId())).append('\t')
                            .append(now).append('\n');
                    for (ResultRow r : e.results()) {
                        res.append(esc(e.entityKey())).append('\t').append(esc(r.category())).append('\t')
                                .append(esc(r.analyte())).append('\t').append(num(r.value())).append('\t')
                                .append(esc(r.valueText())).append('\t').append(esc(r.unit())).append('\t')
                                .append(num(r.lod())).append('\t').append(num(r.loq())).append('\t')
                                .append(num(r.limit())).append('\t').append(esc(r.categoryStatus())).append('\n');
                    }
                }
                copy.copyIn("COPY lab_entities (entity_key, vendor, entity_type, entity_id, version, deleted, state, "
                        + "last_event_id, updated_at) FROM STDIN", new StringReader(ent.toString()));
                copy.copyIn("COPY lab_results (entity_key, category, analyte, value, value_text, unit, lod, loq, "
                        + "limit_value, category_status) FROM STDIN", new StringReader(res.toString()));
                c.commit();
            }
        }
    }

    private static String num(BigDecimal d) {
        return d == null ? "\\N" : d.toPlainString();
    }

    private static String esc(String s) {
        if (s == null) {
            return "\\N";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
