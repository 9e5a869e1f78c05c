package io.labhooks.testkit.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventIds;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Canonical events as the normalizer would emit them, for the sink tests. */
public final class TestEvents {
    /** 2024-05-01T00:00:00Z in epoch micros: Confident versions are last_modified in micros. */
    public static final long BASE_MICROS = 1_714_521_600_000_000L;

    private final ObjectMapper mapper = new ObjectMapper();

    public ObjectMapper mapper() {
        return mapper;
    }

    /** A result item as the normalizer flattens Confident's lab_data. {@code value} may be null. */
    public ObjectNode result(String category, String analyte, BigDecimal value, String valueText, String unit,
                             String status) {
        ObjectNode r = mapper.createObjectNode();
        r.put("category", category);
        r.put("analyte", analyte);
        if (value == null) {
            r.putNull("value");
        } else {
            r.put("value", value);
        }
        if (valueText == null) {
            r.putNull("value_text");
        } else {
            r.put("value_text", valueText);
        }
        r.put("unit", unit);
        r.put("lod", new BigDecimal("0.01"));
        r.put("loq", new BigDecimal("0.05"));
        r.putNull("limit");
        if (status == null) {
            r.putNull("status");
        } else {
            r.put("status", status);
        }
        return r;
    }

    /**
     * A result with a limit (and optionally a range's upper bound) and the normalizer's verdict, and the other
     * compound fields filled.
     */
    public ObjectNode limited(String category, String analyte, BigDecimal value, String unit, BigDecimal limit,
                              BigDecimal limitHigh, String verdict, String status) {
        ObjectNode r = result(category, analyte, value, value == null ? "ND" : value.toPlainString(), unit, status);
        r.put("report_unit", unit);
        if (limit == null) {
            r.putNull("limit");
        } else {
            r.put("limit", limit);
        }
        r.putNull("max");
        r.putNull("limit_low");
        if (limitHigh == null) {
            r.putNull("limit_high");
        } else {
            r.put("limit_high", limitHigh);
        }
        r.put("stdev", new BigDecimal("0.02"));
        r.putNull("rsd");
        r.putNull("rpd");
        r.putNull("regulator_notes");
        r.put("verdict", verdict);
        return r;
    }

    /** A category item of {@code data.categories[]}. */
    public ObjectNode category(String category, String status, String dateTested, String inputUnits, String reportUnits) {
        ObjectNode c = mapper.createObjectNode();
        c.put("category", category);
        c.put("status", status);
        c.put("method", "LC-MS/MS");
        c.put("date_tested", dateTested);
        c.put("input_units", inputUnits);
        c.put("report_units", reportUnits);
        c.putNull("secondary_report_units");
        c.put("reported_as_wet", false);
        c.putObject("info_fields").put("input_units", inputUnits).put("report_units", reportUnits).put("digits", 3);
        return c;
    }

    /** A small potency panel whose numbers depend on the version, so each revision differs. */
    public List<ObjectNode> potency(long version) {
        BigDecimal bump = BigDecimal.valueOf(version % 1000, 2);
        return List.of(
                result("cannabinoids", "THC", new BigDecimal("21.50").add(bump), null, "%", "pass"),
                result("cannabinoids", "CBD", new BigDecimal("0.40").add(bump), null, "%", "pass"),
                result("cannabinoids", "CBN", null, "ND", "%", null),
                result("terpenes", "Limonene", new BigDecimal("0.81"), null, "%", null));
    }

