package io.labhooks.sink.write;

import static io.labhooks.sink.db.Table.Type.BOOLEAN;
import static io.labhooks.sink.db.Table.Type.DATE;
import static io.labhooks.sink.db.Table.Type.DECIMAL;
import static io.labhooks.sink.db.Table.Type.JSON;
import static io.labhooks.sink.db.Table.Type.TEXT;

import io.labhooks.sink.db.Dialect;
import io.labhooks.sink.db.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Writes reduced rows in one transaction:
 * <ol>
 *   <li>{@code lab_events}: {@code INSERT … ON CONFLICT (event_id) DO NOTHING RETURNING event_id};</li>
 *   <li>{@code lab_entities}: {@code INSERT … ON CONFLICT (entity_key) DO UPDATE … WHERE excluded.version >
 *       lab_entities.version} (or the same version with more events merged, {@code merge_seq}) {@code RETURNING
 *       entity_key}, so only rows that really changed come back;</li>
 *   <li>{@code lab_results} and {@code lab_result_categories}: for exactly those changed entities, delete the old
 *       rows and append the new ones ({@link Dialect#insertAll}: {@code COPY} on PostgreSQL, a JDBC batch on
 *       SQLite).</li>
 * </ol>
 * Then it commits and calls the {@link CommitHook}. Every statement is idempotent under replay: a batch
 * written twice changes nothing the second time. The caller reduces the batch first (one row per event id
 * and per entity key), because one statement may not update the same row twice.
 */
public final class WarehouseWriter {
    private static final int MAX_ROWS_PER_STATEMENT = 500;

    private static final String[] EVENT_COLUMNS = {"event_id", "type", "source_id", "vendor", "entity_key", "version",
        "hwm_advanced", "occurred_at", "received_at", "delivery_id", "payload", "written_at"};
    private static final String[] ENTITY_COLUMNS = {"entity_key", "vendor", "entity_type", "entity_id", "version",
        "deleted", "state", "last_event_id", "updated_at", "merge_seq"};
    private static final Table RESULTS = Table.of("lab_results", "entity_key", TEXT, "category", TEXT, "analyte", TEXT,
            "value", DECIMAL, "value_text", TEXT, "unit", TEXT, "report_unit", TEXT, "lod", DECIMAL, "loq", DECIMAL,
            "limit_value", DECIMAL, "max_value", DECIMAL, "limit_low", DECIMAL, "limit_high", DECIMAL, "stdev", DECIMAL,
            "rsd", DECIMAL, "rpd", DECIMAL, "regulator_notes", TEXT, "verdict", TEXT, "category_status", TEXT);
    private static final Table CATEGORIES = Table.of("lab_result_categories", "entity_key", TEXT, "category", TEXT,
            "status", TEXT, "method", TEXT, "date_tested", DATE, "input_units", TEXT, "report_units", TEXT,
            "secondary_report_units", TEXT, "reported_as_wet", BOOLEAN, "info_fields", JSON);

    private final DataSource dataSource;
    private final Dialect dialect;
    private final CommitHook hook;
    private final Clock clock;
    private final Map<Integer, String> eventSql = new HashMap<>();
    private final Map<Integer, String> entitySql = new HashMap<>();
    private final Map<Integer, String> existingSql = new HashMap<>();
    private final Map<String, String> deleteSql = new HashMap<>();

    public WarehouseWriter(DataSource dataSource, Dialect dialect, CommitHook hook, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.hook = Objects.requireNonNull(hook, "hook");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Writes and commits. On an exception the transaction is rolled back and nothing is written.
     *
     * @param events   at most one row per event id
     * @param entities at most one row per entity key
     */
    public WriteResult write(List<EventRow> events, List<EntityRow> entities) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            if (c.getAutoCommit()) {
                c.setAutoCommit(false);
            }
            try {
                List<EventRow> inserted = insertEvents(c, events, now);
                Set<String> existing = existingKeys(c, entities);
                Set<String> changed = upsertEntities(c, entities, now);
                int results = replaceResults(c, entities, changed);
                replaceCategories(c, entities, changed);
                c.commit();
                Instant committedAt = clock.instant();
                int entitiesInserted = 0;
                for (String key : changed) {
                    if (!existing.contains(key)) {
                        entitiesInserted++;
                    }
                }
                WriteResult result = new WriteResult(inserted, events.size() - inserted.size(), entitiesInserted,
                        changed.size() - entitiesInserted, entities.size() - changed.size(), results, committedAt);
                hook.afterDbCommit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    private List<EventRow> insertEvents(Connection c, List<EventRow> events, Instant now) throws SQLException {
        List<EventRow> inserted = new ArrayList<>();
        int perStatement = rowsPerStatement(EVENT_COLUMNS.length);
        for (int from = 0; from < events.size(); from += perStatement) {
            List<EventRow> chunk = events.subList(from, Math.min(events.size(), from + perStatement));
            Map<String, EventRow> byId = new HashMap<>();
            String sql = eventSql.computeIfAbsent(chunk.size(), n -> insertSql("lab_events", EVENT_COLUMNS, n,
                    "ON CONFLICT (event_id) DO NOTHING RETURNING event_id", col -> col.equals("payload")));
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (EventRow e : chunk) {
                    byId.put(e.eventId(), e);
                    ps.setString(i++, e.eventId());
                    ps.setString(i++, e.type());
                    ps.setString(i++, e.sourceId());
                    ps.setString(i++, e.vendor());
                    ps.setString(i++, e.entityKey());
                    ps.setLong(i++, e.version());
                    ps.setBoolean(i++, e.hwmAdvanced());
                    dialect.setInstant(ps, i++, e.occurredAt());
                    dialect.setInstant(ps, i++, e.receivedAt());
                    ps.setString(i++, e.deliveryId());
                    ps.setBytes(i++, e.payload());
                    dialect.setInstant(ps, i++, now);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        inserted.add(byId.get(rs.getString(1)));
                    }
                }
            }
        }
        return inserted;
    }

    private Set<String> existingKeys(Connection c, List<EntityRow> entities) throws SQLException {
        Set<String> existing = new HashSet<>();
        int perStatement = rowsPerStatement(1);
        for (int from = 0; from < entities.size(); from += perStatement) {
            List<EntityRow> chunk = entities.subList(from, Math.min(entities.size(), from + perStatement));
            String sql = existingSql.computeIfAbsent(chunk.size(),
                    n -> "SELECT entity_key FROM lab_entities WHERE entity_key IN (" + placeholders(n) + ")");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (EntityRow e : chunk) {
                    ps.setString(i++, e.entityKey());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        existing.add(rs.getString(1));
                    }
                }
            }
        }
        return existing;
    }

    private Set<String> upsertEntities(Connection c, List<EntityRow> entities, Instant now) throws SQLException {
        Set<String> changed = new HashSet<>();
        int perStatement = rowsPerStatement(ENTITY_COLUMNS.length);
        for (int from = 0; from < entities.size(); from += perStatement) {
            List<EntityRow> chunk = entities.subList(from, Math.min(entities.size(), from + perStatement));
            String sql = entitySql.computeIfAbsent(chunk.size(), n -> insertSql("lab_entities", ENTITY_COLUMNS, n,
                    "ON CONFLICT (entity_key) DO UPDATE SET vendor = excluded.vendor, "
                            + "entity_type = excluded.entity_type, entity_id = excluded.entity_id, "
                            + "version = excluded.version, deleted = excluded.deleted, state = excluded.state, "
                            + "last_event_id = excluded.last_event_id, updated_at = excluded.updated_at, "
                            + "merge_seq = excluded.merge_seq "
                            + "WHERE excluded.version > lab_entities.version OR (excluded.version = lab_entities.version "
                            + "AND excluded.merge_seq > lab_entities.merge_seq) RETURNING entity_key",
                    col -> col.equals("state")));
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (EntityRow e : chunk) {
                    ps.setString(i++, e.entityKey());
                    ps.setString(i++, e.vendor());
                    ps.setString(i++, e.entityType());
                    ps.setString(i++, e.entityId());
                    ps.setLong(i++, e.version());
                    ps.setBoolean(i++, e.deleted());
                    ps.setBytes(i++, e.state());
                    ps.setString(i++, e.lastEventId());
                    dialect.setInstant(ps, i++, now);
                    ps.setLong(i++, e.mergeSeq());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changed.add(rs.getString(1));
                    }
                }
            }
        }
        return changed;
    }

    /**
     * Replaces the results and categories of {@code entities} whatever their version (the rebuild: the rows were
     * re-derived from the same version). The entity rows themselves are updated in place.
     */
    public int rewrite(List<EntityRow> entities) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            if (c.getAutoCommit()) {
                c.setAutoCommit(false);
            }
            try {
                Set<String> keys = new HashSet<>();
                try (PreparedStatement ps = c.prepareStatement("UPDATE lab_entities SET state = " + dialect.jsonBytesParameter()
                        + ", updated_at = ? WHERE entity_key = ? AND version = ?")) {
                    for (EntityRow e : entities) {
                        ps.setBytes(1, e.state());
                        dialect.setInstant(ps, 2, now);
                        ps.setString(3, e.entityKey());
                        ps.setLong(4, e.version());
                        ps.addBatch();
                    }
                    int[] counts = entities.isEmpty() ? new int[0] : ps.executeBatch();
                    for (int i = 0; i < counts.length; i++) {
                        // an entity the sink advanced meanwhile (another version) is left alone
                        if (counts[i] > 0 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                            keys.add(entities.get(i).entityKey());
                        }
                    }
                }
                int rows = replaceResults(c, entities, keys);
                replaceCategories(c, entities, keys);
                c.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        }
    }

    private void deleteRows(Connection c, String table, Set<String> changed) throws SQLException {
        // One statement per chunk of keys, not one per key: a per-key DELETE that PostgreSQL planned
        // generically on a young table (no statistics yet) scans the whole table each time.
        List<String> keys = new ArrayList<>(changed);
        int perStatement = rowsPerStatement(1);
        for (int from = 0; from < keys.size(); from += perStatement) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + perStatement));
            String sql = deleteSql.computeIfAbsent(table + " " + chunk.size(),
                    k -> "DELETE FROM " + table + " WHERE entity_key IN (" + placeholders(chunk.size()) + ")");
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (String key : chunk) {
                    ps.setString(i++, key);
                }
                ps.executeUpdate();
            }
        }
    }

    private void replaceCategories(Connection c, List<EntityRow> entities, Set<String> changed) throws SQLException {
        if (changed.isEmpty()) {
            return;
        }
        deleteRows(c, CATEGORIES.name(), changed);
        List<Object[]> rows = new ArrayList<>();
        for (EntityRow e : entities) {
            if (changed.contains(e.entityKey())) {
                for (CategoryRow r : e.categories()) {
                    rows.add(new Object[] {e.entityKey(), r.category(), r.status(), r.method(), r.dateTested(),
                        r.inputUnits(), r.reportUnits(), r.secondaryReportUnits(), r.reportedAsWet(), r.infoFieldsJson()});
                }
            }
        }
        dialect.insertAll(c, CATEGORIES, rows);
    }

    private int replaceResults(Connection c, List<EntityRow> entities, Set<String> changed) throws SQLException {
        if (changed.isEmpty()) {
            return 0;
        }
        deleteRows(c, RESULTS.name(), changed);
        List<Object[]> rows = new ArrayList<>();
        for (EntityRow e : entities) {
            if (changed.contains(e.entityKey())) {
                for (ResultRow r : e.results()) {
                    rows.add(new Object[] {e.entityKey(), r.category(), r.analyte(), r.value(), r.valueText(), r.unit(),
                        r.reportUnit(), r.lod(), r.loq(), r.limit(), r.max(), r.limitLow(), r.limitHigh(), r.stdev(),
                        r.rsd(), r.rpd(), r.regulatorNotes(), r.verdict(), r.categoryStatus()});
                }
            }
        }
        return dialect.insertAll(c, RESULTS, rows);
    }

    private int rowsPerStatement(int columns) {
        return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, dialect.maxParameters() / columns));
    }

    private String insertSql(String table, String[] columns, int rows, String tail, Function<String, Boolean> json) {
        StringBuilder row = new StringBuilder("(");
        for (int i = 0; i < columns.length; i++) {
            row.append(i == 0 ? "" : ", ").append(json.apply(columns[i]) ? dialect.jsonBytesParameter() : "?");
        }
        row.append(')');
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (")
                .append(String.join(", ", columns)).append(") VALUES ");
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "" : ", ").append(row);
        }
        return sql.append(' ').append(tail).toString();
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
