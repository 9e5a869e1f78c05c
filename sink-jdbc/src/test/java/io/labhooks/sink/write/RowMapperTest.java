package io.labhooks.sink.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RowMapperTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final RowMapper rows = new RowMapper(new EventCodec(mapper));

    private CanonicalEvent event(String vendor, ObjectNode data) {
        return new CanonicalEvent("id1", "labhooks/src1", "lab." + vendor + ".x", vendor + ":sample:1", Instant.EPOCH,
                vendor, "sample", "1", 42, "d1", Instant.ofEpochSecond(5), true, data);
    }

    @Test
    void confidentResultsBecomeRowsAndTextStaysText() throws Exception {
        ObjectNode data = mapper.readValue("""
                {"results": [
                  {"category": "cannabinoids", "analyte": "THC", "value": 21.5, "value_text": "21.5", "unit": "%",
                   "lod": 0.01, "loq": "0.05", "limit": null, "status": "pass"},
                  {"category": "cannabinoids", "analyte": "CBN", "value": null, "value_text": "ND"},
                  {"category": "metals", "analyte": "Pb", "value": null, "value_text": " 0.25 "},
                  {"analyte": "Moisture", "value": null, "value_text": "<LOQ"}
                ]}""", ObjectNode.class);
        EntityRow row = rows.entityRow(event("confident", data));
        assertThat(row.results()).hasSize(4);
        assertThat(row.results().get(0).value()).isEqualByComparingTo("21.5");
        assertThat(row.results().get(0).loq()).as("a number written as text is not a number").isNull();
        assertThat(row.results().get(1).value()).isNull();
        assertThat(row.results().get(1).valueText()).isEqualTo("ND");
        // the normalizer kept it as text (it would have given a number otherwise): it stays text
        assertThat(row.results().get(2).value()).isNull();
        assertThat(row.results().get(2).valueText()).isEqualTo(" 0.25 ");
        assertThat(row.results().get(3).category()).isEmpty();
        assertThat(row.results().get(3).value()).isNull();
        assertThat(row.receivedAt()).isEqualTo(Instant.ofEpochSecond(5));
    }

    @Test
    void aValueTooLargeForTheWarehouseKeptAsTextIsNotReparsed() throws Exception {
        ObjectNode data = mapper.readValue("""
                {"results": [{"category": "metals", "analyte": "lead", "value": null, "value_text": "1e999",
                  "unit": "ppb", "report_unit": "ppm", "lod": 1, "loq": 5, "limit": 500, "max": 1000, "limit_low": null,
                  "limit_high": 900, "stdev": 0.1, "rsd": 2.5, "rpd": 3.5, "regulator_notes": "METRC", "verdict": "inconclusive",
                  "status": "fail"}],
                 "categories": [{"category": "metals", "status": "fail", "method": "ICP-MS", "date_tested": "2024-01-17",
                  "input_units": "ppb", "report_units": "ppm", "secondary_report_units": null, "reported_as_wet": false,
                  "info_fields": {"digits": 0, "signatory_name": "Dana"}}]}""", ObjectNode.class);
        EntityRow row = rows.entityRow(event("confident", data));
        ResultRow r = row.results().get(0);
        assertThat(r.value()).isNull();
        assertThat(r.valueText()).isEqualTo("1e999");
        assertThat(r.unit()).isEqualTo("ppb");
        assertThat(r.reportUnit()).isEqualTo("ppm");
        assertThat(r.max()).isEqualByComparingTo("1000");
        assertThat(r.limitLow()).isNull();
        assertThat(r.limitHigh()).isEqualByComparingTo("900");
        assertThat(r.stdev()).isEqualByComparingTo("0.1");
        assertThat(r.rsd()).isEqualByComparingTo("2.5");
        assertThat(r.rpd()).isEqualByComparingTo("3.5");
        assertThat(r.regulatorNotes()).isEqualTo("METRC");
        assertThat(r.verdict()).isEqualTo("inconclusive");
        assertThat(r.categoryStatus()).isEqualTo("fail");
        CategoryRow c = row.categories().get(0);
        assertThat(c).isEqualTo(new CategoryRow("metals", "fail", "ICP-MS", "2024-01-17", "ppb", "ppm", null, false,
                "{\"digits\":0,\"signatory_name\":\"Dana\"}"));
    }

    @Test
    void otherVendorsAndDeletedEntitiesHaveNoResults() throws Exception {
        ObjectNode data = mapper.readValue("{\"results\": [{\"category\": \"c\", \"analyte\": \"a\", \"value\": 1}]}",
                ObjectNode.class);
        assertThat(rows.entityRow(event("flabs", data)).results()).isEmpty();
        data.put("deleted", true);
        EntityRow deleted = rows.entityRow(event("confident", data));
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.results()).isEmpty();
    }

    @Test
    void eventRowsKeepTheWholeCloudEventAndTheSourceId() {
        EventRow e = rows.eventRow(event("lml", mapper.createObjectNode()));
        assertThat(e.sourceId()).isEqualTo("src1");
        assertThat(e.payloadJson()).contains("\"specversion\":\"1.0\"").contains("\"labhooksversion\":\"42\"");
    }

    @Test
    void rejectsWhatIsNotACanonicalEventAndNonFiniteNumbers() throws Exception {
        assertThatThrownBy(() -> rows.eventRow("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RejectedRecordException.class)
                .extracting(e -> ((RejectedRecordException) e).reason()).isEqualTo(RowMapper.UNDECODABLE);
        assertThatThrownBy(() -> rows.eventRow((byte[]) null)).isInstanceOf(RejectedRecordException.class);
        ObjectNode data = mapper.createObjectNode();
        data.putArray("results").addObject().put("category", "c").put("analyte", "a").put("value", Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> rows.entityRow(event("confident", data)))
                .isInstanceOf(RejectedRecordException.class)
                .extracting(e -> ((RejectedRecordException) e).reason()).isEqualTo(RowMapper.INVALID_VALUE);
    }

    @Test
    void rowsFromRecordBytesCopyTheirJsonTextAndAgreeWithRowsFromTheTree() throws Exception {
        ObjectNode data = mapper.readValue("""
                {"results": [{"category": "metals", "analyte": "Pb", "value": 0.250, "value_text": "0.250"}],
                 "vendor_payload": {"weight": 3.50, "name": "caf\u00e9 \u2603", "nested": [{"a": []}]}}""", ObjectNode.class);
        CanonicalEvent e = event("confident", data);
        // as the normalizer writes it, with the payload's own spacing and number forms kept
        String text = new String(new EventCodec(mapper).write(e), StandardCharsets.UTF_8)
                .replace("\"weight\":3.5", "\"weight\" : 3.50");
        byte[] value = text.getBytes(StandardCharsets.UTF_8);

        EventRow fromBytes = rows.eventRow(value);
        assertThat(fromBytes.payload()).as("the record's own bytes, not a copy through a String").isSameAs(value);
        assertThat(fromBytes.payloadJson()).isEqualTo(text);
        assertThat(fromBytes).usingRecursiveComparison().ignoringFields("payload").isEqualTo(rows.eventRow(e));

        EntityRow entity = rows.entityRow(value);
        assertThat(entity.stateJson()).startsWith("{\"results\"").endsWith("}}").contains("\"weight\" : 3.50").contains("caf\u00e9 \u2603");
        assertThat(mapper.readTree(entity.stateJson())).isEqualTo(mapper.readTree(text).get("data"));
        assertThat(entity).usingRecursiveComparison().ignoringFields("state").isEqualTo(rows.entityRow(e));
    }

    @Test
    void recordBytesWithContentAfterTheEventOrADataThatIsNoObjectAreHandled() throws Exception {
        byte[] value = new EventCodec(mapper).write(event("lml", mapper.createObjectNode()));
        byte[] trailing = (new String(value, StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> rows.eventRow(trailing)).isInstanceOf(RejectedRecordException.class)
                .hasMessageContaining("after the event");
        assertThatThrownBy(() -> rows.entityRow(trailing)).isInstanceOf(RejectedRecordException.class);
        byte[] truncated = java.util.Arrays.copyOf(value, value.length - 3);
        assertThatThrownBy(() -> rows.eventRow(truncated)).isInstanceOf(RejectedRecordException.class)
                .extracting(x -> ((RejectedRecordException) x).reason()).isEqualTo(RowMapper.UNDECODABLE);
        byte[] nullData = new String(value, StandardCharsets.UTF_8).replace("\"data\":{}", "\"data\":null").getBytes(StandardCharsets.UTF_8);
        assertThat(rows.entityRow(nullData).stateJson()).isEqualTo("{}");
    }
}
