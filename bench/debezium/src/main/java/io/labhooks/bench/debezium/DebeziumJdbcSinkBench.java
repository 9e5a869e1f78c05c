package io.labhooks.bench.debezium;

import io.labhooks.testkit.EmbeddedKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * Rows per second of the Debezium JDBC sink connector (Kafka Connect standalone, in this JVM) writing the rows
 * labhooks' sink writes for Confident samples with full panels: one {@code lab_entities}-shaped row per sample
 * (state JSON of the whole panel) and one {@code lab_results}-shaped row per analyte, upsert mode, primary key
 * from the record key, into tables pre-created with the warehouse's own DDL.
 *
 * <p>System properties: {@code bench.samples} (2000), {@code bench.analytes} (150), {@code bench.warmup.samples}
 * (400, 0 for none), {@code bench.rounds} (3), {@code bench.batch} (Debezium {@code batch.size}, 500), {@code bench.pg.url}
 * ({@code jdbc:postgresql://127.0.0.1:5432/test}), {@code bench.pg.user} ({@code postgres}).
 */
public final class DebeziumJdbcSinkBench {

    static final Schema ENTITY_KEY = SchemaBuilder.struct().name("bench.EntityKey")
            .field("entity_key", Schema.STRING_SCHEMA).build();
    static final Schema ENTITY_VALUE = SchemaBuilder.struct().name("bench.Entity")
            .field("entity_key", Schema.STRING_SCHEMA)
            .field("vendor", Schema.STRING_SCHEMA)
            .field("entity_type", Schema.STRING_SCHEMA)
            .field("entity_id", Schema.STRING_SCHEMA)
            .field("version", Schema.INT64_SCHEMA)
            .field("deleted", Schema.BOOLEAN_SCHEMA)
            .field("state", Schema.STRING_SCHEMA)
            .field("last_event_id", Schema.STRING_SCHEMA)
            .field("updated_at", Schema.STRING_SCHEMA)
            .build();
    static final Schema RESULT_KEY = SchemaBuilder.struct().name("bench.ResultKey")
            .field("entity_key", Schema.STRING_SCHEMA)
            .field("category", Schema.STRING_SCHEMA)
            .field("analyte", Schema.STRING_SCHEMA).build();
    static final Schema RESULT_VALUE = SchemaBuilder.struct().name("bench.Result")
            .field("entity_key", Schema.STRING_SCHEMA)
            .field("category", Schema.STRING_SCHEMA)
            .field("analyte", Schema.STRING_SCHEMA)
            .field("value", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("value_text", Schema.OPTIONAL_STRING_SCHEMA)
            .field("unit", Schema.OPTIONAL_STRING_SCHEMA)
            .field("lod", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("loq", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("limit_value", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("status", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static final String[] CATEGORIES = {"cannabinoids", "terpenes", "pesticides", "heavy_metals",
        "mycotoxins", "residual_solvents", "microbials", "moisture"};

    private final int samples = Integer.getInteger("bench.samples", 2000);
    private final int analytes = Integer.getInteger("bench.analytes", 150);
    private final int warmupSamples = Integer.getInteger("bench.warmup.samples", 400);
    private final int batch = Integer.getInteger("bench.batch", 500);
    private final int rounds = Integer.getInteger("bench.rounds", 3);
    private final String pgUrl = System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private final String pgUser = System.getProperty("bench.pg.user", "postgres");
    private final String schema = "dbz_bench_" + ProcessHandle.current().pid();

    public static void main(String[] args) throws Exception {
        int rc = 1;
        try {
            new DebeziumJdbcSinkBench().run();
            rc = 0;
        } catch (Throwable t) {
            org.slf4j.LoggerFactory.getLogger(DebeziumJdbcSinkBench.class).error("the Debezium JDBC sink benchmark failed", t);
        }
        System.out.flush();
        // Connect's and Hibernate's threads are not all daemons; do not wait for them.
        Runtime.getRuntime().halt(rc);
    }

    private void run() throws Exception {
        try (Connection c = DriverManager.getConnection(pgUrl, pgUser, null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        try {
            String schemaUrl = pgUrl + (pgUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema
                    // state is jsonb and updated_at timestamptz; the connector binds both as strings
                    + "&stringtype=unspecified";
            try (Connection c = DriverManager.getConnection(schemaUrl, pgUser, null);
                 Statement s = c.createStatement()) {
                for (String prefix : List.of("warm", "bench")) {
                    createTables(s, prefix);
                }
            }
            try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
                kafka.createTopics(new NewTopic("warm_entities", 3, (short) 1),
                        new NewTopic("warm_results", 3, (short) 1),
                        new NewTopic("bench_entities", 3, (short) 1),
                        new NewTopic("bench_results", 3, (short) 1));
                long t = System.nanoTime();
                if (warmupSamples > 0) {
                    produce(kafka.bootstrapServers(), "warm", "W", warmupSamples);
                }
                long bytes = produce(kafka.bootstrapServers(), "bench", "B", samples);
                System.out.printf(Locale.ROOT, "produced %d + %d samples x %d analytes in %.1f s; the measured topics"
                        + " hold %,d bytes of keys and values%n", warmupSamples, samples, analytes,
                        (System.nanoTime() - t) / 1e9, bytes);

                Map<String, String> worker = new HashMap<>();
                worker.put("bootstrap.servers", kafka.bootstrapServers());
                worker.put("key.converter", JsonConverter.class.getName());
                worker.put("value.converter", JsonConverter.class.getName());
                worker.put("key.converter.schemas.enable", "true");
                worker.put("value.converter.schemas.enable", "true");
                worker.put("offset.storage.file.filename",
                        java.nio.file.Files.createTempFile("dbz-bench", ".offsets").toString());
                worker.put("offset.flush.interval.ms", "10000");
                worker.put("listeners", "http://127.0.0.1:0");
                worker.put("plugin.discovery", "only_scan");
                Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(worker);
                try {
                    Herder herder = connect.herder();
                    if (warmupSamples > 0) {
                        long rows = (long) warmupSamples * analytes + warmupSamples;
                        double warm = round(herder, schemaUrl, "warm", "warm", rows);
                        System.out.printf(Locale.ROOT, "warm-up  Debezium JDBC sink %,10.0f rows/s (%d rows)%n", warm,
                                rows);
                        FutureCallback<Herder.Created<ConnectorInfo>> del = new FutureCallback<>();
                        herder.deleteConnectorConfig("warm", del);
                        del.get(60, TimeUnit.SECONDS);
                    }
                    long rows = (long) samples * analytes + samples;
                    double[] rates = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        if (r > 0) {
                            truncate(schemaUrl);
                        }
                        // a new connector name is a new consumer group: it reads the topics from the start again
                        rates[r] = round(herder, schemaUrl, "bench" + (r + 1), "bench", rows);
                        System.out.printf(Locale.ROOT, "round %d  Debezium JDBC sink %,10.0f rows/s%n", r + 1,
                                rates[r]);
                        if (r == 0) {
                            check(schemaUrl);
                        }
                        FutureCallback<Herder.Created<ConnectorInfo>> del = new FutureCallback<>();
                        herder.deleteConnectorConfig("bench" + (r + 1), del);
                        del.get(60, TimeUnit.SECONDS);
                    }
                    double[] sorted = rates.clone();
                    java.util.Arrays.sort(sorted);
                    System.out.printf(Locale.ROOT, "median   Debezium JDBC sink %,10.0f rows/s (%d rounds of %d rows: "
                            + "%d entities + %d results, batch.size %d, warmed up: %s)%n", sorted[rounds / 2], rounds,
                            rows, samples, (long) samples * analytes, batch, warmupSamples > 0 ? "yes" : "no");
                } finally {
                    connect.stop();
                }
            }
        } finally {
            try (Connection c = DriverManager.getConnection(pgUrl, pgUser, null); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
                System.out.println("dropped schema " + schema);
            }
        }
    }

    /** Starts connector {@code prefix}, times it from start until both tables hold {@code rows} rows. */
    private double round(Herder herder, String schemaUrl, String name, String prefix, long rows) throws Exception {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("name", name);
        cfg.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        cfg.put("tasks.max", "1");
        cfg.put("topics", prefix + "_entities," + prefix + "_results");
        cfg.put("connection.url", schemaUrl);
        cfg.put("connection.username", pgUser);
        cfg.put("connection.password", "");
        cfg.put("insert.mode", "upsert");
        cfg.put("delete.enabled", "false");
        cfg.put("primary.key.mode", "record_key");
        cfg.put("schema.evolution", "none");
        cfg.put("batch.size", Integer.toString(batch));
        cfg.put("consumer.override.max.poll.records", Integer.toString(batch));
        long start = System.nanoTime();
        FutureCallback<Herder.Created<ConnectorInfo>> cb = new FutureCallback<>();
        herder.putConnectorConfig(name, cfg, false, cb);
        cb.get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        try (Connection c = DriverManager.getConnection(schemaUrl, pgUser, null); Statement s = c.createStatement()) {
            long lastPrint = System.nanoTime();
            while (true) {
                long n = count(s, prefix + "_entities") + count(s, prefix + "_results");
                if (n >= rows) {
                    return rows / ((System.nanoTime() - start) / 1e9);
                }
                ConnectorStateInfo st = herder.connectorStatus(name);
                for (ConnectorStateInfo.TaskState task : st.tasks()) {
                    if ("FAILED".equals(task.state())) {
                        throw new IllegalStateException("task failed: " + task.trace());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out at " + n + " of " + rows + " rows");
                }
                if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                    System.out.printf(Locale.ROOT, "  %s: %d of %d rows after %.0f s%n", prefix, n, rows,
                            (System.nanoTime() - start) / 1e9);
                    lastPrint = System.nanoTime();
                }
                Thread.sleep(200);
            }
        }
    }

    private static void truncate(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute("TRUNCATE bench_entities, bench_results");
            s.execute("VACUUM ANALYZE bench_entities");
            s.execute("VACUUM ANALYZE bench_results");
        }
    }

    /** Spot-checks that the rows arrived as the warehouse holds them (jsonb state, numeric values). */
    private void check(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, pgUser, null); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT state ->> 'sample_name', jsonb_array_length(state -> 'results'),"
                    + " version, deleted, updated_at FROM bench_entities WHERE entity_key = 'confident:sample:B7'")) {
                if (!rs.next() || !"Sample 7".equals(rs.getString(1)) || rs.getInt(2) != analytes
                        || rs.getLong(3) != 1_700_000_000_000_007L || rs.getBoolean(4) || rs.getTimestamp(5) == null) {
                    throw new IllegalStateException("entity row B7 is not as produced");
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT value, lod, status FROM bench_results WHERE entity_key = "
                    + "'confident:sample:B7' AND category = 'terpenes' AND analyte = 'analyte_1'")) {
                double expected = (7 * 31 + 7) % 1000 / 10.0;
                if (!rs.next() || rs.getBigDecimal(1).doubleValue() != expected
                        || rs.getBigDecimal(2).doubleValue() != 0.01 || !"pass".equals(rs.getString(3))) {
                    throw new IllegalStateException("result row B7/terpenes/analyte_1 is not as produced");
                }
            }
        }
        System.out.println("spot check of the written rows: ok");
    }

    private static long count(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The warehouse's DDL for lab_entities and lab_results (sink-jdbc V1__warehouse.sql), under other names. */
    private static void createTables(Statement s, String prefix) throws SQLException {
        s.execute("CREATE TABLE " + prefix + "_entities (entity_key text PRIMARY KEY, vendor text NOT NULL, "
                + "entity_type text NOT NULL, entity_id text NOT NULL, version bigint NOT NULL, "
                + "deleted boolean NOT NULL, state jsonb NOT NULL, last_event_id text NOT NULL, "
                + "updated_at timestamptz NOT NULL)");
        s.execute("CREATE INDEX " + prefix + "_entities_vendor_type ON " + prefix + "_entities (vendor, entity_type)");
        s.execute("CREATE TABLE " + prefix + "_results (entity_key text NOT NULL, category text NOT NULL, "
                + "analyte text NOT NULL, value numeric(30, 10), value_text text, unit text, lod numeric(30, 10), "
                + "loq numeric(30, 10), limit_value numeric(30, 10), status text, "
                + "PRIMARY KEY (entity_key, category, analyte))");
    }

    /** Produces {@code n} samples: one entity record and {@code analytes} result records each. */
    private long produce(String bootstrap, String prefix, String idPrefix, int n) {
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "true"), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of("schemas.enable", "true"), false);
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262144);
        String entities = prefix + "_entities";
        String results = prefix + "_results";
        String now = Instant.now().toString();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                String id = idPrefix + i;
                String key = "confident:sample:" + id;
                StringBuilder state = new StringBuilder(26_000);
                state.append("{\"sample_id\":\"").append(id).append("\",\"sample_name\":\"Sample ").append(i)
                        .append("\",\"strain_name\":\"Strain\",\"client_id\":\"C1\",\"order_id\":\"O").append(i)
                        .append("\",\"status\":\"Completed\",\"public_url\":\"https://example.invalid/")
                        .append(id).append("\",\"results\":[");
                for (int a = 0; a < analytes; a++) {
                    String cat = CATEGORIES[a % CATEGORIES.length];
                    String analyte = "analyte_" + a;
                    double value = (i * 31 + a * 7) % 1000 / 10.0;
                    if (a > 0) {
                        state.append(',');
                    }
                    state.append("{\"category\":\"").append(cat).append("\",\"analyte\":\"").append(analyte)
                            .append("\",\"value\":").append(value)
                            .append(",\"value_text\":\"").append(value).append("\",\"unit\":\"%\",\"lod\":0.01,")
                            .append("\"loq\":0.05,\"limit\":100.0,\"status\":\"pass\",")
                            .append("\"method\":\"HPLC-UV SOP-").append(a).append("\"}");
                    Struct k = new Struct(RESULT_KEY).put("entity_key", key).put("category", cat)
                            .put("analyte", analyte);
                    Struct v = new Struct(RESULT_VALUE).put("entity_key", key).put("category", cat)
                            .put("analyte", analyte).put("value", value).put("value_text", Double.toString(value))
                            .put("unit", "%").put("lod", 0.01).put("loq", 0.05).put("limit_value", 100.0)
                            .put("status", "pass");
                    byte[] kb = keys.fromConnectData(results, RESULT_KEY, k);
                    byte[] vb = values.fromConnectData(results, RESULT_VALUE, v);
                    bytes += kb.length + vb.length;
                    producer.send(new ProducerRecord<>(results, kb, vb));
                }
                state.append("]}");
                Struct k = new Struct(ENTITY_KEY).put("entity_key", key);
                Struct v = new Struct(ENTITY_VALUE).put("entity_key", key).put("vendor", "confident")
                        .put("entity_type", "sample").put("entity_id", id).put("version", 1_700_000_000_000_000L + i)
                        .put("deleted", false).put("state", state.toString()).put("last_event_id", "ev-" + id)
                        .put("updated_at", now);
                byte[] kb = keys.fromConnectData(entities, ENTITY_KEY, k);
                byte[] vb = values.fromConnectData(entities, ENTITY_VALUE, v);
                bytes += kb.length + vb.length;
                producer.send(new ProducerRecord<>(entities, kb, vb));
            }
            producer.flush();
        }
        return bytes;
    }
}
