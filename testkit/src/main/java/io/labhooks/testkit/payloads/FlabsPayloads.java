package io.labhooks.testkit.payloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * Realistic Flabs webhook bodies, shaped as in Flabs' webhook document:
 * {@code {labID, eventType, eventTime (unix seconds), data:{billID, integratorID, billData:{status, testData[]},
 * reportURL}}}. Deterministic: the same arguments always give the same body. The seed picks the number of tests
 * (1..4), their ids and the integrator id; use the same seed for every event of one bill.
 *
 * <p>{@code lead.created} and {@code booking.created} were added by Flabs after its document; their bodies here
 * are a plausible guess (the Flabs envelope with a {@code leadID}/{@code bookingID} in {@code data}).
 */
public final class FlabsPayloads {
    /** The bill events in Flabs' document, in lifecycle order. */
    public static final List<String> BILL_EVENTS = List.of("bill.created", "report.completed", "bill.completed", "bill.deleted");
    /** Events Flabs added later. */
    public static final List<String> OTHER_EVENTS = List.of("lead.created", "booking.created");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FlabsPayloads() {
    }

    /** The number of tests (and reports) of the bill made from {@code seed}: 1..4. */
    public static int testCount(long seed) {
        return 1 + new Random(seed).nextInt(4);
    }

    /** The test ids of the bill made from {@code seed}. */
    public static List<String> testIds(long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(4);
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = String.format("test_%06d", r.nextInt(1_000_000)) + "_" + i;
        }
        return List.of(ids);
    }

    public static ObjectNode billCreated(String labId, String billId, long eventTime, long seed) {
        return bill("bill.created", labId, billId, eventTime, seed, 0, "pending", null);
    }

    /**
     * The {@code report.completed} of report number {@code report} (0-based, less than {@link #testCount}): tests
     * 0..report are completed, and the report URL names the report's test.
     */
    public static ObjectNode reportCompleted(String labId, String billId, long eventTime, int report, long seed) {
        String testId = testIds(seed).get(Math.floorMod(report, testCount(seed)));
        return bill("report.completed", labId, billId, eventTime, seed, report + 1, "partially_completed",
                "https://reports.flabs.in/bill/" + billId + "/report/" + testId);
    }

    public static ObjectNode billCompleted(String labId, String billId, long eventTime, long seed) {
        return bill("bill.completed", labId, billId, eventTime, seed, Integer.MAX_VALUE, "completed",
                "https://reports.flabs.in/bill/" + billId);
    }

    public static ObjectNode billDeleted(String labId, String billId, long eventTime, long seed) {
        return bill("bill.deleted", labId, billId, eventTime, seed, 0, "deleted", null);
    }

    public static ObjectNode leadCreated(String labId, String leadId, long eventTime, long seed) {
        Random r = new Random(seed);
        ObjectNode body = envelope(labId, "lead.created", eventTime);
        ObjectNode data = body.putObject("data");
        data.put("leadID", leadId);
        data.put("integratorID", "integrator_" + Long.toHexString(seed & 0xffffffL));
        data.put("patientName", NAMES.get(r.nextInt(NAMES.size())));
        data.put("phone", "+91 98" + String.format("%08d", r.nextInt(100_000_000)));
        data.put("source", r.nextBoolean() ? "website" : "walk_in");
        return body;
    }

    public static ObjectNode bookingCreated(String labId, String bookingId, long eventTime, long seed) {
        Random r = new Random(seed);
        ObjectNode body = envelope(labId, "booking.created", eventTime);
        ObjectNode data = body.putObject("data");
        data.put("bookingID", bookingId);
        data.put("integratorID", "integrator_" + Long.toHexString(seed & 0xffffffL));
        data.put("patientName", NAMES.get(r.nextInt(NAMES.size())));
        data.put("collectionType", r.nextBoolean() ? "home_collection" : "lab_visit");
        data.put("slotTime", eventTime + 3_600L * (1 + r.nextInt(48)));
        return body;
    }

    /**
     * Any event by name: the four bill events (report 0 for {@code report.completed}), the two later ones (the
     * bill id is used as the lead or booking id), and for an unknown name the Flabs envelope with
     * {@code data.billID} — for testing pass-through.
     */
    public static ObjectNode event(String eventType, String labId, String billId, long eventTime, long seed) {
        return switch (eventType) {
            case "bill.created" -> billCreated(labId, billId, eventTime, seed);
            case "report.completed" -> reportCompleted(labId, billId, eventTime, 0, seed);
            case "bill.completed" -> billCompleted(labId, billId, eventTime, seed);
            case "bill.deleted" -> billDeleted(labId, billId, eventTime, seed);
            case "lead.created" -> leadCreated(labId, billId, eventTime, seed);
            case "booking.created" -> bookingCreated(labId, billId, eventTime, seed);
            default -> {
                ObjectNode body = envelope(labId, eventType, eventTime);
                body.putObject("data").put("billID", billId);
                yield body;
            }
        };
    }

    /** The body as UTF-8 JSON bytes. */
    public static byte[] bytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JsonNode always serializes", e);
        }
    }

    private static ObjectNode bill(String eventType, String labId, String billId, long eventTime, long seed,
                                   int completedTests, String status, String reportUrl) {
        ObjectNode body = envelope(labId, eventType, eventTime);
        ObjectNode data = body.putObject("data");
        data.put("billID", billId);
        data.put("integratorID", "integrator_" + Long.toHexString(seed & 0xffffffL));
        ObjectNode billData = data.putObject("billData");
        List<String> tests = testIds(seed);
        boolean allDone = completedTests >= tests.size();
        billData.put("status", "partially_completed".equals(status) && allDone ? "completed" : status);
        ArrayNode testData = billData.putArray("testData");
        for (int i = 0; i < tests.size(); i++) {
            String s = "deleted".equals(status) ? "deleted" : i < completedTests ? "completed" : "pending";
            testData.addObject().put("_id", tests.get(i)).put("status", s);
        }
        if (reportUrl != null) {
            data.put("reportURL", reportUrl);
        }
        return body;
    }

    private static ObjectNode envelope(String labId, String eventType, long eventTime) {
        ObjectNode body = NODES.objectNode();
        body.put("labID", labId);
        body.put("eventType", eventType);
        body.put("eventTime", eventTime);
        return body;
    }

    private static final List<String> NAMES = List.of("Aarav Sharma", "Diya Patel", "Vihaan Gupta", "Ananya Iyer",
            "Kabir Singh", "Meera Nair", "Rohan Das", "Isha Reddy");
}
