package io.labhooks.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labhooks.config.Vendor;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimExpectedStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJsonHasTheDocumentedShape() throws Exception {
        ExpectedState s = ExpectedState.of("coreone", List.of(
                new ExpectedState.EventFact("k1", "coreone:client:7", "client", "7", "lab.coreone.client.create", 10L, false),
                new ExpectedState.EventFact("k2", "coreone:client:7", "client", "7", "lab.coreone.client.destroy", 20L, true),
                new ExpectedState.EventFact("k3", "coreone:instrument:VITEK 2", "instrument", "VITEK 2",
                        "lab.coreone.instrument.generate_instrument_file", null, false)));
        JsonNode root = JSON.readTree(s.toJson());

        assertThat(root.path("vendor").asText()).isEqualTo("coreone");
        JsonNode client = root.path("entities").get(0);
        assertThat(client.toString()).isEqualTo("{\"entity_key\":\"coreone:client:7\",\"vendor\":\"coreone\","
                + "\"entity_type\":\"client\",\"entity_id\":\"7\",\"deleted\":true,\"type\":\"lab.coreone.client.destroy\",\"version\":20}");
        JsonNode instrument = root.path("entities").get(1);
        assertThat(instrument.path("version").isNull()).isTrue();
        assertThat(instrument.path("type").asText()).isEqualTo("lab.coreone.instrument.generate_instrument_file");
        assertThat(root.path("events")).hasSize(3);
        assertThat(root.path("events").get(0).toString())
                .isEqualTo("{\"entity_key\":\"coreone:client:7\",\"type\":\"lab.coreone.client.create\",\"version\":10}");
        assertThat(root.path("results").isArray()).isTrue();
        assertThat(root.path("results")).isEmpty();
    }

    @Test
    void confidentValuesAreNumbersOnlyWhenPlainDecimals() throws Exception {
        JsonNode sample = JSON.readTree("{\"lab_data\":{\"categories\":{\"Heavy Metals\":{\"compounds\":["
                + "{\"name\":\"lead\",\"value\":\"0.51\"},{\"name\":\"lead\",\"value\":\"ND\"},{\"name\":\"arsenic\",\"value\":\"<LOQ\"},"
                + "{\"name\":\"\",\"value\":\"\"},{\"name\":\"cadmium\",\"value\":\"1,2\"},{\"name\":\"mercury\",\"value\":1.5e-3},"
                + "{\"name\":\"tin\",\"value\":null}]}}}}");
        List<ExpectedState.Result> r = ExpectedState.confidentResults("confident:sample:X", sample);

        assertThat(r).extracting(ExpectedState.Result::category).containsOnly("metals");
        assertThat(r).extracting(ExpectedState.Result::analyte)
                .containsExactly("lead", "lead (2)", "arsenic", "(unnamed 4)", "cadmium", "mercury", "tin");
        assertThat(r).extracting(ExpectedState.Result::value).containsExactly(new BigDecimal("0.51"), null, null, null, null,
                new BigDecimal("0.0015"), null);
        assertThat(r).extracting(ExpectedState.Result::valueText).containsExactly("0.51", "ND", "<LOQ", "", "1,2", "0.0015", null);
        assertThat(ExpectedState.decimal(" -.5e2 ")).isEqualByComparingTo("-50");
        assertThat(ExpectedState.decimal("1.2 %")).isNull();
        assertThat(ExpectedState.canonicalCategory("WaterActivity")).isEqualTo("water_activity");
        assertThat(ExpectedState.canonicalCategory("Residual Solvents")).isEqualTo("solvents");
    }

    @Test
    void writtenStateReadsBack(@TempDir Path dir) throws Exception {
        ExpectedState s = Scenario.build(Scenario.Options.of(Vendor.CONFIDENT).withCount(2)).expected();
        Path f = dir.resolve("expected.json");
        s.write(f);
        assertThat(Files.readString(f)).contains("\"entity_key\" : \"confident:sample:s1-SMP000001\"");
        assertThat(ExpectedState.read(f)).isEqualTo(s);
    }
}
