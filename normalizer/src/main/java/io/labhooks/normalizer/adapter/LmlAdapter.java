package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import java.util.List;
import java.util.Map;

/**
 * London Medical Laboratory webhooks ({@code {event, data:{...}}}) to canonical events.
 *
 * <h2>Known events</h2>
 * <table>
 *   <caption>LML events</caption>
 *   <tr><th>event</th><th>entity key</th><th>version</th></tr>
 *   <tr><td>{@code test_registration.complete}</td><td>{@code lml:test_registration:{testregistration_id}}</td><td>1</td></tr>
 *   <tr><td>{@code test_registration.sample_received}</td><td>same</td><td>2</td></tr>
 *   <tr><td>{@code test_registration.retest}</td><td>same (the original registration)</td><td>3</td></tr>
 *   <tr><td>{@code lab_results.complete}</td><td>same ({@code testregistration_id}, not the id inside the url)</td><td>4</td></tr>
 *   <tr><td>{@code order.shipped}</td><td>{@code lml:order:{order_id}}</td><td>1</td></tr>
 *   <tr><td>{@code order.delivered}</td><td>same</td><td>2</td></tr>
 * </table>
 * The payloads carry no time: {@code time} is the receipt time, and the version is the lifecycle rank.
 * {@code data.url} is kept for later enrichment, {@code data.sample_received_at} is kept as sent (never parsed
 * into the version or the time).
 *
 * <h2>Retest linkage</h2>
 * One {@code test_registration.retest} delivery yields two events:
 * <ol>
 *   <li>{@code lab.lml.test_registration.retest} on the original registration, version 3, with
 *       {@code data.retest_testregistration_id} and {@code data.references = [{rel: "retest", entity_key:
 *       "lml:test_registration:{new}"}]}; discriminator: the new id (a registration retested twice gets two events);</li>
 *   <li>{@code lab.lml.test_registration.retest_created} on the new registration, version 0 so that the new
 *       registration's own lifecycle events (1..4) still advance it, with {@code data.retest_of_testregistration_id}
 *       and {@code data.references = [{rel: "retest_of", entity_key: "lml:test_registration:{original}"}]};
 *       discriminator: the original id.</li>
 * </ol>
 *
 * <h2>Unknown events</h2>
 * An unknown {@code event} is never an error. If it starts with {@code test_registration.} or {@code lab_results.}
 * and carries a {@code testregistration_id}, or starts with {@code order.} and carries an {@code order_id}, it is
 * keyed on that registration or order (else MISSING_ID, as for the known ones). Any other event passes through
 * generically on {@code lml:{prefix}:{id}} ({@code prefix}: the event up to its first dot; {@code id}: the first of
 * {@code data.{prefix}_id}, {@code data.id}, else {@code sha256-} and the body hash). Unknown events have version 0
 * and the body hash as discriminator, so a redelivery (LML retries for days) keeps its id.
 *
 * <h2>Rejections</h2>
 * NOT_JSON, TOO_LARGE; WRONG_SHAPE when {@code event} is missing or not a string, or {@code data} is absent or not
 * an object, or an id is an object; MISSING_ID when a known event lacks its id (a retest also needs
 * {@code retest_testregistration_id}). LML payloads have no version field, so there is no BAD_VERSION.
 *
 * <p>Stateless and thread-safe; never throws for bad input.
 */
public final class LmlAdapter extends ObjectAdapter {
    static final String TEST_REGISTRATION = "test_registration";
    static final String ORDER = "order";
    /** Every event in LML's document with its lifecycle rank (the version). */
    public static final Map<String, Integer> RANKS = Map.of(
            "test_registration.complete", 1,
            "test_registration.sample_received", 2,
            "test_registration.retest", 3,
            "lab_results.complete", 4,
            "order.shipped", 1,
            "order.delivered", 2);
    /** The type of the second event of a retest, on the new registration. */
    public static final String RETEST_CREATED = "test_registration.retest_created";
    static final long RETEST_CREATED_VERSION = 0;

    public LmlAdapter(Json json) {
        super(json);
    }

    @Override
    protected AdapterResult adaptObject(RawInput in, ObjectNode body) {
        return events(in, body);
    }

