package io.labhooks.sink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.sink.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The sink into SQLite, the embedded default. */
class SqliteSinkTest extends AbstractSinkTest {
    private SqliteDatabase sqlite;

    @Override
    protected TestDatabase newDatabase() throws Exception {
        sqlite = new SqliteDatabase();
        return sqlite;
    }

    @Override
    protected Outage newOutage() {
        return sqlite.lockOutage();
    }

    @Override
    protected String dialect() {
        return "sqlite";
    }

    @Override
    protected String outOfRangeReason() {
        return "SQLITE_CONSTRAINT_CHECK";
    }

    @Test
    void thePoolUsesWalABusyTimeoutAndOneWriter() throws Exception {
        try (Warehouse w = new Warehouse(config(group(), 10).sink())) {
            w.migrate();
            try (Connection c = w.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThat(scalar(s, "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
                assertThat(scalar(s, "PRAGMA busy_timeout")).isEqualTo("5000");
                assertThat(scalar(s, "PRAGMA synchronous")).isEqualTo("2");
                assertThat(scalar(s, "SELECT sqlite_version()")).isGreaterThanOrEqualTo("3.35");
                c.rollback();
            }
            assertThat(((com.zaxxer.hikari.HikariDataSource) w.dataSource()).getMaximumPoolSize()).isEqualTo(1);
        }
    }

    private static String scalar(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
