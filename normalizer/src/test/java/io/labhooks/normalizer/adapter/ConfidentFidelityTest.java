package io.labhooks.normalizer.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.labhooks.schemas.events.CanonicalEvent;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The warehouse fields analysts rely on: units, all twelve compound fields, info fields, verdicts, odd parts. */
class ConfidentFidelityTest {
    final ConfidentAdapterTest t = new ConfidentAdapterTest();

    CanonicalEvent accept(String labData) {
        return t.accept(ConfidentAdapterTest.input("{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":" + labData + "}"));
    }

    static String compound(String fields) {
        return "{\"status\":2,\"categories\":{\"metals\":{\"info_fields\":{\"input_units\":\"ppb\",\"report_units\":\"ppm\"},"
                + "\"compounds\":[{\"name\":\"lead\"," + fields + "}]}}}";
    }

    JsonNode lead(String fields) {
        return ConfidentAdapterTest.resultsByKey(accept(compound(fields))).get("metals/lead");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // limit: over fails, equal passes
        "'\"value\":\"600\",\"limit\":\"500\"'|fail",
        "'\"value\":\"500\",\"limit\":\"500\"'|pass",
        "'\"value\":\"12.5\",\"limit\":\"500\"'|pass",
        // range: outside fails; one bound given: only that bound applies
        "'\"value\":\"4\",\"limitrangelow\":\"5\",\"limitrangehigh\":\"15\"'|fail",
        "'\"value\":\"16\",\"limitrangelow\":\"5\",\"limitrangehigh\":\"15\"'|fail",
        "'\"value\":\"5\",\"limitrangelow\":\"5\",\"limitrangehigh\":\"15\"'|pass",
        "'\"value\":\"15\",\"limitrangelow\":\"5\",\"limitrangehigh\":\"15\"'|pass",
        "'\"value\":\"1000\",\"limitrangelow\":\"5\"'|pass",
        "'\"value\":\"4\",\"limitrangelow\":\"5\"'|fail",
        "'\"value\":\"0\",\"limitrangehigh\":\"15\"'|pass",
        "'\"value\":\"15.01\",\"limitrangehigh\":\"15\"'|fail",
        // censored values
        "'\"value\":\"ND\",\"lod\":\"1\",\"limit\":\"500\"'|pass",
        "'\"value\":\"<LOQ\",\"loq\":\"5\",\"limit\":\"500\"'|pass",
        "'\"value\":\"<LOQ\",\"loq\":\"500\",\"limit\":\"500\"'|pass",
        "'\"value\":\"<LOQ\",\"loq\":\"600\",\"limit\":\"500\"'|inconclusive",
        "'\"value\":\"ND\",\"lod\":\"600\",\"limit\":\"500\"'|inconclusive",
        "'\"value\":\"ND\",\"limit\":\"500\"'|pass",
        "'\"value\":\"<LOQ\",\"loq\":\"3\",\"limitrangelow\":\"5\"'|fail",
        "'\"value\":\"<LOQ\",\"loq\":\"8\",\"limitrangelow\":\"5\"'|inconclusive",
        "'\"value\":\">ULOQ\",\"max\":\"800\",\"limit\":\"500\"'|fail",
        // no limit: none
        "'\"value\":\"ND\",\"lod\":\"1\"'|none",
        "'\"value\":\"<LOQ\",\"loq\":\"5\"'|none",
        "'\"value\":\"12\"'|none",
        "'\"value\":\"\",\"limit\":\"500\"'|none",
        // a number too large to keep stays text, and cannot be judged
        "'\"value\":\"1e999\",\"limit\":\"500\"'|inconclusive"})
    void verdictPerAnalyte(String fields, String verdict) {
        assertThat(lead(fields).get("verdict").asText()).isEqualTo(verdict);
    }

    @Test
    void allTwelveCompoundFieldsAreKept() {
        JsonNode r = lead("\"value\":\"12.5\",\"lod\":\"0.5\",\"loq\":\"1.5\",\"limit\":\"500\",\"max\":\"1000\",\"stdev\":\"0.12\","
                + "\"regulatornotes\":\"Reported to METRC\",\"rsd\":\"2.4\",\"rpd\":\"3.1\",\"limitrangelow\":\"1\",\"limitrangehigh\":\"900\"");
        Map<String, String> want = Map.of("value", "12.5", "lod", "0.5", "loq", "1.5", "limit", "500", "max", "1000",
                "stdev", "0.12", "rsd", "2.4", "rpd", "3.1", "limit_low", "1", "limit_high", "900");
        want.forEach((field, v) -> assertThat(r.get(field).decimalValue()).as(field).isEqualByComparingTo(new BigDecimal(v)));
        assertThat(r.get("regulator_notes").asText()).isEqualTo("Reported to METRC");
        assertThat(r.get("analyte").asText()).isEqualTo("lead");
        assertThat(r.get("unit").asText()).as("input_units").isEqualTo("ppb");
        assertThat(r.get("report_unit").asText()).isEqualTo("ppm");
        assertThat(r.get("verdict").asText()).isEqualTo("pass");
    }

