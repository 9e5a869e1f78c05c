package io.labhooks.sink.db;

import com.zaxxer.hikari.HikariConfig;
import io.labhooks.config.JdbcDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The few things that differ between the warehouse databases. Everything else (tables, {@code ON CONFLICT},
 * {@code RETURNING}) is written once in standard-enough SQL that both PostgreSQL and SQLite (3.35 or newer) run.
 */
public interface Dialect {

    /** {@code postgresql} or {@code sqlite}; also the folder of this dialect's migrations under {@code db/migration}. */
    String name();

    /** The Flyway location of this dialect's migrations. */
    default String migrationLocation() {
        return "classpath:db/migration/" + name();
    }

    /** Pool size, driver properties and timeouts for this database. Never logs the password. */
    void configurePool(HikariConfig pool);

    /** A bind parameter for a JSON column: {@code CAST(? AS jsonb)} or {@code ?}. */
    String jsonParameter();

    /**
     * A bind parameter for a JSON column given as UTF-8 bytes ({@code setBytes}), so that a large document is never
     * turned into a Java {@code String} and back: {@code CAST(convert_from(?, 'UTF8') AS jsonb)} (an invalid UTF-8
     * sequence is a data error) or {@code CAST(? AS TEXT)} (stored as text, the bytes as they are).
     */
    String jsonBytesParameter();

    /** A bind parameter for a date column given as {@code yyyy-MM-dd} text: {@code CAST(? AS date)} or {@code ?}. */
    String dateParameter();

    void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException;

    /** Binds a decimal, or SQL NULL. */
    void setDecimal(PreparedStatement ps, int index, BigDecimal value) throws SQLException;

    /**
     * Appends {@code rows} to {@code table} in the connection's transaction, each row's values in the table's column
     * order; returns the number of rows. Plain inserts: for rows no other row conflicts with (the writer deletes an
     * entity's old results before it inserts the new ones). This default is one batched {@code INSERT}.
     */
    default int insertAll(Connection c, Table table, List<Object[]> rows) throws SQLException {
        return BatchedInsert.insertAll(this, c, table, rows);
    }

    /** Whether {@code e} blames the row (dead-letter it) or the database (back off and retry). */
    DbFailure classify(SQLException e);

    /** Bind parameters allowed in one statement; multi-row statements are chunked below this. */
    int maxParameters();

    /**
     * The dialect for a JDBC URL. Which URLs are supported is {@link JdbcDatabase}'s to say (the config's
     * {@code sink.jdbc-url} check asks it too); a programmatic caller with another URL gets its message.
     */
    static Dialect forUrl(String jdbcUrl) {
        JdbcDatabase db = JdbcDatabase.of(jdbcUrl)
                .orElseThrow(() -> new IllegalArgumentException("jdbc-url " + JdbcDatabase.REQUIREMENT));
        return switch (db) {
            case POSTGRESQL -> new PostgresDialect();
            case SQLITE -> new SqliteDialect();
        };
    }
}
