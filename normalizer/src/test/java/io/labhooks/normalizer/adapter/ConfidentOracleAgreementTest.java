package io.labhooks.normalizer.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import io.labhooks.testkit.sim.ExpectedState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's independent oracle ({@link ExpectedState#confidentPanel}) and the adapter agree on generated
 * panels, field by field, so that the end-to-end suite fails only for a real difference.
 */
class ConfidentOracleAgreementTest {
    final ConfidentAdapterTest t = new ConfidentAdapterTest();

    static BigDecimal dec(JsonNode n) {
        return n == null || n.isNull() ? null : n.decimalValue();
    }

    static String txt(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    @Test
    void adapterAndOracleAgreeOnGeneratedPanels() {
        int failures = 0;
        int differentUnits = 0;
        for (long seed = 1; seed <= 40; seed++) {
            ObjectNode sample = ConfidentPayloads.panel("S-" + seed, Instant.parse("2024-03-01T12:00:00Z"), seed);
            CanonicalEvent e = t.accept(ConfidentAdapterTest.input(sample));
            String key = e.entityKey();
            List<ExpectedState.Result> got = new ArrayList<>();
            for (JsonNode r : e.data().get("results")) {
                got.add(new ExpectedState.Result(key, r.get("category").asText(), r.get("analyte").asText(), txt(r.get("value_text")),
                        dec(r.get("value")), txt(r.get("unit")), txt(r.get("report_unit")), dec(r.get("lod")), dec(r.get("loq")),
                        dec(r.get("limit")), dec(r.get("max")), dec(r.get("limit_low")), dec(r.get("limit_high")),
                        dec(r.get("stdev")), dec(r.get("rsd")), dec(r.get("rpd")), txt(r.get("regulator_notes")),
                        txt(r.get("verdict")), txt(r.get("status"))));
            }
            ExpectedState.Panel want = ExpectedState.confidentPanel(key, sample);
            assertThat(got).as("seed %d", seed).usingRecursiveFieldByFieldElementComparator(
                    org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration.builder()
                            .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).build())
                    .containsExactlyElementsOf(want.results());
            List<ExpectedState.Category> cats = new ArrayList<>();
            for (JsonNode c : e.data().get("categories")) {
                JsonNode wet = c.get("reported_as_wet");
                cats.add(new ExpectedState.Category(key, c.get("category").asText(), txt(c.get("status")), txt(c.get("method")),
                        txt(c.get("date_tested")), txt(c.get("input_units")), txt(c.get("report_units")),
                        wet.isNull() ? null : wet.asBoolean()));
            }
            assertThat(cats).as("seed %d", seed).containsExactlyElementsOf(want.categories());
            assertThat(txt(e.data().get("lab_status"))).isEqualTo(want.sample().labStatus());
            failures += (int) want.sample().failedAnalytes();
            differentUnits += (int) want.results().stream().filter(r -> !r.unit().equals(r.reportUnit())).count();
        }
        assertThat(failures).as("single analytes fail in some panels").isPositive();
        assertThat(differentUnits).isPositive();
    }
}