    @Test
    void aValueTooLargeForANumberStaysText() {
        JsonNode r = lead("\"value\":\"1e999\",\"limit\":\"500\"");
        assertThat(r.get("value").isNull()).isTrue();
        assertThat(r.get("value_text").asText()).isEqualTo("1e999");
    }

    @Test
    void infoFieldsAreKeptPerCategory() {
        CanonicalEvent e = accept("{\"status\":1,\"categories\":{\"Cannabinoids\":{\"info_fields\":{\"status\":3,"
                + "\"date_tested\":\"2024-01-17\",\"method\":\"HPLC-DAD\",\"input_units\":\"%\",\"report_units\":\"mg/g\","
                + "\"secondary_report_units\":\"mg/unit\",\"reported_as_wet\":\"1\",\"dry_weight\":\"0.95\",\"digits\":2,"
                + "\"footnote\":\"Dry weight basis\",\"notes\":\"n1\",\"notes_2\":\"n2\",\"signatory_name\":\"Dana Whitfield\","
                + "\"signatory_title\":\"Laboratory Director\"},\"compounds\":[{\"name\":\"thca\",\"value\":\"21.4\"}]}}}");
        JsonNode c = e.data().get("categories").get(0);
        assertThat(c.get("category").asText()).isEqualTo("cannabinoids");
        assertThat(c.get("status").asText()).isEqualTo("completed");
        assertThat(c.get("method").asText()).isEqualTo("HPLC-DAD");
        assertThat(c.get("date_tested").asText()).isEqualTo("2024-01-17");
        assertThat(c.get("input_units").asText()).isEqualTo("%");
        assertThat(c.get("report_units").asText()).isEqualTo("mg/g");
        assertThat(c.get("secondary_report_units").asText()).isEqualTo("mg/unit");
        assertThat(c.get("reported_as_wet").asBoolean()).isTrue();
        assertThat(c.get("info_fields").get("dry_weight").asText()).isEqualTo("0.95");
        assertThat(c.get("info_fields").get("signatory_name").asText()).isEqualTo("Dana Whitfield");
        assertThat(c.get("info_fields").get("footnote").asText()).isEqualTo("Dry weight basis");
        assertThat(e.data().get("lab_status").asText()).isEqualTo("pass");
        assertThat(e.data().get("warnings")).isEmpty();
    }

    @Test
    void theDocumentsBracesReadLiterallyAreAcceptedToo() {
        // compounds inside categories beside the category name, not inside the category beside info_fields
        CanonicalEvent e = accept("{\"status\":2,\"categories\":{\"metals\":{\"info_fields\":{\"input_units\":\"ppb\",\"status\":2}},"
                + "\"compounds\":[{\"name\":\"lead\",\"value\":\"700\",\"limit\":\"500\"},{\"name\":\"arsenic\",\"value\":\"ND\",\"limit\":\"200\"}]}}");
        Map<String, JsonNode> r = ConfidentAdapterTest.resultsByKey(e);
        assertThat(r).containsOnlyKeys("metals/lead", "metals/arsenic");
        assertThat(r.get("metals/lead").get("verdict").asText()).isEqualTo("fail");
        assertThat(r.get("metals/lead").get("status").asText()).isEqualTo("fail");
        assertThat(r.get("metals/lead").get("unit").asText()).isEqualTo("ppb");
        assertThat(r.get("metals/arsenic").get("verdict").asText()).isEqualTo("pass");
        assertThat(e.data().get("warnings")).isEmpty();

        CanonicalEvent two = accept("{\"categories\":{\"metals\":{},\"moisture\":{},"
                + "\"compounds\":[{\"name\":\"lead\",\"value\":\"7\"},{\"name\":\"moisture\",\"category\":\"Moisture\",\"value\":\"11\"}]}}");
        assertThat(ConfidentAdapterTest.resultsByKey(two)).containsOnlyKeys("uncategorized/lead", "moisture/moisture");
        assertThat(two.data().get("warnings").toString()).contains("name no category");
    }

    @Test
    void oneMalformedCategoryBesideGoodOnesKeepsTheSampleAndTheGoodCategories() {
        CanonicalEvent e = accept("{\"status\":2,\"categories\":{"
                + "\"metals\":{\"compounds\":[{\"name\":\"lead\",\"value\":\"7\",\"limit\":\"500\"}]},"
                + "\"pesticides\":\"oops\","
                + "\"microbials\":{\"info_fields\":42,\"compounds\":[{\"name\":\"e_coli\",\"value\":\"ND\"}, \"bad\"]},"
                + "\"moisture\":{\"compounds\":{\"moisture\":11}}}}");
        Map<String, JsonNode> r = ConfidentAdapterTest.resultsByKey(e);
        assertThat(r).containsOnlyKeys("metals/lead", "microbials/e_coli");
        assertThat(r.get("microbials/e_coli").get("unit").asText()).isEqualTo("cfu/g");
        assertThat(e.data().get("warnings")).hasSize(4);
        assertThat(e.data().get("warnings").toString()).contains("lab_data.categories.pesticides",
                "lab_data.categories.microbials.info_fields", "lab_data.categories.microbials.compounds[1]",
                "lab_data.categories.moisture.compounds");
    }
}
