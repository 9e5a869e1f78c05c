package io.labhooks.cli.e2e;

import io.labhooks.cli.LocalPipelines;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SinkConfig;
import io.labhooks.testkit.PostgresSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end suite into PostgreSQL (a schema of its own). Skipped without a server, except under CI=true. */
class PostgresEndToEndTest extends AbstractEndToEndTest {
    static PostgresSchema schema;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> skip = PostgresSchema.unavailable();
        Assumptions.assumeTrue(skip.isEmpty(), () -> skip.orElse(""));
        schema = new PostgresSchema("labhooks_e2e");
        LabhooksConfig cfg = LocalPipelines.builtInConfig();
        SinkConfig s = cfg.sink();
        startPipeline(cfg.withSink(new SinkConfig(schema.jdbcUrl(), PostgresSchema.USER, null, s.groupId(), s.batchSize(),
                s.pollTimeout())), true);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        stopPipeline();
        if (schema != null) {
            schema.close();
        }
    }

    @Override
    Connection connect() throws SQLException {
        return schema.connect();
    }

    @Override
    String dialect() {
        return "pg";
    }
}
