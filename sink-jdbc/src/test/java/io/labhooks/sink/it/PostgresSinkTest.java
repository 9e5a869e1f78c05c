package io.labhooks.sink.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.sink.Warehouse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sink into PostgreSQL, the production warehouse. Skipped with a message when no server answers at
 * {@code LABHOOKS_PG_URL}; under {@code CI=true} that fails the build instead.
 */
class PostgresSinkTest extends AbstractSinkTest {
    private PostgresDatabase pg;

    @Override
    protected String unavailable() {
        return PostgresDatabase.unavailable();
    }

    @Override
    protected TestDatabase newDatabase() throws Exception {
        pg = new PostgresDatabase();
        return pg;
    }

    @Override
    protected Outage newOutage() throws Exception {
        return pg.proxyOutage();
    }

    @Override
    protected String dialect() {
        return "postgresql";
    }

    @Override
    protected String outOfRangeReason() {
        return "22003";
    }

    @Test
    void jsonColumnsAreJsonb() throws Exception {
        try (Warehouse w = new Warehouse(config(group(), 10).sink())) {
            w.migrate();
        }
        List<List<String>> types = SinkFixture.rows(sql(), "SELECT table_name, column_name, data_type "
                + "FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'jsonb' "
                + "ORDER BY table_name");
        assertThat(types).containsExactly(List.of("lab_entities", "state", "jsonb"),
                List.of("lab_events", "payload", "jsonb"), List.of("lab_result_categories", "info_fields", "jsonb"));
    }
}
