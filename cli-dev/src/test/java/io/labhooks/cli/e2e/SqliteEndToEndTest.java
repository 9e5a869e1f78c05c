package io.labhooks.cli.e2e;

import io.labhooks.cli.LocalPipelines;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end suite into the embedded default warehouse, SQLite at {@code <data-dir>/warehouse.db}. */
class SqliteEndToEndTest extends AbstractEndToEndTest {
    @BeforeAll
    static void start() throws Exception {
        startPipeline(LocalPipelines.builtInConfig(), false);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("warehouse.db"));
    }

    @Override
    String dialect() {
        return "sqlite";
    }
}
