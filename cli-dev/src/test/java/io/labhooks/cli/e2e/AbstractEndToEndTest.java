package io.labhooks.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.cli.LocalPipelines;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.Vendor;
import io.labhooks.testkit.sim.Credentials;
import io.labhooks.testkit.sim.ExpectedState;
import io.labhooks.testkit.sim.Report;
import io.labhooks.testkit.sim.Scenario;
import io.labhooks.testkit.sim.Simulator;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End to end, per vendor: the simulator sends a seeded scenario (duplicates, shuffled, revisions) over real HTTP
 * to the real ingress; it goes through the real broker, normalizer and sink; the warehouse must then equal the
 * simulator's expected state row for row, and {@code lab_events} must hold each distinct event exactly once.
 * One subclass per database.
 */
abstract class AbstractEndToEndTest {
    static final Map<Vendor, String> DEV_SECRETS = Map.of(Vendor.CONFIDENT, "dev-confident-token", Vendor.FLABS, "dev-flabs-token",
            Vendor.LML, "dev-lml-token", Vendor.COREONE, "dev-coreone-secret");

    @TempDir
    static Path dataDir;

    static AutoCloseable pipeline;
    static int port;

    /** Starts the pipeline (built-in development config) writing to the subclass's database. */
    static void startPipeline(LabhooksConfig cfg, boolean useConfiguredSink) throws Exception {
        LocalPipelines.Running p = LocalPipelines.start(cfg, dataDir, useConfiguredSink);
        pipeline = p;
        port = p.port();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    abstract Connection connect() throws SQLException;

    abstract String dialect();

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"CONFIDENT", "FLABS", "LML", "COREONE"})
    void theWarehouseEndsExactlyAsTheSimulatorExpects(Vendor vendor) throws Exception {
        Scenario scenario = Scenario.build(Scenario.Options.of(vendor).withCount(vendor == Vendor.COREONE ? 1 : 6)
                .withRevisions(3).withDuplicates(0.3).withShuffle(true).withSeed(11)
                .withIdPrefix("e2e-" + dialect() + "-"));
        URI url = URI.create("http://127.0.0.1:" + port + "/hooks/" + vendor.id());
        Report report;
        try (Simulator sim = Simulator.builder(url).credentials(Credentials.forVendor(vendor, DEV_SECRETS.get(vendor)))
                .concurrency(4).build()) {
            report = sim.run(scenario);
        }
        assertThat(report.exitCode()).as(report.summary()).isZero();
        assertThat(report.acknowledged()).isEqualTo(scenario.size());
        ExpectedState expected = scenario.expected(report.acknowledgedEventKeys());
        assertThat(expected.entities()).isNotEmpty();

        List<String> keys = expected.entities().stream().map(ExpectedState.Entity::entityKey).toList();
        List<String> wantEntities = expected.entities().stream().map(AbstractEndToEndTest::row).sorted().toList();
        List<String> wantEvents = expected.events().stream().map(AbstractEndToEndTest::row).sorted().toList();
        List<String> wantResults = expected.results().stream().map(AbstractEndToEndTest::row).sorted().toList();
        List<String> wantCategories = expected.categories().stream().map(AbstractEndToEndTest::row).sorted().toList();
        List<String> wantSamples = expected.samples().stream().map(AbstractEndToEndTest::row).sorted().toList();
        if (vendor == Vendor.CONFIDENT) {
            // the scenario exercises what analysts rely on: failures on single analytes, and units that differ
            assertThat(expected.results()).anyMatch(r -> "fail".equals(r.verdict()));
            assertThat(expected.results()).anyMatch(r -> "pass".equals(r.verdict()) && r.limit() != null);
            assertThat(expected.results()).anyMatch(r -> r.unit() != null && !r.unit().equals(r.reportUnit()));
            assertThat(expected.results()).anyMatch(r -> r.limitHigh() != null && r.stdev() != null);
            assertThat(expected.results()).anyMatch(r -> r.max() != null && r.rsd() != null);
            assertThat(expected.categories()).isNotEmpty();
            assertThat(expected.samples()).hasSize(expected.entities().size());
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (Connection c = connect()) {
                assertThat(entities(c, keys, expected)).containsExactlyElementsOf(wantEntities);
                assertThat(events(c, keys, expected)).containsExactlyElementsOf(wantEvents);
                assertThat(results(c, keys)).containsExactlyElementsOf(wantResults);
                assertThat(categories(c, keys)).containsExactlyElementsOf(wantCategories);
                assertThat(samples(c, keys)).containsExactlyElementsOf(wantSamples);
            }
        });
    }

    static String row(ExpectedState.Entity e) {
        return String.join("|", e.entityKey(), e.vendor(), e.entityType(), e.entityId(), Boolean.toString(e.deleted()),
                e.type() == null ? "*" : e.type(), e.version() == null ? "*" : e.version().toString());
    }

    static String row(ExpectedState.Event e) {
        return String.join("|", e.entityKey(), e.type(), e.version() == null ? "*" : e.version().toString());
    }

    static String row(ExpectedState.Result r) {
        return String.join("|", r.entityKey(), r.category(), r.analyte(), String.valueOf(r.valueText()), number(r.value()),
                String.valueOf(r.unit()), String.valueOf(r.reportUnit()), number(r.lod()), number(r.loq()), number(r.limit()),
                number(r.max()), number(r.limitLow()), number(r.limitHigh()), number(r.stdev()), number(r.rsd()),
                number(r.rpd()), String.valueOf(r.regulatorNotes()), String.valueOf(r.verdict()),
                String.valueOf(r.categoryStatus()));
    }

    static String row(ExpectedState.Category c) {
        return String.join("|", c.entityKey(), c.category(), String.valueOf(c.status()), String.valueOf(c.method()),
                String.valueOf(c.dateTested()), String.valueOf(c.inputUnits()), String.valueOf(c.reportUnits()),
                String.valueOf(c.reportedAsWet()));
    }

    static String row(ExpectedState.Sample s) {
        return String.join("|", s.entityKey(), String.valueOf(s.labStatus()), Long.toString(s.failedAnalytes()),
                String.valueOf(s.dateTested()));
    }

    static String number(BigDecimal v) {
        return v == null ? "null" : v.stripTrailingZeros().toPlainString();
    }

    private static String in(List<String> keys) {
        return String.join(",", keys.stream().map(k -> "?").toList());
    }

    private static PreparedStatement query(Connection c, String sql, List<String> keys) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < keys.size(); i++) {
            ps.setString(i + 1, keys.get(i));
        }
        return ps;
    }

    private List<String> entities(Connection c, List<String> keys, ExpectedState expected) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = query(c, "SELECT n.entity_key, n.vendor, n.entity_type, n.entity_id, n.deleted, e.type, n.version"
                + " FROM lab_entities n LEFT JOIN lab_events e ON e.event_id = n.last_event_id WHERE n.entity_key IN (" + in(keys) + ")", keys);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ExpectedState.Entity want = expected.entity(rs.getString(1));
                out.add(String.join("|", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Boolean.toString(rs.getBoolean(5)), want != null && want.type() == null ? "*" : rs.getString(6),
                        want != null && want.version() == null ? "*" : Long.toString(rs.getLong(7))));
            }
        }
        out.sort(null);
        return out;
    }

    private List<String> events(Connection c, List<String> keys, ExpectedState expected) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = query(c, "SELECT entity_key, type, version FROM lab_events WHERE entity_key IN (" + in(keys) + ")", keys);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(1);
                String type = rs.getString(2);
                boolean receiptOrdered = expected.events().stream()
                        .anyMatch(e -> e.entityKey().equals(key) && e.type().equals(type) && e.version() == null);
                out.add(String.join("|", key, type, receiptOrdered ? "*" : Long.toString(rs.getLong(3))));
            }
        }
        out.sort(null);
        return out;
    }

    private List<String> results(Connection c, List<String> keys) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = query(c, "SELECT entity_key, category, analyte, value_text, value, unit, report_unit, lod, loq, "
                + "limit_value, max_value, limit_low, limit_high, stdev, rsd, rpd, regulator_notes, verdict, category_status "
                + "FROM lab_results WHERE entity_key IN (" + in(keys) + ")", keys);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= 19; i++) {
                    boolean decimal = i == 5 || (i >= 8 && i <= 16);
                    row.add(decimal ? number(rs.getBigDecimal(i)) : String.valueOf(rs.getString(i)));
                }
                out.add(String.join("|", row));
            }
        }
        out.sort(null);
        return out;
    }

    private List<String> categories(Connection c, List<String> keys) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = query(c, "SELECT entity_key, category, status, method, date_tested, input_units, report_units, "
                + "reported_as_wet FROM lab_result_categories WHERE entity_key IN (" + in(keys) + ")", keys);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                boolean wet = rs.getBoolean(8);
                String wetText = rs.wasNull() ? "null" : Boolean.toString(wet);
                out.add(String.join("|", rs.getString(1), rs.getString(2), String.valueOf(rs.getString(3)),
                        String.valueOf(rs.getString(4)), String.valueOf(rs.getString(5)), String.valueOf(rs.getString(6)),
                        String.valueOf(rs.getString(7)), wetText));
            }
        }
        out.sort(null);
        return out;
    }

    private List<String> samples(Connection c, List<String> keys) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = query(c, "SELECT entity_key, lab_status, failed_analytes, date_tested FROM lab_samples "
                + "WHERE entity_key IN (" + in(keys) + ")", keys);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(String.join("|", rs.getString(1), String.valueOf(rs.getString(2)), Long.toString(rs.getLong(3)),
                        String.valueOf(rs.getString(4))));
            }
        }
        out.sort(null);
        return out;
    }

    static String lower(Vendor v) {
        return v.name().toLowerCase(Locale.ROOT);
    }
}
