package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.normalizer.adapter.AdapterResult;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.normalizer.adapter.RawInput;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.sink.Warehouse;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labhooks sink --rebuild}: rows written by the V1 warehouse and the old adapter get the new fields. */
class SinkRebuildTest {
    @TempDir
    Path dir;

    final EventCodec codec = new EventCodec();

    /** The event as the adapter made it before issue 10: no verdicts, categories, report units or other compound fields. */
    CanonicalEvent oldFormat(LabhooksConfig cfg, ObjectNode sample) {
        RawInput in = new RawInput(cfg.source("confident").orElseThrow(), "d-1", Instant.parse("2024-03-02T00:00:00Z"),
                Map.of(), sample.toString().getBytes(StandardCharsets.UTF_8));
        CanonicalEvent now = ((AdapterResult.Accepted) new Adapters().forSource(in.source()).adapt(in)).events().get(0);
        ObjectNode data = now.data().deepCopy();
        data.remove(List.of("categories", "warnings"));
        for (JsonNode r : data.get("results")) {
            ObjectNode o = (ObjectNode) r;
            o.put("unit", o.get("report_unit").asText()); // the old adapter preferred report_units
            o.remove(List.of("report_unit", "max", "limit_low", "limit_high", "stdev", "rsd", "rpd", "regulator_notes", "verdict"));
        }
        return new CanonicalEvent(now.id(), now.source(), now.type(), now.subject(), now.time(), now.vendor(), now.entityType(),
                now.entityId(), now.version(), now.deliveryId(), now.receivedAt(), true, data);
    }

    @Test
    void oldRowsGetTheNewColumnsFromTheStoredVendorPayload() throws Exception {
        Path db = dir.resolve("warehouse.db");
        Path yaml = dir.resolve("labhooks.yaml");
        Files.writeString(yaml, "sources:\n  - {id: confident, vendor: confident, auth: {type: none}}\n"
                + "sink: {jdbc-url: \"jdbc:sqlite:" + db + "\"}\n");
        LabhooksConfig cfg = ConfigLoader.load(yaml, Map.of());
        // a panel with a failing analyte (and, as every panel, mycotoxins in ppb reported as µg/kg)
        ObjectNode panel = null;
        for (long seed = 1; panel == null; seed++) {
            ObjectNode p = ConfidentPayloads.panel("OLD-1", Instant.parse("2024-03-01T12:00:00Z"), seed);
            if (p.path("lab_data").path("status").asInt() == 2) {
                panel = p;
            }
        }
        CanonicalEvent old = oldFormat(cfg, panel);
        try (Warehouse w = new Warehouse(cfg.sink())) {
            assertThat(w.migrate("1")).isEqualTo(1);
            try (Connection c = w.dataSource().getConnection()) {
                insertV1(c, old);
                c.commit();
            }
        }

        CliRun run = CliRun.of("sink", "--rebuild", "--config", yaml.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("1 Confident events read, 1 rewritten; 1 entities rewritten, 0 left as they are");

        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertThat(rows(c, "SELECT count(*) FROM lab_results WHERE verdict IS NULL")).containsExactly("0");
            assertThat(rows(c, "SELECT unit || ' -> ' || report_unit FROM lab_results WHERE category = 'mycotoxins' "
                    + "AND analyte = 'ochratoxin_a'")).containsExactly("ppb -> µg/kg");
            assertThat(rows(c, "SELECT count(*) FROM lab_results WHERE stdev IS NOT NULL AND rsd IS NOT NULL")).isNotEqualTo(List.of("0"));
            assertThat(rows(c, "SELECT count(*) FROM lab_result_categories")).containsExactly("11");
            assertThat(rows(c, "SELECT lab_status, failed_analytes > 0, date_tested IS NOT NULL FROM lab_samples"))
                    .containsExactly("fail|1|1");
            assertThat(rows(c, "SELECT count(*) FROM lab_events e, json_each(e.payload, '$.data.results') r "
                    + "WHERE r.value ->> '$.verdict' = 'fail'")).isNotEqualTo(List.of("0"));
            assertThat(rows(c, "SELECT event_id FROM lab_events")).containsExactly(old.id());
        }
        CliRun again = CliRun.of("sink", "--rebuild", "--config", yaml.toString());
        assertThat(again.out()).as("idempotent").contains("1 Confident events read, 0 rewritten");
    }

    @Test
    void helpNamesTheRebuild() {
        CliRun sink = CliRun.of("sink", "--help");
        assertThat(sink.out()).contains("--rebuild", "vendor payload");
    }

    private void insertV1(Connection c, CanonicalEvent e) throws SQLException {
        String now = "2024-03-02T00:00:00.000000Z";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lab_events (event_id, type, source_id, vendor, entity_key, "
                + "version, hwm_advanced, occurred_at, received_at, delivery_id, payload, written_at) VALUES (?,?,?,?,?,?,1,?,?,?,?,?)")) {
            ps.setString(1, e.id());
            ps.setString(2, e.type());
            ps.setString(3, "confident");
            ps.setString(4, e.vendor());
            ps.setString(5, e.entityKey());
            ps.setLong(6, e.version());
            ps.setString(7, now);
            ps.setString(8, now);
            ps.setString(9, e.deliveryId());
            ps.setString(10, new String(codec.write(e), StandardCharsets.UTF_8));
            ps.setString(11, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lab_entities (entity_key, vendor, entity_type, entity_id, "
                + "version, deleted, state, last_event_id, updated_at) VALUES (?,?,?,?,?,0,?,?,?)")) {
            ps.setString(1, e.entityKey());
            ps.setString(2, e.vendor());
            ps.setString(3, e.entityType());
            ps.setString(4, e.entityId());
            ps.setLong(5, e.version());
            ps.setString(6, e.data().toString());
            ps.setString(7, e.id());
            ps.setString(8, now);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO lab_results (entity_key, category, analyte, value, value_text, "
                + "unit, lod, loq, limit_value, status) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            for (JsonNode r : e.data().get("results")) {
                ps.setString(1, e.entityKey());
                ps.setString(2, r.get("category").asText());
                ps.setString(3, r.get("analyte").asText());
                ps.setObject(4, r.get("value").isNull() ? null : r.get("value").doubleValue());
                ps.setString(5, r.get("value_text").isNull() ? null : r.get("value_text").asText());
                ps.setString(6, r.get("unit").asText());
                ps.setObject(7, r.get("lod").isNull() ? null : r.get("lod").doubleValue());
                ps.setObject(8, r.get("loq").isNull() ? null : r.get("loq").doubleValue());
                ps.setObject(9, r.get("limit").isNull() ? null : r.get("limit").doubleValue());
                ps.setString(10, r.get("status").isNull() ? null : r.get("status").asText());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(String.join("|", row));
            }
        }
        return out;
    }
}