    private AdapterResult events(RawInput in, ObjectNode body) {
        JsonNode eventNode = body.get("event");
        if (eventNode == null || !eventNode.isTextual()) {
            throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "event must be a string, was "
                    + (eventNode == null ? "absent" : eventNode.getNodeType()));
        }
        String event = JsonFields.eventName(eventNode.asText(), "event");
        ObjectNode data = JsonFields.object(body, "data", "data");
        if (data == null) {
            throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "data is missing");
        }
        int dot = event.indexOf('.');
        String prefix = dot < 0 ? event : event.substring(0, dot);
        Integer rank = RANKS.get(event);
        String discriminator = rank == null ? JsonFields.bodyHash(in) : "";
        long version = rank == null ? 0 : rank;

        if (prefix.equals(ORDER)) {
            String orderId = JsonFields.requiredId(data.get("order_id"), "data.order_id");
            ObjectNode out = json.mapper().createObjectNode();
            out.put("order_id", orderId);
            out.put("url", JsonFields.text(data.get("url"), "data.url"));
            out.put("deleted", false);
            return AdapterResult.accepted(EventFactory.event(in, ORDER, orderId, event, version, discriminator, null, out, body));
        }
        if (prefix.equals(TEST_REGISTRATION) || prefix.equals("lab_results")) {
            String id = JsonFields.requiredId(data.get("testregistration_id"), "data.testregistration_id");
            ObjectNode out = registrationData(id, data);
            if (event.equals("test_registration.retest")) {
                return retest(in, body, data, id, out);
            }
            return AdapterResult.accepted(EventFactory.event(in, TEST_REGISTRATION, id, event, version, discriminator, null, out, body));
        }
        return passThrough(in, body, event, prefix, data);
    }

    private ObjectNode registrationData(String id, ObjectNode data) {
        ObjectNode out = json.mapper().createObjectNode();
        out.put("testregistration_id", id);
        out.put("url", JsonFields.text(data.get("url"), "data.url"));
        if (data.has("sample_received_at")) {
            out.put("sample_received_at", JsonFields.text(data.get("sample_received_at"), "data.sample_received_at"));
        }
        out.put("deleted", false);
        return out;
    }

    private AdapterResult retest(RawInput in, ObjectNode body, ObjectNode data, String originalId, ObjectNode original) {
        String newId = JsonFields.requiredId(data.get("retest_testregistration_id"), "data.retest_testregistration_id");
        original.put("retest_testregistration_id", newId);
        original.putArray("references").addObject()
                .put("rel", "retest")
                .put("entity_key", CanonicalEvent.entityKey("lml", TEST_REGISTRATION, newId));
        CanonicalEvent first = EventFactory.event(in, TEST_REGISTRATION, originalId, "test_registration.retest",
                RANKS.get("test_registration.retest"), newId, null, original, body);

        ObjectNode created = json.mapper().createObjectNode();
        created.put("testregistration_id", newId);
        created.putNull("url");
        created.put("retest_of_testregistration_id", originalId);
        created.putArray("references").addObject()
                .put("rel", "retest_of")
                .put("entity_key", CanonicalEvent.entityKey("lml", TEST_REGISTRATION, originalId));
        created.put("deleted", false);
        CanonicalEvent second = EventFactory.event(in, TEST_REGISTRATION, newId, RETEST_CREATED, RETEST_CREATED_VERSION,
                originalId, null, created, body); // shared, read-only: written as the bytes received
        return AdapterResult.accepted(first, second);
    }

    private AdapterResult passThrough(RawInput in, ObjectNode body, String event, String prefix, ObjectNode data) {
        String entityType = JsonFields.safeName(prefix, false);
        if (entityType.isEmpty()) {
            entityType = "event";
        }
        String id = JsonFields.firstId(data, List.of(prefix + "_id", "id"));
        String hash = JsonFields.bodyHash(in);
        ObjectNode out = json.mapper().createObjectNode();
        out.put("event_type", event);
        out.put("id_from", id == null ? "body_hash" : "data");
        out.put("url", data.path("url").isTextual() ? data.get("url").asText() : null);
        return AdapterResult.accepted(EventFactory.event(in, entityType, id == null ? "sha256-" + hash : id, event, 0, hash,
                null, out, body));
    }
}
