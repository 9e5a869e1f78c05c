package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Flabs webhooks ({@code {labID, eventType, eventTime, data:{billID, integratorID, billData:{status, testData[]},
 * reportURL}}}) to canonical events.
 *
 * <h2>Bill events</h2>
 * {@code bill.created}, {@code report.completed}, {@code bill.completed}, {@code bill.deleted}:
 * <ul>
 *   <li>entity key {@code flabs:bill:{labID}:{billID}} (entity type {@code bill}, entity id {@code {labID}:{billID}});</li>
 *   <li>version {@code eventTime × 1000 + rank}, {@code eventTime} in unix seconds, rank created 1 &lt;
 *       report.completed 2 &lt; completed 3 &lt; deleted 4, so events of the same second order by lifecycle;</li>
 *   <li>{@code time} is the {@code eventTime} instant;</li>
 *   <li>{@code report.completed} happens once per report, so its discriminator is the report: its
 *       {@code reportURL} plus its test ids with their statuses (sorted). Two reports of one bill differ in at
 *       least one of these; a redelivery of one report has the same ones;</li>
 *   <li>{@code bill.deleted} sets {@code data.deleted = true};</li>
 *   <li>data: {@code lab_id, bill_id, integrator_id, status, report_url, tests[{id, status}], deleted}.</li>
 * </ul>
 * Any other event whose name starts with {@code bill.} or {@code report.} is keyed on the same bill, with rank 0
 * and the body hash as discriminator.
 *
 * <h2>Other events (pass-through)</h2>
 * {@code lead.created}, {@code booking.created} (added by Flabs after its document) and any unknown
 * {@code eventType} pass through as {@code lab.flabs.{eventType}} on entity {@code flabs:{prefix}:{labID}:{id}},
 * where {@code prefix} is the event name up to its first dot ({@code lead}, {@code booking}) and {@code id} is the
 * first of {@code data.{prefix}ID}, {@code data.{prefix}Id}, {@code data.{prefix}_id}, {@code data.id},
 * {@code data._id}, else {@code sha256-} and the body hash. A missing {@code labID} is written {@code -}. The
 * version is {@code eventTime × 1000} (rank 0), or 0 when there is no {@code eventTime}; the discriminator is the
 * body hash, so a redelivery keeps its id. Their family schema is {@code generic.schema.json}.
 *
 * <h2>Rejections</h2>
 * Not JSON: NOT_JSON; over the limits: TOO_LARGE; {@code eventType} missing, {@code data}, {@code billData} or
 * {@code testData} of the wrong type, or {@code eventTime} an object or array: WRONG_SHAPE; no {@code labID} or
 * {@code billID} on a bill event: MISSING_ID; {@code eventTime} not an integer number of seconds in years
 * 1970..9999 (absent on a bill event, fractional, text): BAD_VERSION.
 *
 * <p>Stateless and thread-safe; never throws for bad input.
 */
public final class FlabsAdapter extends ObjectAdapter {
    /** The event types in Flabs' document, with their lifecycle rank. */
    public static final Map<String, Integer> RANKS = Map.of(
            "bill.created", 1,
            "report.completed", 2,
            "bill.completed", 3,
            "bill.deleted", 4);
    /** Event types Flabs added after its document; they pass through (see the class comment). */
    public static final List<String> PASS_THROUGH = List.of("lead.created", "booking.created");
    static final String ENTITY_BILL = "bill";
    /** Largest eventTime accepted: 9999-12-31T23:59:59Z. */
    private static final long MAX_EVENT_TIME = 253_402_300_799L;

    public FlabsAdapter(Json json) {
        super(json);
    }

    @Override
    protected AdapterResult adaptObject(RawInput in, ObjectNode body) {
        return AdapterResult.accepted(event(in, body));
    }

    private CanonicalEvent event(RawInput in, ObjectNode body) {
        String eventType = JsonFields.text(body.get("eventType"), "eventType");
        String event = JsonFields.eventName(eventType, "eventType");
        ObjectNode data = JsonFields.object(body, "data", "data");
        OptionalLong eventTime = eventTime(body.get("eventTime"));
        int dot = event.indexOf('.');
        String prefix = dot < 0 ? event : event.substring(0, dot);
        if (prefix.equals("bill") || prefix.equals("report")) {
            return billEvent(in, body, event, data, eventTime);
        }
        return passThrough(in, body, event, prefix, data, eventTime);
    }

