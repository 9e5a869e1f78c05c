package io.labhooks.normalizer.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.Pointers;
import io.labhooks.schemas.events.CanonicalEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code generic} vendor: a sender nobody has written code for, described by JSON Pointers in its source's
 * config. This is how a new vendor is added without code:
 * <pre>
 * - id: acme
 *   vendor: generic
 *   auth: {type: bearer, tokens: ["${ACME_TOKEN}"]}
 *   pointers: {event-type: /event, entity-id: /sample/id, version: /sample/updated_at, entity-type: /kind}
 * </pre>
 * <ul>
 *   <li>type {@code lab.generic.{value at event-type}} (characters outside {@code [A-Za-z0-9_.-]} become
 *       {@code _}); missing: WRONG_SHAPE.</li>
 *   <li>entity type: the value at {@code entity-type} (characters outside {@code [A-Za-z0-9_-]} become {@code _})
 *       if that pointer is configured and finds a value, else
 *       {@code entity}.</li>
 *   <li>entity id {@code {sourceId}:{value at entity-id}}, so that two generic sources never share an entity;
 *       the key is {@code generic:{entityType}:{sourceId}:{id}} and {@code data.id} holds the vendor's id.
 *       Missing: MISSING_ID.</li>
 *   <li>version: the value at {@code version}: a number (or string of digits) is itself, an ISO-8601 timestamp is
 *       epoch microseconds (and the event's {@code time}); no pointer or no value: the receipt time in epoch
 *       microseconds; anything else: BAD_VERSION.</li>
 *   <li>discriminator: the body hash.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; never throws for bad input.
 */
public final class GenericAdapter extends ObjectAdapter {
    /** The entity type when no {@code pointers.entity-type} is configured or it finds nothing. */
    public static final String DEFAULT_ENTITY_TYPE = "entity";

    public GenericAdapter(Json json) {
        super(json);
    }

    @Override
    protected AdapterResult adaptObject(RawInput in, ObjectNode body) {
        return AdapterResult.accepted(event(in, body));
    }

    private CanonicalEvent event(RawInput in, ObjectNode body) {
        Pointers p = in.source().pointers();
        if (!isSet(p.eventType()) || !isSet(p.entityId())) {
            throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE,
                    "source " + in.source().id() + " has no pointers.event-type or pointers.entity-id configured");
        }
        String rawType = JsonFields.text(JsonFields.at(body, p.eventType()), "the event type at " + p.eventType());
        String event = JsonFields.eventName(rawType, "the event type at " + p.eventType());

        String entityType = DEFAULT_ENTITY_TYPE;
        if (isSet(p.entityType())) {
            String t = JsonFields.text(JsonFields.at(body, p.entityType()), "the entity type at " + p.entityType());
            if (t != null && !t.isBlank()) {
                if (t.length() > JsonFields.MAX_NAME_LENGTH) {
                    throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "the entity type at " + p.entityType() + " is too long");
                }
                entityType = JsonFields.safeName(t.strip(), false);
            }
        }
        String id = JsonFields.requiredId(JsonFields.at(body, p.entityId()), "the entity id at " + p.entityId());

        Versions.Parsed version = null;
        if (isSet(p.version())) {
            JsonNode v = JsonFields.at(body, p.version());
            if (v != null) {
                if (v.isContainerNode()) {
                    throw JsonFields.invalid(Rejection.Reason.WRONG_SHAPE, "the version at " + p.version()
                            + " must be a number or a timestamp, was " + v.getNodeType());
                }
                Optional<Versions.Parsed> parsed = Versions.numberOrTimestamp(v, in.source().timezone());
                if (parsed.isEmpty()) {
                    throw JsonFields.invalid(Rejection.Reason.BAD_VERSION, "the version at " + p.version()
                            + " is neither a whole number nor an ISO-8601 timestamp: '" + JsonFields.abbreviate(v.asText()) + "'");
                }
                version = parsed.get();
            }
        }
        Instant time = version == null ? null : version.time();

        ObjectNode out = json.mapper().createObjectNode();
        out.put("event_type", rawType);
        out.put("id", id);
        out.put("version_from", version == null ? "receipt_time" : p.version());
        String entityId = in.source().id() + ":" + id;
        return version == null
                ? EventFactory.eventVersionedByReceipt(in, entityType, entityId, event, JsonFields.bodyHash(in), time, out, body)
                : EventFactory.event(in, entityType, entityId, event, version.version(), JsonFields.bodyHash(in), time, out, body);
    }

    private static boolean isSet(String pointer) {
        return pointer != null && !pointer.isEmpty();
    }

    /** The entity key a generic source gives an entity id: {@code generic:{entityType}:{sourceId}:{id}}. */
    public static String entityKey(String sourceId, String entityType, String id) {
        return CanonicalEvent.entityKey("generic", entityType, sourceId + ":" + id);
    }
}
