package io.labhooks.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's commits only append to the WAL (no automatic checkpoint on its thread); the warehouse's own
 * checkpoint thread copies the pages into the database file while the writer goes on.
 */
class SqliteCheckpointTest {
    private static SinkConfig config(Path db) {
        return new SinkConfig("jdbc:sqlite:" + db, null, null, "labhooks-sink", 100, Duration.ofMillis(200));
    }

    @Test
    void theWriterDoesNotCheckpointTheWarehouseThreadDoes(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("warehouse.db");
        try (Warehouse w = new Warehouse(config(db))) {
            w.migrate();
            try (Connection c = w.dataSource().getConnection()) {
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA wal_autocheckpoint")) {
                    r.next();
                    assertThat(r.getInt(1)).as("no checkpoint inside the writer's commits").isZero();
                }
                long before = Files.size(db);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO filler (body) VALUES (?)")) {
                    String body = "x".repeat(50_000);
                    for (int i = 0; i < 200; i++) { // about 10 MB: 600 pages, under the automatic checkpoint's 1,000
                        ps.setString(1, body);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                // the pages reach the database file without a checkpoint by the writer (autocheckpoint is off)
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(db) > before + 5_000_000);
            }
        }
        assertThat(Files.exists(dir.resolve("warehouse.db-wal")) ? Files.size(dir.resolve("warehouse.db-wal")) : 0)
                .as("closed: the WAL is checkpointed and removed").isZero();
    }

    @Test
    void aWarehouseInMemoryKeepsSqlitesOwnCheckpoints() throws SQLException {
        try (Warehouse w = new Warehouse(new SinkConfig("jdbc:sqlite::memory:", null, null, "labhooks-sink", 100,
                Duration.ofMillis(200)))) {
            try (Connection c = w.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("PRAGMA wal_autocheckpoint")) {
                r.next();
                assertThat(r.getInt(1)).isEqualTo(1000);
            }
        }
    }
}
