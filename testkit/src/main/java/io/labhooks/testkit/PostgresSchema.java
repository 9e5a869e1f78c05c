package io.labhooks.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema of its own ({@code <prefix>_<random>}) in the PostgreSQL named by {@code LABHOOKS_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres} or {@code LABHOOKS_PG_USER}), created for
 * one test and dropped on close, so runs never see each other's rows.
 */
public final class PostgresSchema implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSchema.class);
    public static final String URL = env("LABHOOKS_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = env("LABHOOKS_PG_USER", "postgres");

    private final String schema;

    public PostgresSchema(String prefix) throws SQLException {
        this.schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * Empty if a PostgreSQL answers; otherwise why the PostgreSQL tests are skipped. Under {@code CI=true} a missing
     * server throws instead: there the PostgreSQL tests must run.
     */
    public static Optional<String> unavailable() {
        try (Connection c = DriverManager.getConnection(withParam(URL, "connectTimeout=3"), USER, null)) {
            if (!c.isValid(3)) {
                throw new SQLException("connection not valid");
            }
            return Optional.empty();
        } catch (SQLException e) {
            String msg = "PostgreSQL not reachable at " + URL + " as " + USER + " (" + e.getMessage()
                    + "); set LABHOOKS_PG_URL to run the PostgreSQL tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(msg + ". CI=true: PostgreSQL tests must run.", e);
            }
            LOG.warn("SKIPPING: {}", msg);
            return Optional.of(msg + ". Skipped.");
        }
    }

    public static String withParam(String url, String param) {
        return url + (url.contains("?") ? "&" : "?") + param;
    }

    public String name() {
        return schema;
    }

    public String jdbcUrl() {
        return withParam(URL, "currentSchema=" + schema);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, null);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
