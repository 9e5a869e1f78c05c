package io.labhooks.normalizer.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.AuthConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.testkit.EventSchemas;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfidentAdapterTest {
    static final Instant RECEIVED = Instant.parse("2024-01-21T00:00:00Z");
    static final ObjectMapper MAPPER = new ObjectMapper();

    final ConfidentAdapter adapter = new ConfidentAdapter(new Json());
    final EventCodec codec = new EventCodec();
    final EventSchemas schemas = new EventSchemas();

    // ---------------------------------------------------------------- helpers

    static SourceConfig source(ZoneId zone, long maxBodyBytes) {
        return new SourceConfig("confident", Vendor.CONFIDENT, zone, maxBodyBytes, AuthConfig.none(),
                Optional.empty(), null);
    }

    static SourceConfig utc() {
        return source(null, SourceConfig.DEFAULT_MAX_BODY_BYTES);
    }

    static RawInput input(SourceConfig source, byte[] body) {
        return new RawInput(source, "d-1", RECEIVED, Map.of("content-type", "application/json"), body);
    }

    static RawInput input(byte[] body) {
        return input(utc(), body);
    }

    static RawInput input(String body) {
        return input(body.getBytes(StandardCharsets.UTF_8));
    }

    static RawInput input(JsonNode body) {
        try {
            return input(MAPPER.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] fixture(String name) {
        try (InputStream in = ConfidentAdapterTest.class.getResourceAsStream("/fixtures/confident/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode fixtureJson(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(fixture(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The single event of an accepted delivery; fails the test (with the reason) otherwise. Also checks the schema. */
    CanonicalEvent accept(RawInput in) {
        AdapterResult r = adapter.adapt(in);
        if (r instanceof AdapterResult.Rejected rejected) {
            fail("rejected: " + rejected.rejection());
        }
        List<CanonicalEvent> events = ((AdapterResult.Accepted) r).events();
        assertThat(events).hasSize(1);
        CanonicalEvent e = events.get(0);
        assertValid(e);
        return e;
    }

    void assertValid(CanonicalEvent e) {
        ObjectNode json = codec.toJson(e);
        assertThat(schemas.validate(json)).as("schema problems of %s", e).isEmpty();
    }

    Rejection reject(RawInput in) {
        AdapterResult r = adapter.adapt(in);
        assertThat(r).as("expected a rejection").isInstanceOf(AdapterResult.Rejected.class);
        return ((AdapterResult.Rejected) r).rejection();
    }

    static Map<String, JsonNode> resultsByKey(CanonicalEvent e) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode r : e.data().get("results")) {
            JsonNode previous = m.put(r.get("category").asText() + "/" + r.get("analyte").asText(), r);
            assertThat(previous).as("duplicate key %s", r).isNull();
        }
        return m;
    }

    static void assertResult(JsonNode r, String value, String valueText, String unit, String lod, String loq,
                             String limit, String status) {
        assertNumber(r.get("value"), value);
        if (valueText == null) {
            assertThat(r.get("value_text").isNull()).as("value_text of %s", r).isTrue();
        } else {
            assertThat(r.get("value_text").asText()).isEqualTo(valueText);
        }
        assertThat(r.get("unit").isNull() ? null : r.get("unit").asText()).as("unit of %s", r).isEqualTo(unit);
        assertNumber(r.get("lod"), lod);
        assertNumber(r.get("loq"), loq);
        assertNumber(r.get("limit"), limit);
        assertThat(r.get("status").isNull() ? null : r.get("status").asText()).as("status of %s", r).isEqualTo(status);
    }

    static void assertNumber(JsonNode n, String expected) {
        if (expected == null) {
            assertThat(n.isNull()).as("expected null, got %s", n).isTrue();
        } else {
            assertThat(n.isNumber()).as("expected the number %s, got %s", expected, n).isTrue();
            assertThat(n.decimalValue()).isEqualByComparingTo(new BigDecimal(expected));
        }
    }

    static long micros(String instant) {
        Instant t = Instant.parse(instant);
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    // ---------------------------------------------------------------- the full panel

    @Test
    void fullPanelMapsEveryTopLevelField() {
        CanonicalEvent e = accept(input(fixture("full-panel.json")));
        assertThat(e.type()).isEqualTo("lab.confident.sample.publish");
        assertThat(e.subject()).isEqualTo("confident:sample:2401ACM0042.0137");
        assertThat(e.source()).isEqualTo("labhooks/confident");
        assertThat(e.vendor()).isEqualTo("confident");
        assertThat(e.entityType()).isEqualTo("sample");
        assertThat(e.entityId()).isEqualTo("2401ACM0042.0137");
        assertThat(e.deliveryId()).isEqualTo("d-1");
        assertThat(e.receivedAt()).isEqualTo(RECEIVED);
        assertThat(e.deleted()).isFalse();

        ObjectNode d = e.data();
        assertThat(d.get("sample_id").asText()).isEqualTo("2401ACM0042.0137");
        assertThat(d.get("order_id").asText()).isEqualTo("ORD-523290");
        assertThat(d.get("client_id").asLong()).isEqualTo(5380);
        assertThat(d.get("order_status_id").asLong()).isEqualTo(5);
        assertThat(d.get("order_status_name").asText()).isEqualTo("Completed");
        assertThat(d.get("status").asText()).isEqualTo("Completed");
        assertThat(d.get("sample_name").asText()).isEqualTo("Wedding Cake Flower E");
        assertThat(d.get("strain_name").asText()).isEqualTo("Wedding Cake");
        assertThat(d.get("sample_type_id").asLong()).isEqualTo(2);
        assertThat(d.get("sample_type_name").asText()).isEqualTo("Flower");
        assertThat(d.get("sample_category_id").asLong()).isEqualTo(1);
        assertThat(d.get("sample_category_name").asText()).isEqualTo("Plant");
        assertThat(d.get("production_method_id").asLong()).isEqualTo(3);
        assertThat(d.get("production_method_name").asText()).isEqualTo("Indoor");
        assertThat(d.get("test_packages")).hasSize(2);
        assertThat(d.get("test_packages").get(0).get("id").asLong()).isEqualTo(14);
        assertThat(d.get("test_packages").get(0).get("name").asText()).isEqualTo("Full Compliance - Flower");
        assertThat(d.get("last_modified").asText()).isEqualTo("2024-01-20T17:30:00.123456Z");
        assertNumber(d.get("initial_weight"), "4.06");
        assertThat(d.get("initial_weight_unit").asText()).isEqualTo("g");
        assertThat(d.get("test_types")).hasSize(11);
        assertThat(d.get("test_types").get(4).get("id").asLong()).isEqualTo(5);
        assertThat(d.get("test_types").get(4).get("name").asText()).isEqualTo("Heavy Metals");
        assertThat(d.get("test_types").get(4).get("abbreviation").asText()).isEqualTo("HM");
        assertThat(d.get("cover_image").get("filename").asText()).isEqualTo("2401ACM0042.0137-cover.jpg");
        assertThat(d.get("cover_image").get("public_key").asText()).isEqualTo("3e7e77ca-5e40-6a21-d19d-77cb5b54ed4c");
        assertThat(d.get("cover_image").get("url").asText()).startsWith("https://files.confidentlims.com/public/");
        assertThat(d.get("images")).hasSize(2);
        assertThat(d.get("images").get(0)).isEqualTo(d.get("cover_image"));
        assertThat(d.get("notes").asText()).isEqualTo("Received sealed. Sampled per SOP-014.");
        assertThat(d.get("batch_id").asText()).isEqualTo("B-27895");
        assertNumber(d.get("batch_size"), "8480");
        assertThat(d.get("batch_size_unit").asText()).isEqualTo("g");
        assertThat(d.get("lot_id").asText()).isEqualTo("L-29486");
        assertNumber(d.get("lot_size"), "2953");
        assertThat(d.get("lot_size_unit").asText()).isEqualTo("g");
        assertThat(d.get("production_run_id").asText()).isEqualTo("PR-1373");
        assertNumber(d.get("production_run_size"), "738");
        assertThat(d.get("production_run_size_unit").asText()).isEqualTo("units");
        assertThat(d.get("regulator_sample_id").asText()).isEqualTo("1A4060300003395859");
        assertThat(d.get("manifest_id").asText()).isEqualTo("0040808226");
        assertThat(d.get("regulator_batch_id").asText()).isEqualTo("1A4060300002750053");
        assertThat(d.get("regulator_lot_id").asText()).isEqualTo("1A4060300001972289");
        assertThat(d.get("regulator_sample_id2").asText()).isEmpty();
        assertThat(d.get("regulator_batch_id2").asText()).isEmpty();
        assertThat(d.get("harvest_id").asText()).isEqualTo("H-841351");
        assertThat(d.get("production_date").asText()).isEqualTo("2023-12-15T17:30:00Z");
        assertThat(d.get("date_samples_collected").asText()).isEqualTo("2024-01-14T17:30:00Z");
        assertThat(d.get("public_url").asText())
                .isEqualTo("https://reports.confidentlims.com/sample/2401ACM0042.0137/3e7e77ca");
        assertNumber(d.get("units_per_serving"), "1");
        assertNumber(d.get("servings_per_container"), "1");
        assertThat(d.get("unit_description").asText()).isEqualTo("1 jar");
        assertThat(d.get("container_description").asText()).isEqualTo("3.5 g glass jar");
        assertThat(d.get("regulatory_category_id").asLong()).isEqualTo(4);
        assertThat(d.get("solvents_used").asText()).isEqualTo("Methanol, Acetonitrile");
        assertThat(d.get("lab_status").asText()).isEqualTo("fail");
        assertThat(d.get("lab_data_date_created").asText()).isEqualTo("2024-01-14T18:30:00Z");
        assertThat(d.get("deleted").asBoolean()).isFalse();
        assertThat(d.get("vendor_payload")).isEqualTo(fixtureJson("full-panel.json"));
    }

    @Test
    void everyDocumentedTopLevelSampleFieldHasADataField() {
        List<String> documented = List.of("order_id", "client_id", "order_status_id", "order_status_name",
                "sample_name", "strain_name", "sample_type_id", "sample_type_name", "sample_category_id",
                "sample_category_name", "production_method_name", "production_method_id", "test_packages",
                "last_modified", "initial_weight", "initial_weight_unit", "test_types", "cover_image", "images",
                "notes", "batch_id", "batch_size", "batch_size_unit", "lot_id", "lot_size", "lot_size_unit",
                "production_run_id", "production_run_size", "production_run_size_unit", "regulator_sample_id",
                "manifest_id", "regulator_batch_id", "regulator_lot_id", "regulator_sample_id2",
                "regulator_batch_id2", "harvest_id", "production_date", "date_samples_collected", "public_url",
                "units_per_serving", "servings_per_container", "unit_description", "container_description",
                "regulatory_category_id", "solvents_used");
        ObjectNode fixture = fixtureJson("full-panel.json");
        CanonicalEvent e = accept(input(fixture("full-panel.json")));
        for (String field : documented) {
            assertThat(fixture.has(field)).as("the fixture has %s", field).isTrue();
            assertThat(e.data().has(field)).as("data has %s", field).isTrue();
        }
        assertThat(e.data().has("sample_id")).isTrue();
        // the minimal sample has every field too, as null or empty
        CanonicalEvent minimal = accept(input(fixture("minimal.json")));
        for (String field : documented) {
            assertThat(minimal.data().has(field)).as("minimal data has %s", field).isTrue();
        }
    }

    @Test
    void fullPanelFlattensAllElevenCategoriesWithUnitsAndStatuses() {
        CanonicalEvent e = accept(input(fixture("full-panel.json")));
        ArrayNode results = (ArrayNode) e.data().get("results");
        assertThat(results).hasSize(ConfidentPayloads.PANEL_ANALYTES);
        Map<String, Long> perCategory = new LinkedHashMap<>();
        Map<String, Set<String>> units = new HashMap<>();
        Map<String, Set<String>> statuses = new HashMap<>();
        for (JsonNode r : results) {
            String c = r.get("category").asText();
            perCategory.merge(c, 1L, Long::sum);
            units.computeIfAbsent(c, k -> new HashSet<>()).add(r.get("unit").asText());
            statuses.computeIfAbsent(c, k -> new HashSet<>()).add(r.get("status").asText());
        }
        assertThat(perCategory).containsExactly(Map.entry("cannabinoids", 18L), Map.entry("foreign_matter", 5L),
                Map.entry("homogeneity", 2L), Map.entry("microbials", 11L), Map.entry("metals", 7L),
                Map.entry("moisture", 1L), Map.entry("mycotoxins", 6L), Map.entry("pesticides", 66L),
                Map.entry("solvents", 20L), Map.entry("terpenes", 20L), Map.entry("water_activity", 1L));
        assertThat(units).containsOnly(Map.entry("cannabinoids", Set.of("%")), Map.entry("foreign_matter", Set.of("%")),
                Map.entry("homogeneity", Set.of("%")), Map.entry("microbials", Set.of("CFU/g")),
                Map.entry("metals", Set.of("ppb")), Map.entry("moisture", Set.of("%")),
                Map.entry("mycotoxins", Set.of("µg/kg")), Map.entry("pesticides", Set.of("ppm")),
                Map.entry("solvents", Set.of("ppm")),
                Map.entry("terpenes", Set.of("mg/g")), // input_units only
                Map.entry("water_activity", Set.of("aw"))); // no units: the documented default
        assertThat(statuses).containsOnly(Map.entry("cannabinoids", Set.of("completed")),
                Map.entry("foreign_matter", Set.of("pass")), Map.entry("homogeneity", Set.of("pass")),
                Map.entry("microbials", Set.of("pass")), Map.entry("metals", Set.of("pass")),
                Map.entry("moisture", Set.of("pass")), Map.entry("mycotoxins", Set.of("pass")),
                Map.entry("pesticides", Set.of("fail")), Map.entry("solvents", Set.of("pass")),
                Map.entry("terpenes", Set.of("completed")), Map.entry("water_activity", Set.of("pass")));
    }

    @Test
    void fullPanelValuesAreNumbersOrNullWithTheirText() {
        Map<String, JsonNode> r = resultsByKey(accept(input(fixture("full-panel.json"))));
        assertResult(r.get("cannabinoids/thca"), "27.35", "27.35", "%", "0.01", "0.03", null, "completed");
        assertResult(r.get("cannabinoids/total_thc"), "25.12", "25.12", "%", "0.01", "0.03", null, "completed");
        assertResult(r.get("cannabinoids/d8_thc"), null, "ND", "%", "0.01", "0.03", null, "completed");
        assertResult(r.get("cannabinoids/cbn"), null, "<LOQ", "%", "0.01", "0.03", null, "completed");
        assertResult(r.get("cannabinoids/cbt"), null, "", "%", "0.01", "0.03", null, "completed");
        assertResult(r.get("foreign_matter/insect_fragments"), "0.49", "0.49", "%", "0.1", "0.5", "1.0", "pass");
        assertResult(r.get("homogeneity/d9_thc"), "6.7", "6.7", "%", null, null, "25", "pass");
        assertResult(r.get("microbials/total_yeast_and_mold"), "1370", "1370", "CFU/g", "10", "100", "10000", "pass");
        assertResult(r.get("microbials/salmonella"), null, "ND", "CFU/g", "10", "100", null, "pass");
        assertResult(r.get("metals/mercury"), "59", "59", "ppb", "1", "5", "100", "pass");
        assertResult(r.get("moisture/moisture"), "11.6", "11.6", "%", null, null, "15", "pass");
        assertResult(r.get("mycotoxins/aflatoxin_b2"), null, "<LOQ", "µg/kg", "1", "2", null, "pass");
        assertResult(r.get("pesticides/aldicarb"), "0.782", "0.782", "ppm", "0.010", "0.030", "0.4", "fail");
        assertResult(r.get("pesticides/abamectin"), null, "ND", "ppm", "0.010", "0.030", "0.5", "fail");
        assertResult(r.get("solvents/ethanol"), "64.665", "64.665", "ppm", "0.500", "1.000", "5000", "pass");
        assertResult(r.get("terpenes/alpha_pinene"), "6.30", "6.30", "mg/g", "0.02", "0.05", null, "completed");
        assertResult(r.get("terpenes/isopulegol"), null, "NT", "mg/g", "0.02", "0.05", null, "completed");
        assertResult(r.get("water_activity/water_activity"), "0.54605", "0.54605", "aw", null, null, "0.65", "pass");
        long numeric = r.values().stream().filter(x -> x.get("value").isNumber()).count();
        long textOnly = r.values().stream().filter(x -> x.get("value").isNull()).count();
        assertThat(numeric + textOnly).isEqualTo(ConfidentPayloads.PANEL_ANALYTES);
        assertThat(textOnly).isGreaterThan(80); // most pesticides and solvents are ND
        assertThat(r.values()).allSatisfy(x -> assertThat(x.get("value_text").isTextual()).isTrue());
    }

    // ---------------------------------------------------------------- odd values, spellings, duplicates

    @Test
    void oddValuesKeepTheirTextWithANullNumberAndNeverFailTheEvent() {
        CanonicalEvent e = accept(input(fixture("edge-values.json")));
        Map<String, JsonNode> r = resultsByKey(e);
        assertResult(r.get("metals/lead"), "0.015", " +1.5e-2 ", "ppm", "0.005", "0.010", "0.5", "pass");
        assertResult(r.get("metals/arsenic"), null, ">ULOQ", "ppm", "0.01", null, null, "pass");
        assertResult(r.get("metals/cadmium"), null, "1,234", "ppm", null, null, null, "pass");
        assertResult(r.get("metals/mercury"), null, "0.2 ppm", "ppm", null, null, null, "pass");
        assertResult(r.get("metals/chromium"), null, "NaN", "ppm", null, null, null, "pass");
        assertResult(r.get("metals/copper"), null, "Infinity", "ppm", null, null, null, "pass");
        assertResult(r.get("metals/nickel"), null, "0x1A", "ppm", null, null, null, "pass");
        assertResult(r.get("metals/zinc"), null, "1e999", "ppm", null, null, null, "pass");
        assertResult(r.get("solvents/butane"), null, "<LOQ", "ppm", null, null, null, "fail");
        assertResult(r.get("solvents/propane"), null, "", "ppm", null, null, null, "fail");
        assertResult(r.get("solvents/hexane"), null, "NT", "ppm", null, null, null, "fail");
        assertResult(r.get("solvents/pentane"), null, "garbage!", "ppm", null, null, null, "fail");
        assertResult(r.get("solvents/heptane"), null, null, "ppm", null, null, null, "fail");
        assertResult(r.get("solvents/ethanol"), null, "true", "ppm", null, null, null, "fail");
        assertResult(r.get("solvents/methanol"), null, "{\"reading\":3}", "ppm", null, null, null, "fail");
        // a JSON number is taken as it is, and its text kept
        assertResult(r.get("water_activity/water_activity"), "0.71", "0.71", "aw", null, null, "0.65", "fail");
        assertResult(r.get("foreign_matter/hair"), null, "ND", "%", null, null, null, null);
        // an undocumented category is kept, with no default unit; status 9 is no status
        assertResult(r.get("stability/potency_drift"), "-0.5", "-0.5", null, null, null, "0.75", null);
        assertThat(e.data().get("lab_status").asText()).isEqualTo("incomplete");
    }

    @Test
    void duplicateAndMissingAnalyteNamesAreMadeUnique() {
        Map<String, JsonNode> r = resultsByKey(accept(input(fixture("edge-values.json"))));
        assertThat(r.keySet()).filteredOn(k -> k.startsWith("metals/lead"))
                .containsExactly("metals/lead", "metals/lead (2)", "metals/lead (3)", "metals/lead (2) (2)");
        assertNumber(r.get("metals/lead (2)").get("value"), "0.02");
        assertNumber(r.get("metals/lead (3)").get("value"), "0.03");
        assertNumber(r.get("metals/lead (2) (2)").get("value"), "0.04");
        // the 8th and 9th compounds of solvents have no usable name; the 10th is null and skipped
        assertNumber(r.get("solvents/(unnamed 8)").get("value"), "12");
        assertNumber(r.get("solvents/(unnamed 9)").get("value"), "13");
        assertThat(r.keySet()).filteredOn(k -> k.startsWith("solvents/")).hasSize(9);
    }

    @Test
    void edgeSampleScalarsAreCoercedLeniently() {
        ObjectNode d = accept(input(fixture("edge-values.json"))).data();
        assertThat(d.get("sample_id").asText()).isEqualTo("90210");
        assertThat(d.get("client_id").asLong()).isEqualTo(77);
        assertThat(d.get("order_status_id").asLong()).isEqualTo(5);
        assertNumber(d.get("initial_weight"), "3.50");
        assertThat(d.get("batch_size").isNull()).isTrue(); // "1,200": not a number
        assertThat(d.get("test_packages")).isEmpty();
        assertThat(d.get("images")).isEmpty();
        assertThat(d.get("cover_image").isNull()).isTrue();
        assertThat(d.get("last_modified").asText()).isEqualTo("2024-03-10T01:30:00.500Z");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cannabinoids|cannabinoids", "Cannabinoids|cannabinoids", "potency|cannabinoids",
        "foreign_matter|foreign_matter", "Foreign Matter|foreign_matter", "foreign-matter|foreign_matter",
        "ForeignMatter|foreign_matter", "foreignMatter|foreign_matter", "FOREIGN MATTER|foreign_matter",
        "foreignmatter|foreign_matter", "homogeneity|homogeneity", "Homogeneity|homogeneity",
        "microbials|microbials", "Microbial|microbials", "microbiology|microbials",
        "metals|metals", "Heavy Metals|metals", "heavy_metals|metals", "HeavyMetals|metals",
        "moisture|moisture", "Moisture Content|moisture", "mycotoxins|mycotoxins", "Mycotoxin|mycotoxins",
        "pesticides|pesticides", "Pesticide|pesticides", "solvents|solvents", "Residual Solvents|solvents",
        "residual_solvents|solvents", "terpenes|terpenes", "Terpene|terpenes",
        "water_activity|water_activity", "Water Activity|water_activity", "WaterActivity|water_activity",
        "water-activity|water_activity", "aw|water_activity", "  water  activity  |water_activity",
        "Stability Test|stability_test", "'***'|uncategorized", "vitaminE2|vitamin_e2"})
    void categorySpellingsAreNormalized(String raw, String expected) {
        assertThat(ConfidentLabData.canonicalCategory(raw)).isEqualTo(expected);
    }

    @Test
    void everyDocumentedCategoryHasADefaultUnit() {
        assertThat(ConfidentAdapter.DEFAULT_UNITS).containsOnly(Map.entry("cannabinoids", "%"),
                Map.entry("foreign_matter", "%"), Map.entry("homogeneity", "%"), Map.entry("microbials", "cfu/g"),
                Map.entry("metals", "ppb"), Map.entry("moisture", "%"), Map.entry("mycotoxins", "ppb"),
                Map.entry("pesticides", "ppm"), Map.entry("solvents", "ppm"), Map.entry("terpenes", "%"),
                Map.entry("water_activity", "aw"));
    }

    @Test
    void unitIsInputUnitsAndReportUnitIsReportUnitsEachFallingBackToTheDefault() {
        ObjectNode s = ConfidentPayloads.minimal("U-1", Instant.parse("2024-01-01T00:00:00Z"));
        ObjectNode cats = s.putObject("lab_data").putObject("categories");
        for (String c : ConfidentPayloads.CATEGORIES) {
            cats.putObject(c).putArray("compounds").addObject().put("name", "x").put("value", "1");
        }
        ObjectNode withBoth = cats.putObject("Mycotoxin");
        withBoth.putObject("info_fields").put("input_units", "ppb").put("report_units", "µg/kg");
        withBoth.putArray("compounds").addObject().put("name", "y").put("value", "2");
        ObjectNode inputOnly = cats.putObject("Pesticide");
        inputOnly.putObject("info_fields").put("input_units", "mg/kg").put("report_units", " ");
        inputOnly.putArray("compounds").addObject().put("name", "y").put("value", "2");
        ObjectNode reportOnly = cats.putObject("Terpene");
        reportOnly.putObject("info_fields").put("report_units", "mg/g");
        reportOnly.putArray("compounds").addObject().put("name", "y").put("value", "2");
        CanonicalEvent e = accept(input(s));
        Map<String, JsonNode> r = resultsByKey(e);
        for (String c : ConfidentPayloads.CATEGORIES) {
            assertThat(r.get(c + "/x").get("unit").asText()).isEqualTo(ConfidentAdapter.DEFAULT_UNITS.get(c));
            assertThat(r.get(c + "/x").get("report_unit").asText()).isEqualTo(ConfidentAdapter.DEFAULT_UNITS.get(c));
        }
        // input_units is the unit the value is in; report_units only how the CoA displays it
        assertThat(r.get("mycotoxins/y").get("unit").asText()).isEqualTo("ppb");
        assertThat(r.get("mycotoxins/y").get("report_unit").asText()).isEqualTo("µg/kg");
        assertThat(r.get("pesticides/y").get("unit").asText()).isEqualTo("mg/kg");
        assertThat(r.get("pesticides/y").get("report_unit").asText()).isEqualTo("ppm");
        assertThat(r.get("terpenes/y").get("unit").asText()).isEqualTo("%");
        assertThat(r.get("terpenes/y").get("report_unit").asText()).isEqualTo("mg/g");
        assertThat(e.data().get("warnings").toString()).contains("repeats the category mycotoxins");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.02|1.02", "0|0", "-3|-3", "+1.5|1.5", "  7.25  |7.25", "1.|1", ".5|0.5", "1e-3|0.001", "2.5E+2|250",
        "12345678901234567890|12345678901234567890"})
    void plainDecimalsAreNumbers(String text, String expected) {
        assertThat(ConfidentValues.parseDecimal(text)).isEqualByComparingTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "ND", "nd", "<LOQ", ">ULOQ", "NT", "N/A", "1,234", "1,5", "1.2 %", "< 0.5",
        "NaN", "Infinity", "-Infinity", "0x1A", "1e", "e5", "+-1", "--1", "1.2.3", "1e99999", "1e999", ".", "+",
        "1_000", "١٢", "0.1234567890123456789012345678901234567890123456789012345678901234567"})
    void everythingElseIsNotANumber(String text) {
        assertThat(ConfidentValues.parseDecimal(text)).isNull();
    }

    @Test
    void jsonNumbersBeyondADoubleAreNullNotAnError() {
        // Jackson reads 1e400 as an infinite double (found by the mutation test)
        String sample = "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"client_id\":1e400,"
                + "\"initial_weight\":-1e400,\"lab_data\":{\"status\":1e400,\"categories\":{\"metals\":{"
                + "\"info_fields\":{\"status\":1e400},\"compounds\":[{\"name\":\"lead\",\"value\":1e400,\"lod\":1e400}]}}}}";
        CanonicalEvent e = accept(input(sample));
        assertThat(e.data().get("client_id").isNull()).isTrue();
        assertThat(e.data().get("initial_weight").isNull()).isTrue();
        assertThat(e.data().get("lab_status").isNull()).isTrue();
        assertResult(resultsByKey(e).get("metals/lead"), null, "Infinity", "ppb", null, null, null, null);
        Rejection r = reject(input("{\"id\":\"A\",\"last_modified\":1e400}"));
        assertThat(r.reason()).isEqualTo(Rejection.Reason.BAD_VERSION);
    }

    @Test
    void statusCodesMapAsDocumented() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(ConfidentLabData.categoryStatus(f.numberNode(1))).isEqualTo("pass");
        assertThat(ConfidentLabData.categoryStatus(f.numberNode(2))).isEqualTo("fail");
        assertThat(ConfidentLabData.categoryStatus(f.numberNode(3))).isEqualTo("completed");
        assertThat(ConfidentLabData.categoryStatus(f.textNode("2"))).isEqualTo("fail");
        assertThat(ConfidentLabData.categoryStatus(f.textNode("Passed"))).isEqualTo("pass");
        assertThat(ConfidentLabData.categoryStatus(f.numberNode(4))).isNull();
        assertThat(ConfidentLabData.categoryStatus(f.nullNode())).isNull();
        assertThat(ConfidentLabData.categoryStatus(null)).isNull();
        assertThat(ConfidentLabData.labStatus(f.numberNode(1))).isEqualTo("pass");
        assertThat(ConfidentLabData.labStatus(f.numberNode(2))).isEqualTo("fail");
        assertThat(ConfidentLabData.labStatus(f.numberNode(3))).isEqualTo("incomplete");
        assertThat(ConfidentLabData.labStatus(f.textNode("3"))).isEqualTo("incomplete");
        assertThat(ConfidentLabData.labStatus(f.numberNode(0))).isNull();
        assertThat(ConfidentLabData.labStatus(f.booleanNode(true))).isNull();
    }

    // ---------------------------------------------------------------- versions and time

    @Test
    void versionIsLastModifiedInEpochMicros() {
        CanonicalEvent e = accept(input(fixture("full-panel.json")));
        assertThat(e.version()).isEqualTo(micros("2024-01-20T17:30:00.123456Z")).isEqualTo(1_705_771_800_123_456L);
        assertThat(e.time()).isEqualTo(Instant.parse("2024-01-20T17:30:00.123456Z"));
        assertThat(codec.toJson(e).get("labhooksversion").asText()).isEqualTo("1705771800123456");
    }

    @Test
    void offsetlessTimestampIsReadInTheSourceTimezone() {
        byte[] body = fixture("offsetless-timestamp.json");
        CanonicalEvent utc = accept(input(source(ZoneId.of("UTC"), 1 << 20), body));
        CanonicalEvent denver = accept(input(source(ZoneId.of("America/Denver"), 1 << 20), body));
        assertThat(utc.time()).isEqualTo(Instant.parse("2024-01-20T10:30:00Z"));
        assertThat(denver.time()).isEqualTo(Instant.parse("2024-01-20T17:30:00Z")); // MST is UTC-7 in January
        assertThat(denver.version() - utc.version()).isEqualTo(Duration.ofHours(7).toNanos() / 1000);
        assertThat(utc.id()).isNotEqualTo(denver.id());
        assertThat(denver.data().get("last_modified").asText()).isEqualTo("2024-01-20T17:30:00Z");
        assertThat(denver.data().get("production_date").asText()).isEqualTo("2024-01-02T07:00:00Z");
        assertThat(denver.data().get("date_samples_collected").asText()).isEqualTo("2024-01-15T20:45:00Z");
        assertThat(denver.data().get("lab_data_date_created").asText()).isEqualTo("2024-01-16T16:00:00.250Z");
        // a timestamp with an offset does not depend on the source's zone
        byte[] withOffset = fixture("full-panel.json");
        assertThat(accept(input(source(ZoneId.of("America/Denver"), 1 << 20), withOffset)).version())
                .isEqualTo(accept(input(withOffset)).version());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'\"2024-01-20T17:30:00Z\"'|2024-01-20T17:30:00Z",
        "'\"2024-01-20T17:30:00z\"'|2024-01-20T17:30:00Z",
        "'\"2024-01-20T10:30:00-07:00\"'|2024-01-20T17:30:00Z",
        "'\"2024-01-20T18:30:00+0100\"'|2024-01-20T17:30:00Z",
        "'\"2024-01-20T18:30:00+01\"'|2024-01-20T17:30:00Z",
        "'\"2024-01-20 17:30:00.123456+00:00\"'|2024-01-20T17:30:00.123456Z",
        "'\"2024-01-20 17:30:00,5 UTC\"'|2024-01-20T17:30:00.500Z",
        "'\"2024-01-20T17:30:00.123456789Z\"'|2024-01-20T17:30:00.123456Z",
        "'\"2024-01-20T17:30:00.1234567-00:00\"'|2024-01-20T17:30:00.123456Z",
        "'\"2024-01-20T17:30:00\"'|2024-01-20T17:30:00Z",
        "'\"2024-01-20 17:30\"'|2024-01-20T17:30:00Z",
        "'\"2024-01-20\"'|2024-01-20T00:00:00Z",
        "'\"  2024-01-20T17:30:00Z  \"'|2024-01-20T17:30:00Z",
        "1705771800|2024-01-20T17:30:00Z",
        "1705771800.25|2024-01-20T17:30:00.250Z",
        "1705771800123|2024-01-20T17:30:00.123Z",
        "1705771800123456|2024-01-20T17:30:00.123456Z",
        "'\"1705771800\"'|2024-01-20T17:30:00Z",
        "'\"1705771800123\"'|2024-01-20T17:30:00.123Z"})
    void timestampFormats(String json, String expected) {
        ObjectNode s = ConfidentPayloads.minimal("T-1", Instant.EPOCH);
        s.set("last_modified", readJson(json));
        CanonicalEvent e = accept(input(s));
        assertThat(e.time()).isEqualTo(Instant.parse(expected));
        assertThat(e.version()).isEqualTo(micros(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"yesterday\"", "\"\"", "\"2024-13-01T00:00:00Z\"", "\"2024-02-30 10:00:00\"",
        "\"0000-00-00 00:00:00\"", "\"2024-01-20T25:00:00Z\"", "\"2024-01-20T10:30:00+19:00\"",
        "\"20/01/2024 10:30\"", "\"2024-01-20T10:30:00 America/Denver\"", "\"9999-12-31T23:00:00-05:00\"",
        "true", "{}", "[]", "0", "-1705771800", "123", "20240120", "500000000000", "1e20", "\"1.2.3\""})
    void unreadableLastModifiedIsBadVersion(String json) {
        ObjectNode s = ConfidentPayloads.minimal("T-1", Instant.EPOCH);
        s.set("last_modified", readJson(json));
        Rejection r = reject(input(s));
        assertThat(r.reason()).isEqualTo(Rejection.Reason.BAD_VERSION);
        assertThat(r.message()).contains("last_modified");
    }

    @Test
    void missingOrNullLastModifiedIsBadVersion() {
        assertThat(reject(input("{\"id\":\"A\"}")).reason()).isEqualTo(Rejection.Reason.BAD_VERSION);
        assertThat(reject(input("{\"id\":\"A\",\"last_modified\":null}")).reason())
                .isEqualTo(Rejection.Reason.BAD_VERSION);
    }

    @Test
    void revisionsHaveIncreasingVersionsOnOneEntity() {
        CanonicalEvent r1 = accept(input(fixture("revision-r1.json")));
        CanonicalEvent r2 = accept(input(fixture("revision-r2.json")));
        assertThat(r1.subject()).isEqualTo(r2.subject()).isEqualTo("confident:sample:2401ACM0042.0150");
        assertThat(r1.version()).isLessThan(r2.version());
        assertThat(r1.version()).isEqualTo(micros("2024-01-18T16:15:00Z"));
        assertThat(r2.version()).isEqualTo(micros("2024-01-19T18:02:41Z"));
        assertThat(r1.id()).isNotEqualTo(r2.id());
        assertThat(r1.data().get("lab_status").asText()).isEqualTo("incomplete");
        assertThat(r2.data().get("lab_status").asText()).isEqualTo("pass");
        Map<String, JsonNode> before = resultsByKey(r1);
        Map<String, JsonNode> after = resultsByKey(r2);
        // report_units only: the unit values are submitted in is the documented default
        assertResult(before.get("microbials/total_yeast_and_mold"), null, "", "cfu/g", "10", "100", "10000", null);
        assertResult(after.get("microbials/total_yeast_and_mold"), "2300", "2300", "cfu/g", "10", "100", "10000", "pass");
        assertThat(after.get("microbials/total_yeast_and_mold").get("report_unit").asText()).isEqualTo("CFU/g");
    }

    @Test
    void theSameRevisionDeliveredTwiceIsTheSameEvent() {
        byte[] body = fixture("full-panel.json");
        CanonicalEvent first = accept(input(body));
        CanonicalEvent again = accept(new RawInput(utc(), "d-2", RECEIVED.plusSeconds(90), Map.of(), body));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.deliveryId()).isEqualTo("d-2");
        // re-serialized (compact) bytes of the same revision: still the same event
        assertThat(accept(input(fixtureJson("full-panel.json"))).id()).isEqualTo(first.id());
        // a later last_modified: another event
        ObjectNode later = ConfidentPayloads.revision(fixtureJson("full-panel.json"),
                Instant.parse("2024-01-20T17:30:00.123457Z"));
        CanonicalEvent next = accept(input(later));
        assertThat(next.id()).isNotEqualTo(first.id());
        assertThat(next.version()).isEqualTo(first.version() + 1);
    }

    // ---------------------------------------------------------------- envelopes and other events

    @Test
    void envelopesCarryTheSameEventAsThePlainPayload() {
        ObjectNode sample = fixtureJson("revision-r2.json");
        CanonicalEvent plain = accept(input(sample));
        List<ObjectNode> envelopes = new ArrayList<>();
        ObjectNode data = JsonNodeFactory.instance.objectNode().put("event", "sample.publish");
        data.set("data", sample);
        envelopes.add(data);
        ObjectNode named = JsonNodeFactory.instance.objectNode().put("event", "Sample.Published");
        named.set("sample", sample);
        envelopes.add(named);
        ObjectNode flat = sample.deepCopy().put("event_type", "sample.publish");
        envelopes.add(flat);
        for (ObjectNode envelope : envelopes) {
            CanonicalEvent e = accept(input(envelope));
            assertThat(e.id()).isEqualTo(plain.id());
            assertThat(e.type()).isEqualTo("lab.confident.sample.publish");
            assertThat(e.data().get("results")).isEqualTo(plain.data().get("results"));
            assertThat(e.data().get("vendor_payload")).isEqualTo(envelope);
        }
    }

    @Test
    void unknownEventNamesPassThroughOnTheSample() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("event", "sample.unpublish");
        body.putObject("data").put("id", "S-9").put("last_modified", "2024-02-02T02:02:02Z");
        CanonicalEvent e = accept(input(body));
        assertThat(e.type()).isEqualTo("lab.confident.sample.unpublish");
        assertThat(e.subject()).isEqualTo("confident:sample:S-9");
        assertThat(e.entityType()).isEqualTo("sample");
        assertThat(e.version()).isZero();
        assertThat(e.time()).isEqualTo(Instant.parse("2024-02-02T02:02:02Z"));
        assertThat(e.data().get("event").asText()).isEqualTo("sample.unpublish");
        assertThat(e.data().get("sample_id").asText()).isEqualTo("S-9");
        assertThat(e.data().get("last_modified").asText()).isEqualTo("2024-02-02T02:02:02Z");
        assertThat(e.data().get("vendor_payload")).isEqualTo(body);
        assertThat(accept(input(body)).id()).isEqualTo(e.id());
        ObjectNode other = body.deepCopy();
        ((ObjectNode) other.get("data")).put("note", "changed");
        assertThat(accept(input(other)).id()).isNotEqualTo(e.id());
    }

    @Test
    void unknownEventsWithoutAnIdOrWithOddNamesStillPassThrough() {
        CanonicalEvent noId = accept(input("{\"event\":\"order.created\",\"data\":{\"order_id\":\"O-1\"}}"));
        assertThat(noId.type()).isEqualTo("lab.confident.order.created");
        assertThat(noId.subject()).matches("confident:event:[0-9a-f]{64}");
        assertThat(noId.time()).isEqualTo(RECEIVED);
        CanonicalEvent odd = accept(input("{\"event\":\"sample archived!\",\"id\":{\"x\":1},\"last_modified\":\"bad\"}"));
        assertThat(odd.type()).isEqualTo("lab.confident.sample_archived_");
        assertThat(odd.entityType()).isEqualTo("event");
        assertThat(odd.data().get("last_modified").isNull()).isTrue();
        assertThat(accept(input("{\"event\":\"   \",\"data\":{\"id\":\"S-1\"}}")).type())
                .isEqualTo("lab.confident.unknown");
        String longName = "x".repeat(500);
        assertThat(accept(input("{\"event\":\"" + longName + "\"}")).type()).hasSize("lab.confident.".length() + 100);
    }

    // ---------------------------------------------------------------- rejections

    @Test
    void notJson() {
        assertThat(reject(input("not json")).reason()).isEqualTo(Rejection.Reason.NOT_JSON);
        assertThat(reject(input("")).reason()).isEqualTo(Rejection.Reason.NOT_JSON);
        assertThat(reject(input("{\"id\":\"A\",")).reason()).isEqualTo(Rejection.Reason.NOT_JSON);
        assertThat(reject(input(new byte[] {(byte) 0xff, (byte) 0xfe, 0})).reason()).isEqualTo(Rejection.Reason.NOT_JSON);
    }

    @Test
    void tooLarge() {
        byte[] body = fixture("full-panel.json");
        Rejection big = reject(input(source(null, 10_000), body));
        assertThat(big.reason()).isEqualTo(Rejection.Reason.TOO_LARGE);
        String deep = "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"notes\":" + "[".repeat(200)
                + "]".repeat(200) + "}";
        assertThat(reject(input(deep)).reason()).isEqualTo(Rejection.Reason.TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"last_modified\":\"2024-01-01T00:00:00Z\"}",
        "{\"id\":null,\"last_modified\":\"2024-01-01T00:00:00Z\"}",
        "{\"id\":\"\",\"last_modified\":\"2024-01-01T00:00:00Z\"}",
        "{\"id\":\"   \",\"last_modified\":\"2024-01-01T00:00:00Z\"}",
        "{\"event\":\"sample.publish\",\"data\":{\"last_modified\":\"2024-01-01T00:00:00Z\"}}"})
    void missingId(String body) {
        assertThat(reject(input(body)).reason()).isEqualTo(Rejection.Reason.MISSING_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "\"a string\"", "42",
        "{\"id\":{\"v\":1},\"last_modified\":\"2024-01-01T00:00:00Z\"}",
        "{\"id\":[\"A\"],\"last_modified\":\"2024-01-01T00:00:00Z\"}",
        "{\"id\":true,\"last_modified\":\"2024-01-01T00:00:00Z\"}",
        "{\"event\":\"sample.publish\",\"data\":\"{}\"}",
        "{\"event\":7,\"data\":{}}"})
    void wrongShape(String body) {
        Rejection r = reject(input(body));
        assertThat(r.reason()).isEqualTo(Rejection.Reason.WRONG_SHAPE);
        assertThat(r.message()).isNotBlank().doesNotStartWith("internal error");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":\"oops\"}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":[1]}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":{\"categories\":\"x\"}}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":{\"categories\":[{\"a\":1}]}}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":{\"categories\":{\"metals\":5}}}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":{\"categories\":{\"metals\":{\"info_fields\":\"x\"}}}}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":{\"categories\":{\"metals\":{\"compounds\":{\"lead\":{}}}}}}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":{\"categories\":{\"metals\":{\"compounds\":\"lead\"}}}}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":{\"categories\":{\"metals\":{\"compounds\":[\"lead\"]}}}}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"test_packages\":{\"id\":1}}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"test_types\":[1]}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"images\":\"a.jpg\"}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"images\":[\"a.jpg\"]}",
        "{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"cover_image\":\"a.jpg\"}"})
    void anOddPartIsAWarningNeverARejection(String body) {
        CanonicalEvent e = accept(input(body));
        assertThat(e.entityId()).isEqualTo("A");
        assertThat(e.data().get("warnings")).as("warnings of %s", body).isNotEmpty();
        assertThat(e.data().get("warnings").get(0).asText()).contains("ignored");
    }

    @Test
    void anOverlongIdIsWrongShape() {
        ObjectNode s = ConfidentPayloads.minimal("x".repeat(ConfidentAdapter.MAX_ID_LENGTH + 1), Instant.EPOCH);
        s.put("last_modified", "2024-01-01T00:00:00Z");
        assertThat(reject(input(s)).reason()).isEqualTo(Rejection.Reason.WRONG_SHAPE);
        ObjectNode ok = ConfidentPayloads.minimal(" " + "x".repeat(ConfidentAdapter.MAX_ID_LENGTH) + " ",
                Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(accept(input(ok)).entityId()).hasSize(ConfidentAdapter.MAX_ID_LENGTH);
    }

    @Test
    void emptyArraysStandForEmptyObjects() {
        CanonicalEvent e = accept(input("{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\","
                + "\"lab_data\":{\"status\":1,\"categories\":{\"metals\":{\"info_fields\":[],\"compounds\":[]},"
                + "\"moisture\":[]}}}"));
        assertThat(e.data().get("results")).isEmpty();
        assertThat(accept(input("{\"id\":\"A\",\"last_modified\":\"2024-01-01T00:00:00Z\",\"lab_data\":[]}"))
                .data().get("lab_status").isNull()).isTrue();
    }

    @Test
    void minimalSample() {
        CanonicalEvent e = accept(input(fixture("minimal.json")));
        assertThat(e.subject()).isEqualTo("confident:sample:2401ACM0042.0200");
        assertThat(e.version()).isEqualTo(micros("2024-02-01T08:00:00Z"));
        assertThat(e.data().get("results")).isEmpty();
        assertThat(e.data().get("lab_status").isNull()).isTrue();
        assertThat(e.data().get("order_id").isNull()).isTrue();
        assertThat(e.data().get("test_packages")).isEmpty();
    }

    // ---------------------------------------------------------------- schema, generator, fuzz, threads

    @Test
    void theSchemaIsPickedAndCatchesBrokenEvents() {
        assertThat(schemas.familyOf("confident", "sample")).isEqualTo("confident.sample.schema.json");
        ObjectNode good = codec.toJson(accept(input(fixture("revision-r2.json"))));
        ObjectNode stringValue = good.deepCopy();
        ((ObjectNode) stringValue.get("data").get("results").get(0)).put("value", "22.81");
        assertThat(schemas.validate(stringValue)).isNotEmpty();
        ObjectNode noResults = good.deepCopy();
        ((ObjectNode) noResults.get("data")).remove("results");
        assertThat(schemas.validate(noResults)).isNotEmpty();
        ObjectNode badStatus = good.deepCopy();
        ((ObjectNode) badStatus.get("data").get("results").get(0)).put("status", "incomplete");
        assertThat(schemas.validate(badStatus)).isNotEmpty();
        ObjectNode badSubject = good.deepCopy().put("subject", "confident:order:1");
        assertThat(schemas.validate(badSubject)).isNotEmpty();
        ObjectNode extraField = good.deepCopy();
        ((ObjectNode) extraField.get("data")).put("surprise", 1);
        assertThat(schemas.validate(extraField)).isNotEmpty();
    }

    @Test
    void generatedPanelsAreDeterministicCompleteAndValid() throws IOException {
        Instant t = Instant.parse("2024-05-01T12:00:00Z");
        assertThat(ConfidentPayloads.panel("S-1", t, 7)).isEqualTo(ConfidentPayloads.panel("S-1", t, 7));
        assertThat(ConfidentPayloads.panel("S-1", t, 7)).isNotEqualTo(ConfidentPayloads.panel("S-1", t, 8));
        int failing = 0;
        for (long seed = 0; seed < 30; seed++) {
            ObjectNode panel = ConfidentPayloads.panel("S-" + seed, t.plusSeconds(seed), seed);
            byte[] bytes = MAPPER.writeValueAsBytes(panel);
            assertThat(bytes.length).isBetween(25_000, 40_000);
            CanonicalEvent e = accept(input(bytes));
            assertThat(e.data().get("results")).hasSize(ConfidentPayloads.PANEL_ANALYTES);
            assertThat(e.version()).isEqualTo(micros(t.plusSeconds(seed).toString()));
            Set<String> categories = new HashSet<>();
            e.data().get("results").forEach(r -> categories.add(r.get("category").asText()));
            assertThat(categories).containsExactlyInAnyOrderElementsOf(ConfidentPayloads.CATEGORIES);
            // the lab status agrees with the categories' statuses
            boolean anyFail = false;
            for (JsonNode r : e.data().get("results")) {
                anyFail |= r.get("status").asText().equals("fail");
                if (r.get("value").isNumber() && r.get("limit").isNumber()
                        && r.get("value").decimalValue().compareTo(r.get("limit").decimalValue()) > 0) {
                    assertThat(r.get("status").asText()).as("over the limit: %s", r).isEqualTo("fail");
                }
            }
            assertThat(e.data().get("lab_status").asText()).isEqualTo(anyFail ? "fail" : "pass");
            failing += anyFail ? 1 : 0;
        }
        assertThat(failing).isBetween(3, 20);
    }

    @Test
    void randomMutationsOfTheFullPanelNeverThrow() throws IOException {
        ObjectNode panel = fixtureJson("full-panel.json");
        byte[] compact = MAPPER.writeValueAsBytes(panel);
        Random random = new Random(20240120L);
        Map<String, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            byte[] body = i % 2 == 0 ? mutateBytes(compact, random) : mutateTree(panel, random);
            AdapterResult r;
            try {
                r = adapter.adapt(input(body));
            } catch (RuntimeException e) {
                throw new AssertionError("adapt threw on mutation " + i + ": " + new String(body, StandardCharsets.UTF_8), e);
            }
            if (r instanceof AdapterResult.Rejected rejected) {
                assertThat(rejected.rejection().message()).as("mutation %d", i).doesNotStartWith("internal error");
                outcomes.merge(rejected.rejection().reason().id(), 1, Integer::sum);
            } else {
                List<CanonicalEvent> events = ((AdapterResult.Accepted) r).events();
                assertThat(events).hasSize(1);
                if (i % 5 == 1) {
                    assertValid(events.get(0));
                }
                outcomes.merge("accepted", 1, Integer::sum);
            }
        }
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2000);
        // with this seed: about half accepted, a third not JSON; odd parts are warnings, not rejections
        assertThat(outcomes).containsKeys("accepted", "not-json");
        assertThat(outcomes.get("accepted")).isGreaterThan(500);
    }

    private static byte[] mutateBytes(byte[] original, Random random) {
        byte[] b = original.clone();
        int at = random.nextInt(b.length);
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(b, at);
            }
            case 2 -> {
                int len = Math.min(1 + random.nextInt(60), b.length - at);
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                return out;
            }
            case 3 -> {
                String[] junk = {"{", "}", "[", "]", "\"", "\\", ",", ":", "null", "\u0000", "\uD800", "1e999",
                    "{\"a\":", "]]]]", "\u00e9", "\"\\u0000\""};
                byte[] j = junk[random.nextInt(junk.length)].getBytes(StandardCharsets.UTF_8);
                byte[] out = new byte[b.length + j.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(j, 0, out, at, j.length);
                System.arraycopy(b, at, out, at + j.length, b.length - at);
                return out;
            }
            default -> {
                int len = Math.min(1 + random.nextInt(200), b.length - at);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
        }
    }

    /** Replaces a random node of the tree with a value of a random (usually wrong) JSON type. */
    private static byte[] mutateTree(ObjectNode original, Random random) throws IOException {
        ObjectNode copy = original.deepCopy();
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(copy, containers);
        for (int k = 0; k < 1 + random.nextInt(3); k++) {
            JsonNode parent = containers.get(random.nextInt(containers.size()));
            JsonNode replacement = randomValue(random);
            if (parent instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String name = names.get(random.nextInt(names.size()));
                if (random.nextInt(8) == 0) {
                    o.remove(name);
                } else {
                    o.set(name, replacement);
                }
            } else if (parent instanceof ArrayNode a && a.size() > 0) {
                a.set(random.nextInt(a.size()), replacement);
            }
        }
        return MAPPER.writeValueAsBytes(copy);
    }

    private static void collectContainers(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collectContainers(it.next(), out);
            }
        }
    }

    private static JsonNode randomValue(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(12)) {
            case 0 -> f.nullNode();
            case 1 -> f.textNode("");
            case 2 -> f.textNode("ND");
            case 3 -> f.numberNode(random.nextLong());
            case 4 -> f.numberNode(random.nextDouble() * 1e6);
            case 5 -> f.booleanNode(random.nextBoolean());
            case 6 -> f.arrayNode();
            case 7 -> f.objectNode();
            case 8 -> f.arrayNode().add(1).add("x");
            case 9 -> f.objectNode().put("name", "x").put("value", "1");
            case 10 -> f.numberNode(new BigDecimal("1e400"));
            default -> f.textNode("2024-13-45 99:99:99");
        };
    }

    @Test
    void theAdapterIsSafeToShareBetweenThreads() throws InterruptedException, ExecutionException {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            bodies.add(ConfidentPayloads.panel("P-" + i, Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i), i)
                    .toString().getBytes(StandardCharsets.UTF_8));
        }
        Map<Integer, String> expected = new HashMap<>();
        for (int i = 0; i < bodies.size(); i++) {
            expected.put(i, ((AdapterResult.Accepted) adapter.adapt(input(bodies.get(i)))).events().get(0).id());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < bodies.size(); i++) {
                    byte[] body = bodies.get(i);
                    futures.add(pool.submit(() -> ((AdapterResult.Accepted) adapter.adapt(input(body))).events().get(0).id()));
                }
            }
            for (int k = 0; k < futures.size(); k++) {
                assertThat(futures.get(k).get()).isEqualTo(expected.get(k % bodies.size()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expected.values().stream().collect(Collectors.toSet())).hasSize(bodies.size());
    }

    private static JsonNode readJson(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