    private CanonicalEvent billEvent(RawInput in, ObjectNode body, String event, ObjectNode data, OptionalLong eventTime) {
        if (eventTime.isEmpty()) {
            throw JsonFields.invalid(Rejection.Reason.BAD_VERSION, "eventTime is missing");
        }
        String labId = JsonFields.requiredId(body.get("labID"), "labID");
        if (data == null) {
            throw JsonFields.invalid(Rejection.Reason.MISSING_ID, "data.billID is missing (no data object)");
        }
        String billId = JsonFields.requiredId(data.get("billID"), "data.billID");
        ObjectNode billData = JsonFields.object(data, "billData", "data.billData");
        String reportUrl = JsonFields.text(data.get("reportURL"), "data.reportURL");

        ObjectNode out = json.mapper().createObjectNode();
        out.put("lab_id", labId);
        out.put("bill_id", billId);
        out.put("integrator_id", JsonFields.text(data.get("integratorID"), "data.integratorID"));
        out.put("status", billData == null ? null : JsonFields.text(billData.get("status"), "data.billData.status"));
        out.put("report_url", reportUrl);
        ArrayNode tests = out.putArray("tests");
        List<String> testKeys = new ArrayList<>();
        JsonNode testData = billData == null ? null : billData.get("testData");
        if (testData != null && !testData.isNull()) {
            if (!testData.isArray()) {
                throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "data.billData.testData must be an array, was " + testData.getNodeType());
            }
            for (JsonNode t : testData) {
                if (!t.isObject()) {
                    throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "data.billData.testData[] must hold objects, found " + t.getNodeType());
                }
                String id = JsonFields.id(t.get("_id"), "data.billData.testData[]._id");
                String status = JsonFields.text(t.get("status"), "data.billData.testData[].status");
                ObjectNode o = tests.addObject();
                o.put("id", id);
                o.put("status", status);
                testKeys.add((id == null ? "" : id) + "=" + (status == null ? "" : status));
            }
        }
        boolean deleted = event.equals("bill.deleted");
        out.put("deleted", deleted);

        Integer rank = RANKS.get(event);
        String discriminator;
        if (rank == null) {
            rank = 0;
            discriminator = JsonFields.bodyHash(in);
        } else if (event.equals("report.completed")) {
            testKeys.sort(null);
            discriminator = "report=" + (reportUrl == null ? "" : reportUrl) + "\ntests=" + String.join(",", testKeys);
        } else {
            discriminator = "";
        }
        long seconds = eventTime.getAsLong();
        return EventFactory.event(in, ENTITY_BILL, labId + ":" + billId, event, seconds * 1000 + rank, discriminator,
                Instant.ofEpochSecond(seconds), out, body);
    }

    private CanonicalEvent passThrough(RawInput in, ObjectNode body, String event, String prefix, ObjectNode data,
                                       OptionalLong eventTime) {
        String entityType = JsonFields.safeName(prefix, false);
        if (entityType.isEmpty()) {
            entityType = "event";
        }
        String labId = JsonFields.id(body.get("labID"), "labID");
        String id = JsonFields.firstId(data, List.of(prefix + "ID", prefix + "Id", prefix + "_id", "id", "_id"));
        ObjectNode out = json.mapper().createObjectNode();
        out.put("lab_id", labId);
        out.put("event_type", event);
        out.put("id_from", id == null ? "body_hash" : "data");
        String hash = JsonFields.bodyHash(in);
        String entityId = (labId == null ? "-" : labId) + ":" + (id == null ? "sha256-" + hash : id);
        long version = eventTime.isPresent() ? eventTime.getAsLong() * 1000 : 0;
        Instant time = eventTime.isPresent() ? Instant.ofEpochSecond(eventTime.getAsLong()) : null;
        return EventFactory.event(in, entityType, entityId, event, version, hash, time, out, body);
    }

    /**
     * {@code eventTime}: empty when absent or null.
     *
     * @throws JsonFields.Invalid WRONG_SHAPE for an object or array, BAD_VERSION for anything but whole seconds
     *                            within 1970..9999
     */
    private static OptionalLong eventTime(JsonNode v) {
        if (v == null || v.isNull()) {
            return OptionalLong.empty();
        }
        if (v.isContainerNode()) {
            throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "eventTime must be an integer, was " + v.getNodeType());
        }
        OptionalLong n = Versions.exactLong(v);
        if (n.isEmpty()) {
            throw JsonFields.invalid(Rejection.Reason.BAD_VERSION, "eventTime is not an integer number of seconds: " + JsonFields.abbreviate(v.asText()));
        }
        if (n.getAsLong() < 0 || n.getAsLong() > MAX_EVENT_TIME) {
            throw JsonFields.invalid(Rejection.Reason.BAD_VERSION, "eventTime is out of range (unix seconds, 1970..9999): " + n.getAsLong());
        }
        return n;
    }
}
