package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Confident LIMS adapter: a {@code sample.publish} delivery becomes one {@code lab.confident.sample.publish}
 * event on the entity {@code confident:sample:{id}}, versioned by {@code last_modified} in epoch microseconds.
 * This class reads the envelope; {@link ConfidentSampleFields} maps the sample's top-level fields and
 * {@link ConfidentLabData} flattens {@code lab_data}.
 *
 * <h2>Body</h2>
 * The body is Confident's Sample Payload itself. An envelope is also accepted: when the top level has a string
 * {@code event} (or {@code event_type}), the sample is the object under {@code data}, {@code sample} or
 * {@code payload}, or the top level itself when none of those is present. {@code sample.publish} and
 * {@code sample.published} (any case) are the publish event; any other event name passes through as
 * {@code lab.confident.{event}} (characters outside {@code [A-Za-z0-9_.-]} become {@code _}) with
 * {@code data = {event, sample_id, last_modified, deleted}}, on {@code confident:sample:{id}} when the payload
 * has an id, else on {@code confident:event:{sha256 of the body}}. A pass-through has version 0 (so an event
 * whose meaning is unknown never replaces a published revision in the entity table) and the body's SHA-256 as
 * discriminator; it is never rejected for its version.
 *
 * <h2>Timestamps</h2>
 * {@link Versions#timestampOrEpoch}: ISO-8601 with the usual variations, or an epoch in seconds, milliseconds or
 * microseconds. Without an offset the time is read in the source's {@code timezone}. The version is the instant
 * in epoch microseconds and the event's {@code time} is the same instant.
 *
 * <h2>Results</h2>
 * See {@link ConfidentLabData}: {@code data.results[]} items {@code category, analyte, value, value_text, unit
 * (input_units), report_unit, lod, loq, limit, max, limit_low, limit_high, stdev, rsd, rpd, regulator_notes,
 * verdict, status (the category's)}, and {@code data.categories[]}.
 *
 * <h2>Rejections and warnings</h2>
 * {@code NOT_JSON} and {@code TOO_LARGE} come from {@link Json}; {@code MISSING_ID}: no, null or blank
 * {@code id}; {@code BAD_VERSION}: missing or unreadable {@code last_modified}; {@code WRONG_SHAPE}: an {@code id}
 * that is not a string or number or is over {@value #MAX_ID_LENGTH} characters, or an envelope whose event name is
 * not a string or whose payload is not an object. Any other part of the wrong type never refuses the sample: it is
 * skipped and named in {@code data.warnings[]}. Scalar fields of the wrong type become null. A bug is not caught
 * here: it reaches the parse step, which logs it with its stack trace. Stateless and thread-safe.
 */
public final class ConfidentAdapter extends ObjectAdapter {
    /** The entity type of a sample. */
    public static final String ENTITY_TYPE = "sample";
    /** The publish event, as it appears in the canonical type {@code lab.confident.sample.publish}. */
    public static final String PUBLISH_EVENT = "sample.publish";
    /** The longest accepted sample id. */
    public static final int MAX_ID_LENGTH = 256;
    /** The default unit of each documented category. */
    public static final Map<String, String> DEFAULT_UNITS = ConfidentLabData.DEFAULT_UNITS;
    private static final int MAX_EVENT_NAME = 100;

    /** @param json the limited parser shared by the adapters */
    public ConfidentAdapter(Json json) {
        super(json);
    }

    @Override
    protected AdapterResult adaptObject(RawInput in, ObjectNode body) {
        ObjectNode sample = body;
        String event = PUBLISH_EVENT;
        JsonNode eventNode = firstPresent(body, "event", "event_type");
        if (eventNode != null) {
            if (!eventNode.isTextual()) {
                throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "the envelope's event name is not a string");
            }
            event = eventNode.asText().trim();
            JsonNode payload = firstPresent(body, "data", "sample", "payload");
            if (payload != null) {
                if (!payload.isObject()) {
                    throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "the envelope's payload is not an object");
                }
                sample = (ObjectNode) payload;
            }
        }
        if (event.equalsIgnoreCase(PUBLISH_EVENT) || event.equalsIgnoreCase("sample.published")) {
            return publish(in, body, sample);
        }
        return passThrough(in, body, sample, event);
    }

    private AdapterResult publish(RawInput in, ObjectNode body, ObjectNode sample) {
        String id = sampleId(sample);
        if (id == null) {
            return AdapterResult.rejected(Rejection.Reason.MISSING_ID, "the sample has no id");
        }
        JsonNode lastModifiedNode = sample.get("last_modified");
        if (lastModifiedNode == null || lastModifiedNode.isNull()) {
            return AdapterResult.rejected(Rejection.Reason.BAD_VERSION, "the sample has no last_modified");
        }
        ZoneId zone = in.source().timezone();
        Instant lastModified = Versions.timestampOrEpoch(lastModifiedNode, zone).orElse(null);
        if (lastModified == null) {
            return AdapterResult.rejected(Rejection.Reason.BAD_VERSION,
                    "last_modified is not a timestamp: " + ConfidentValues.abbreviate(lastModifiedNode.toString()));
        }
        List<String> warnings = new ArrayList<>();
        ObjectNode data = json.mapper().createObjectNode();
        ConfidentSampleFields.put(sample, id, lastModified, zone, data, warnings);
        ConfidentLabData.put(sample.get("lab_data"), zone, data, warnings);
        data.put("deleted", false);
        warnings.forEach(data.putArray("warnings")::add);
        CanonicalEvent e = EventFactory.event(in, ENTITY_TYPE, id, PUBLISH_EVENT, Versions.micros(lastModified), "",
                lastModified, data, body);
        return AdapterResult.accepted(e);
    }

    private AdapterResult passThrough(RawInput in, ObjectNode body, ObjectNode sample, String event) {
        JsonNode idNode = sample.get("id");
        String id = idNode != null && (idNode.isTextual() || idNode.isNumber())
                && idNode.asText().trim().length() <= MAX_ID_LENGTH && !idNode.asText().isBlank()
                ? idNode.asText().trim() : null;
        String hash = JsonFields.bodyHash(in);
        Instant lastModified = Versions.timestampOrEpoch(sample.get("last_modified"), in.source().timezone()).orElse(null);
        ObjectNode data = json.mapper().createObjectNode();
        data.put("event", event);
        data.put("sample_id", id);
        data.put("last_modified", lastModified == null ? null : lastModified.toString());
        data.put("deleted", false);
        CanonicalEvent e = EventFactory.event(in, id == null ? "event" : ENTITY_TYPE, id == null ? hash : id,
                typeSafeEventName(event), 0L, hash, lastModified, data, body);
        return AdapterResult.accepted(e);
    }

    /** The trimmed id, or null when it is absent, null or blank. */
    private static String sampleId(ObjectNode sample) {
        JsonNode n = sample.get("id");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE,
                    "id is a " + n.getNodeType().name().toLowerCase(Locale.ROOT) + ", not a string");
        }
        String id = n.asText().trim();
        if (id.length() > MAX_ID_LENGTH) {
            throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "id is over " + MAX_ID_LENGTH + " characters");
        }
        return id.isEmpty() ? null : id;
    }

    private static JsonNode firstPresent(ObjectNode o, String... fields) {
        for (String f : fields) {
            JsonNode n = o.get(f);
            if (n != null && !n.isNull()) {
                return n;
            }
        }
        return null;
    }

    /** The event name made safe for the type ({@link JsonFields#safeName}), at most 100 characters. */
    static String typeSafeEventName(String event) {
        String safe = JsonFields.safeName(event.length() > MAX_EVENT_NAME ? event.substring(0, MAX_EVENT_NAME) : event, true);
        return safe.isEmpty() ? "unknown" : safe;
    }
}
