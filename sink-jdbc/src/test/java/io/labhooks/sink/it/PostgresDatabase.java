package io.labhooks.sink.it;

import java.io.IOException;
import io.labhooks.testkit.PostgresSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schema of its own ({@code labhooks_test_<random>}) in the PostgreSQL named by {@code LABHOOKS_PG_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}, or {@code LABHOOKS_PG_USER}),
 * created for one test and dropped on close, so runs never see each other's rows.
 */
final class PostgresDatabase implements TestDatabase {
    static final String URL = PostgresSchema.URL;
    static final String USER = PostgresSchema.USER;
    private static final Pattern HOST_PORT = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?(/.*)");

    private final PostgresSchema pg;
    private final String schema;

    PostgresDatabase() throws SQLException {
        this.pg = new PostgresSchema("labhooks_test");
        this.schema = pg.name();
    }

    /**
     * Null if a PostgreSQL answers; otherwise the reason to skip the PostgreSQL tests, which they report. Under
     * {@code CI=true} a missing server fails instead: there the PostgreSQL tests must run.
     */
    static String unavailable() {
        return PostgresSchema.unavailable().orElse(null);
    }

    static String withParam(String url, String param) {
        return PostgresSchema.withParam(url, param);
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
        pg.close();
    }
}