    /**
     * A full Confident panel of {@code n} analytes over eight categories: numbers, numeric text (value null,
     * value_text "12.5"), "ND" and "&lt;LOQ".
     */
    public List<ObjectNode> fullPanel(int n) {
        String[] categories = {"cannabinoids", "terpenes", "pesticides", "heavy_metals", "microbials", "mycotoxins",
            "residual_solvents", "moisture"};
        List<ObjectNode> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String cat = categories[i % categories.length];
            String analyte = cat + "_analyte_" + i;
            switch (i % 5) {
                case 0 -> out.add(result(cat, analyte, new BigDecimal(i + ".125"), i + ".125", "mg/g", "pass"));
                case 1 -> out.add(result(cat, analyte, null, "ND", "ppm", "pass"));
                case 2 -> out.add(result(cat, analyte, null, "<LOQ", "ppb", "pass"));
                case 3 -> out.add(result(cat, analyte, null, i + ".5", "%", "pass"));
                default -> out.add(result(cat, analyte, new BigDecimal(i), Integer.toString(i), "CFU/g",
                        i % 25 == 4 ? "fail" : "pass"));
            }
        }
        return out;
    }

    public CanonicalEvent confidentSample(String sampleId, long version, Instant receivedAt, List<ObjectNode> results) {
        return confidentSample(sampleId, version, receivedAt, results, "Blue Dream", false);
    }

    public CanonicalEvent confidentSample(String sampleId, long version, Instant receivedAt, List<ObjectNode> results,
                                          String strain, boolean deleted) {
        return confidentSample(sampleId, version, receivedAt, results, List.of(), null, strain, deleted);
    }

    public CanonicalEvent confidentSample(String sampleId, long version, Instant receivedAt, List<ObjectNode> results,
                                          List<ObjectNode> categories, String labStatus, String strain, boolean deleted) {
        Instant lastModified = Instant.EPOCH.plus(version, ChronoUnit.MICROS);
        ObjectNode data = mapper.createObjectNode();
        data.put("sample_id", sampleId);
        data.put("sample_name", "Sample " + sampleId);
        data.put("strain_name", strain);
        data.put("client_id", "client-7");
        data.put("order_id", "order-" + sampleId);
        data.put("status", "completed");
        data.put("last_modified", lastModified.toString());
        data.put("public_url", "https://confident.example/s/" + sampleId);
        data.put("lab_status", labStatus);
        ArrayNode rs = data.putArray("results");
        results.forEach(rs::add);
        ArrayNode cs = data.putArray("categories");
        categories.forEach(cs::add);
        if (deleted) {
            data.put("deleted", true);
        }
        data.putObject("vendor_payload").put("id", sampleId);
        String key = CanonicalEvent.entityKey("confident", "sample", sampleId);
        String type = "lab.confident.sample.publish";
        return new CanonicalEvent(EventIds.of("confident", key, type, version, ""), "labhooks/confident", type, key,
                lastModified, "confident", "sample", sampleId, version, "d-" + sampleId + "-" + version, receivedAt,
                true, data);
    }

    /** A Flabs bill event; {@code rank} is the lifecycle rank (created 1, report.completed 2, completed 3, deleted 4). */
    public CanonicalEvent flabsBill(String labId, String billId, long epochSecond, int rank, Instant receivedAt) {
        String event = switch (rank) {
            case 1 -> "bill.created";
            case 2 -> "report.completed";
            case 3 -> "bill.completed";
            case 4 -> "bill.deleted";
            default -> throw new IllegalArgumentException("rank " + rank);
        };
        long version = epochSecond * 1000 + rank;
        ObjectNode data = mapper.createObjectNode();
        data.put("lab_id", labId);
        data.put("bill_id", billId);
        data.put("status", event);
        if (rank == 4) {
            data.put("deleted", true);
        }
        data.putObject("vendor_payload").put("billID", billId);
        String key = CanonicalEvent.entityKey("flabs", "bill", labId + ":" + billId);
        String type = "lab.flabs." + event;
        return new CanonicalEvent(EventIds.of("flabs", key, type, version, ""), "labhooks/flabs", type, key,
                Instant.ofEpochSecond(epochSecond), "flabs", "bill", labId + ":" + billId, version,
                "d-" + billId + "-" + rank, receivedAt, true, data);
    }
}
