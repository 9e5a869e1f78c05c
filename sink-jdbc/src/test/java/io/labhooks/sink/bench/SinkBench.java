package io.labhooks.sink.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.SinkConfig;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.sink.Warehouse;
import io.labhooks.sink.it.TestEvents;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Throughput of the sink's writer on PostgreSQL for entities with full Confident panels, against PostgreSQL
 * {@code COPY} of the same rows (the floor). Not a test: run it with
 * {@code mvn -B -q -pl sink-jdbc -am -Pbench -DskipTests integration-test}. Knobs (system properties):
 * {@code bench.entities} (2000), {@code bench.analytes} (150), {@code bench.batch} (entities per transaction,
 * 200), {@code bench.rounds} (3); the database is {@code LABHOOKS_PG_URL} (user {@code postgres}). It works in
 * a schema of its own and drops it at the end.
 */
public final class SinkBench {
    private final String url;
    private final String user;
    private final int entities;
    private final int analytes;
    private final int batch;
    private final int rounds;

    private SinkBench(String url, String user, int entities, int analytes, int batch, int rounds) {
        this.url = url;
        this.user = user;
        this.entities = entities;
        this.analytes = analytes;
        this.batch = batch;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        String url = System.getenv().getOrDefault("LABHOOKS_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        new SinkBench(url, System.getenv().getOrDefault("LABHOOKS_PG_USER", "postgres"),
                Integer.getInteger("bench.entities", 2000), Integer.getInteger("bench.analytes", 150),
                Integer.getInteger("bench.batch", 200), Integer.getInteger("bench.rounds", 3)).run();
    }

    private void run() throws Exception {
        String schema = "labhooks_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection admin = DriverManager.getConnection(url, user, null); Statement s = admin.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            List<EntityRow> rows = generate();
            long resultRows = rows.stream().mapToLong(r -> r.results().size()).sum();
            long total = rows.size() + resultRows;
            System.out.printf(Locale.ROOT, "%d entities x %d analytes = %d rows per round (%d lab_entities + %d "
                    + "lab_results), %d entities per transaction%n", rows.size(), analytes, total, rows.size(),
                    resultRows, batch);
            SinkConfig config = new SinkConfig(schemaUrl, user, null, "bench", 1000, Duration.ofMillis(500));
            try (Warehouse w = new Warehouse(config, "labhooks-bench")) {
                w.migrate();
                WarehouseWriter writer = new WarehouseWriter(w.dataSource(), w.dialect(), CommitHook.NONE,
                        Clock.systemUTC());
                double bestSink = 0;
                double bestCopy = 0;
                for (int round = 0; round <= rounds; round++) {
                    truncate(schemaUrl);
                    long t0 = System.nanoTime();
                    for (int from = 0; from < rows.size(); from += batch) {
                        writer.write(List.of(), rows.subList(from, Math.min(rows.size(), from + batch)));
                    }
                    double sink = total / ((System.nanoTime() - t0) / 1e9);
                    truncate(schemaUrl);
                    long t1 = System.nanoTime();
                    copy(schemaUrl, rows);
                    double copy = total / ((System.nanoTime() - t1) / 1e9);
                    String label = round == 0 ? "warm-up" : "round " + round;
                    System.out.printf(Locale.ROOT, "%-8s sink writer %,10.0f rows/s   COPY %,10.0f rows/s   ratio %.2f%n",
                            label, sink, copy, sink / copy);
                    if (round > 0) {
                        bestSink = Math.max(bestSink, sink);
                        bestCopy = Math.max(bestCopy, copy);
                    }
                }
                System.out.printf(Locale.ROOT, "best     sink writer %,10.0f rows/s   COPY %,10.0f rows/s   ratio %.2f%n",
                        bestSink, bestCopy, bestSink / bestCopy);
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(url, user, null); Statement s = admin.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** Entity rows exactly as the sink maps them from canonical events: state JSON with the whole panel. */
    private List<EntityRow> generate() throws RejectedRecordException {
        TestEvents ev = new TestEvents();
        RowMapper mapper = new RowMapper(new EventCodec(ev.mapper()));
        List<ObjectNode> panel = ev.fullPanel(analytes);
        List<EntityRow> rows = new ArrayList<>(entities);
        Instant received = Instant.now();
        for (int i = 0; i < entities; i++) {
            rows.add(mapper.entityRow(ev.confidentSample("B" + i, TestEvents.BASE_MICROS + i, received, panel)));
        }
        return rows;
    }

    private static void truncate(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
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
                                .append(num(r.limit())).append('\t').append(esc(r.status())).append('\n');
                    }
                }
                copy.copyIn("COPY lab_entities (entity_key, vendor, entity_type, entity_id, version, deleted, state, "
                        + "last_event_id, updated_at) FROM STDIN", new StringReader(ent.toString()));
                copy.copyIn("COPY lab_results (entity_key, category, analyte, value, value_text, unit, lod, loq, "
                        + "limit_value, status) FROM STDIN", new StringReader(res.toString()));
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
