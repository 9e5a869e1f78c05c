package io.labhooks.sink.db;

import com.zaxxer.hikari.HikariConfig;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * PostgreSQL, the production warehouse: {@code jsonb}, {@code timestamptz}, {@code reWriteBatchedInserts}.
 * Rows without conflicts (results, categories) are appended with {@code COPY … FROM STDIN} in the transaction.
 * Timeouts are bounded so that one write attempt always ends well inside the consumer's
 * {@code max.poll.interval.ms}; a parameter given in the JDBC URL wins over these defaults.
 */
public final class PostgresDialect implements Dialect {
    /** Fails an attempt on an unreachable server quickly, so the sink goes back to polling. */
    static final long CONNECTION_TIMEOUT_MS = 5_000;
    /** A read that waits this long means the server or the network is gone (seconds, for pgjdbc). */
    static final int SOCKET_TIMEOUT_S = 60;
    /** {@code COPY} data is sent to the server in pieces of about this many characters. */
    private static final int COPY_CHUNK_CHARS = 64 * 1024;

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

    /**
     * {@code COPY} in text format: the server parses each value with the same input function as a bound
     * parameter ({@code numeric}, {@code date}, {@code jsonb}), so a value it refuses fails the same way (SQLState
     * class 22) and the batch falls back to record by record as with an {@code INSERT}. Values are sent in chunks.
     */
    @Override
    public int insertAll(Connection c, Table table, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        List<Table.Column> columns = table.columns();
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY " + table.name() + " (" + table.columnList() + ") FROM STDIN");
        try {
            StringBuilder chunk = new StringBuilder(COPY_CHUNK_CHARS + 4096);
            for (Object[] row : rows) {
                for (int i = 0; i < columns.size(); i++) {
                    if (i > 0) {
                        chunk.append('\t');
                    }
                    appendCopyValue(chunk, columns.get(i).type(), row[i]);
                }
                chunk.append('\n');
                if (chunk.length() >= COPY_CHUNK_CHARS) {
                    send(in, chunk);
                }
            }
            send(in, chunk);
            return Math.toIntExact(in.endCopy());
        } catch (SQLException | RuntimeException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    private static void send(CopyIn in, StringBuilder chunk) throws SQLException {
        if (chunk.length() > 0) {
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            chunk.setLength(0);
        }
    }

    /** One value in {@code COPY}'s text format: {@code \N} for NULL, backslash escapes for the delimiters. */
    static void appendCopyValue(StringBuilder out, Table.Type type, Object value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        switch (type) {
            case DECIMAL -> out.append(((BigDecimal) value).toString());
            case BOOLEAN -> out.append((Boolean) value ? 't' : 'f');
            default -> appendCopyText(out, (String) value);
        }
    }

    private static void appendCopyText(StringBuilder out, String s) {
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            String escaped = switch (ch) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (escaped != null) {
                out.append(s, from, i).append(escaped);
                from = i + 1;
            }
        }
        out.append(s, from, s.length());
    }

    @Override
    public String dateParameter() {
        return "CAST(? AS date)";
    }

    @Override
    public String jsonBytesParameter() {
        return "CAST(convert_from(?, 'UTF8') AS jsonb)";
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
