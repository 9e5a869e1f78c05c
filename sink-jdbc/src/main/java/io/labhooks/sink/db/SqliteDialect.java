package io.labhooks.sink.db;

import com.zaxxer.hikari.HikariConfig;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite, the embedded default: one writer connection, WAL (readers never block the writer),
 * {@code busy_timeout} and {@code synchronous=FULL} (a commit is on disk before
 * the Kafka offsets move). Timestamps are ISO-8601 UTC text with a fixed width, so they sort as text and
 * SQLite's date functions read them.
 */
public final class SqliteDialect implements Dialect {
    /** How long a write waits for another process's lock before the attempt fails and the sink backs off. */
    static final int BUSY_TIMEOUT_MS = 5_000;
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public void configurePool(HikariConfig pool) {
        pool.setMaximumPoolSize(1);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(BUSY_TIMEOUT_MS + 5_000L);
        pool.setAutoCommit(false);
        pool.addDataSourceProperty("journal_mode", "WAL");
        pool.addDataSourceProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
        pool.addDataSourceProperty("synchronous", "FULL");
        // Not transaction_mode=IMMEDIATE: sqlite-jdbc begins the next transaction right after each commit, so
        // an idle pooled connection would hold the write lock. The sink is the only writer; DEFERRED is safe.
        pool.addDataSourceProperty("foreign_keys", "true");
    }

    @Override
    public String dateParameter() {
        return "?";
    }

    @Override
    public String jsonBytesParameter() {
        // a bound BLOB cast to TEXT: SQLite takes the bytes as UTF-8 text, without a copy through a Java String
        return "CAST(? AS TEXT)";
    }

    @Override
    public String jsonParameter() {
        return "?";
    }

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setString(index, TIMESTAMP.format(value));
    }

    @Override
    public void setDecimal(PreparedStatement ps, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.REAL);
        } else {
            ps.setDouble(index, value.doubleValue());
        }
    }

    @Override
    public DbFailure classify(SQLException e) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            return switch (code.code & 0xff) {
                case 18, 19, 20 -> new DbFailure(DbFailure.Kind.REJECTED, code.name()); // TOOBIG, CONSTRAINT*, MISMATCH
                default -> new DbFailure(DbFailure.Kind.UNAVAILABLE, code.name());
            };
        }
        return new DbFailure(DbFailure.Kind.UNAVAILABLE, e.getSQLState() == null ? "unknown" : e.getSQLState());
    }

    @Override
    public int maxParameters() {
        return 32_766;
    }
}
