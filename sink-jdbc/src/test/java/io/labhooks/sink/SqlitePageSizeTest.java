package io.labhooks.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.config.SinkConfig;
import io.labhooks.sink.db.SqliteDialect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warehouse file the sink creates has 16 KiB pages; one that exists keeps its own. The writer has 64 MiB of cache. */
class SqlitePageSizeTest {
    private static SinkConfig config(Path db) {
        return new SinkConfig("jdbc:sqlite:" + db, null, null, "labhooks-sink", 100, Duration.ofMillis(200));
    }

    private static String pragma(Warehouse w, String name) throws SQLException {
        try (Connection c = w.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA " + name)) {
            r.next();
            return r.getString(1);
        }
    }

    @Test
    void aNewWarehouseHasSixteenKibPagesAndWal(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("new/folder/warehouse.db");
        try (Warehouse w = new Warehouse(config(db))) {
            w.migrate();
            assertThat(pragma(w, "page_size")).isEqualTo(Integer.toString(SqliteDialect.PAGE_SIZE));
            assertThat(pragma(w, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(w, "cache_size")).as("64 MiB of page cache").isEqualTo("-65536");
        }
        assertThat(Files.size(db)).isPositive();
    }

    @Test
    void anExistingWarehouseKeepsItsPageSize(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("warehouse.db");
        // as the sink made them before: the first connection switched an empty file to WAL with SQLite's default pages
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
        }
        try (Warehouse w = new Warehouse(config(db))) {
            assertThat(w.migrate()).isPositive();
            assertThat(pragma(w, "page_size")).isEqualTo("4096");
            assertThat(pragma(w, "journal_mode")).isEqualTo("wal");
        }
    }

    @Test
    void anEmptyFileIsTakenAsNoDatabaseYet(@TempDir Path dir) throws Exception {
        Path db = Files.createFile(dir.resolve("warehouse.db"));
        try (Warehouse w = new Warehouse(config(db))) {
            assertThat(pragma(w, "page_size")).isEqualTo(Integer.toString(SqliteDialect.PAGE_SIZE));
        }
    }
}
