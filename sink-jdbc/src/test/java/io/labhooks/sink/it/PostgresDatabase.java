package io.labhooks.sink.it;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;

/**
 * A schema of its own ({@code labhooks_test_<random>}) in the PostgreSQL named by {@code LABHOOKS_PG_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}, or {@code LABHOOKS_PG_USER}),
 * created for one test and dropped on close, so runs never see each other's rows.
 */
final class PostgresDatabase implements TestDatabase {
    static final String URL = env("LABHOOKS_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("LABHOOKS_PG_USER", "postgres");
    private static final Pattern HOST_PORT = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?(/.*)");

    private final String schema;

    PostgresDatabase() throws SQLException {
        this.schema = "labhooks_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /**
     * Null if a PostgreSQL answers; otherwise the reason to skip the PostgreSQL tests, which they report. Under
     * {@code CI=true} a missing server fails instead: there the PostgreSQL tests must run.
     */
    static String unavailable() {
        try (Connection c = DriverManager.getConnection(withParam(URL, "connectTimeout=3"), USER, null)) {
            Assertions.assertTrue(c.isValid(3));
            return null;
        } catch (SQLException e) {
            String msg = "PostgreSQL not reachable at " + URL + " as " + USER + " (" + e.getMessage()
                    + "); set LABHOOKS_PG_URL to run the PostgreSQL tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg + ". CI=true: PostgreSQL tests must run.", e);
            }
            System.err.println("SKIPPING: " + msg);
            return msg + ". Skipped.";
        }
    }

    static String withParam(String url, String param) {
        return url + (url.contains("?") ? "&" : "?") + param;
    }

    @Override
    public String jdbcUrl() {
        return withParam(URL, "currentSchema=" + schema);
    }

    @Override
    public String username() {
        return USER;
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, null);
    }

    /** A {@link TcpProxy} in front of the server; the outage cuts it. */
    Outage proxyOutage() throws IOException {
        Matcher m = HOST_PORT.matcher(URL);
        if (!m.matches()) {
            throw new IllegalStateException("cannot read host and port of " + URL);
        }
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        TcpProxy proxy = new TcpProxy(m.group(1), port);
        String viaProxy = withParam("jdbc:postgresql://127.0.0.1:" + proxy.port() + m.group(3),
                "currentSchema=" + schema);
        return new Outage() {
            @Override
            public String jdbcUrl() {
                return viaProxy;
            }

            @Override
            public void begin() {
                proxy.cut();
            }

            @Override
            public void end() {
                proxy.restore();
            }

            @Override
            public void close() throws IOException {
                proxy.close();
            }
        };
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
