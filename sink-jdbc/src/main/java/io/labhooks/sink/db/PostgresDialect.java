package io.labhooks.sink.db;

import com.zaxxer.hikari.HikariConfig;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * PostgreSQL, the production warehouse: {@code jsonb}, {@code timestamptz}, {@code reWriteBatchedInserts}.
 * Timeouts are bounded so that one write attempt always ends well inside the consumer's
 * {@code max.poll.interval.ms}; a parameter given in the JDBC URL wins over these defaults.
 */
public final class PostgresDialect implements Dialect {
    /** Fails an attempt on an unreachable server quickly, so the sink goes back to polling. */
    static final long CONNECTION_TIMEOUT_MS = 5_000;
    /** A read that waits this long means the server or the network is gone (seconds, for pgjdbc). */
    static final int SOCKET_TIMEOUT_S = 60;

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public void configurePool(HikariConfig pool) {
        pool.setMaximumPoolSize(2);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        pool.setValidationTimeout(2_000);
        pool.setAutoCommit(false);
        pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        pool.addDataSourceProperty("ApplicationName", "labhooks-sink");
        pool.addDataSourceProperty("connectTimeout", Long.toString(CONNECTION_TIMEOUT_MS / 1000));
        pool.addDataSourceProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_S));
        pool.addDataSourceProperty("tcpKeepAlive", "true");
    }

    @Override
    public String dateParameter() {
        return "CAST(? AS date)";
    }

    @Override
    public String jsonParameter() {
        return "CAST(? AS jsonb)";
    }

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
    }

    @Override
    public void setDecimal(PreparedStatement ps, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NUMERIC);
        } else {
            ps.setBigDecimal(index, value);
        }
    }

    @Override
    public DbFailure classify(SQLException e) {
        String state = sqlState(e);
        if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
            return new DbFailure(DbFailure.Kind.REJECTED, state);
        }
        return new DbFailure(DbFailure.Kind.UNAVAILABLE, state == null ? "unknown" : state);
    }

    /** The first SQLState in the chain (batch errors carry the server's error as the next exception). */
    private static String sqlState(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (x.getSQLState() != null && !x.getSQLState().isEmpty()) {
                return x.getSQLState();
            }
        }
        return null;
    }

    @Override
    public int maxParameters() {
        return 32_767;
    }
}
