package io.labhooks.schemas.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads and writes canonical events as CloudEvents 1.0 structured JSON
 * ({@code application/cloudevents+json}). {@code labhooksversion} is written as a decimal
 * string: CloudEvents integers are 32-bit, and versions such as epoch microseconds are not.
 */
public final class EventCodec {
    public static final String CONTENT_TYPE = "application/cloudevents+json";

    private final ObjectMapper mapper;

    public EventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public EventCodec() {
        this(new ObjectMapper());
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public ObjectNode toJson(CanonicalEvent e) {
        ObjectNode n = mapper.createObjectNode();
        n.put("specversion", CanonicalEvent.SPEC_VERSION);
        n.put("id", e.id());
        n.put("source", e.source());
        n.put("type", e.type());
        n.put("subject", e.subject());
        n.put("time", e.time().toString());
        n.put("datacontenttype", "application/json");
        n.put("labhooksvendor", e.vendor());
        n.put("labhooksentitytype", e.entityType());
        n.put("labhooksentityid", e.entityId());
        n.put("labhooksversion", Long.toString(e.version()));
        if (e.deliveryId() != null) {
            n.put("labhooksdeliveryid", e.deliveryId());
        }
        n.put("labhooksreceivedat", e.receivedAt().toString());
        n.put("labhookshwmadvanced", e.hwmAdvanced());
        n.set("data", e.data());
        return n;
    }

    public byte[] write(CanonicalEvent e) {
        try {
            return mapper.writeValueAsBytes(toJson(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialize " + e, ex);
        }
    }

    public CanonicalEvent read(byte[] bytes) {
        try {
            JsonNode n = mapper.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return fromJson((ObjectNode) n);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a canonical event: " + e.getMessage(), e);
        }
    }

    public CanonicalEvent fromJson(ObjectNode n) {
        try {
            JsonNode data = n.get("data");
            return new CanonicalEvent(text(n, "id"), text(n, "source"), text(n, "type"), text(n, "subject"),
                    Instant.parse(text(n, "time")), text(n, "labhooksvendor"), text(n, "labhooksentitytype"),
                    text(n, "labhooksentityid"), Long.parseLong(text(n, "labhooksversion")),
                    n.hasNonNull("labhooksdeliveryid") ? n.get("labhooksdeliveryid").asText() : null,
                    Instant.parse(text(n, "labhooksreceivedat")), n.path("labhookshwmadvanced").asBoolean(false),
                    data instanceof ObjectNode o ? o : mapper.createObjectNode());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("not a canonical event: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("canonical event without " + field);
        }
        return v.asText();
    }
}
