package io.labhooks.schemas.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Predicate;

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

    private static final byte[] HWM_FALSE = "\"labhookshwmadvanced\":false".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Same length as {@link #HWM_FALSE}: JSON allows the space, so the bytes can be patched in place. */
    private static final byte[] HWM_TRUE = "\"labhookshwmadvanced\":true ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The event's JSON, as written by {@link #write}, with {@code labhookshwmadvanced} set to true, without parsing
     * it: the envelope attribute comes before {@code data}, so its first occurrence is the envelope's. Falls back
     * to a full read and write if the bytes are not in that form.
     */
    public byte[] withHwmAdvanced(byte[] eventJson) {
        int end = Math.min(eventJson.length - HWM_FALSE.length, 4096);
        outer:
        for (int i = 0; i <= end; i++) {
            for (int j = 0; j < HWM_FALSE.length; j++) {
                if (eventJson[i + j] != HWM_FALSE[j]) {
                    continue outer;
                }
            }
            int dataAt = indexOf(eventJson, DATA_KEY, 0, i);
            if (dataAt >= 0) {
                break; // the match is inside data: not the envelope's attribute
            }
            byte[] out = eventJson.clone();
            System.arraycopy(HWM_TRUE, 0, out, i, HWM_TRUE.length);
            return out;
        }
        return write(read(eventJson).withHwmAdvanced(true));
    }

    private static final byte[] DATA_KEY = "\"data\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static int indexOf(byte[] hay, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i <= Math.min(to, hay.length) - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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

    /**
     * An event read by {@link #readLocated}: its fields, and where its {@code data} object lies in the bytes read, so
     * that a reader that stores JSON text can copy it instead of writing the tree again.
     *
     * @param dataStart offset of {@code data}'s opening brace, or -1 when {@code data} is absent or not an object
     * @param dataEnd   offset just after its closing brace
     */
    public record Located(CanonicalEvent event, int dataStart, int dataEnd) {
        private static final byte[] EMPTY_OBJECT = {'{', '}'};

        /** The {@code data} object's JSON text as it is in {@code bytes} ({@code {}} without one). */
        public String dataJson(byte[] bytes) {
            return new String(dataBytes(bytes), StandardCharsets.UTF_8);
        }

        /** The {@code data} object's JSON text as it is in {@code bytes}, as a copy of those bytes. */
        public byte[] dataBytes(byte[] bytes) {
            return dataStart < 0 ? EMPTY_OBJECT.clone() : java.util.Arrays.copyOfRange(bytes, dataStart, dataEnd);
        }
    }

    /**
     * Reads an event as {@link #read} does, but in one pass that also notes where {@code data} lies; of the data
     * object, only the fields {@code dataFields} accepts are built, the others only skipped over (checked for
     * well-formedness): a reader that copies the data's text needs no tree of, say, its {@code vendor_payload}.
     * Unlike {@link #read}, anything after the event's closing brace is refused, so that the bytes read are exactly
     * one JSON object.
     *
     * @throws IllegalArgumentException if the bytes are not a canonical event
     */
    public Located readLocated(byte[] bytes, Predicate<String> dataFields) {
        try (JsonParser p = mapper.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            ObjectNode envelope = mapper.createObjectNode();
            int dataStart = -1;
            int dataEnd = -1;
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("data")) {
                    envelope.set(name, mapper.readTree(p));
                } else if (value == JsonToken.START_OBJECT) {
                    dataStart = (int) p.currentTokenLocation().getByteOffset();
                    envelope.set(name, readData(p, dataFields));
                    dataEnd = (int) p.currentLocation().getByteOffset();
                } else {
                    envelope.set(name, mapper.readTree(p)); // not an object: read as empty, as read() does
                    dataStart = -1;
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("not a canonical event: content after the event's closing brace");
            }
            return new Located(fromJson(envelope), dataStart, dataEnd);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a canonical event: " + e.getMessage(), e);
        }
    }

    /** The data object the parser is at, with only the fields {@code keep} accepts; the parser ends at its close. */
    private ObjectNode readData(JsonParser p, Predicate<String> keep) throws IOException {
        ObjectNode data = mapper.createObjectNode();
        for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String field = p.currentName();
            p.nextToken();
            if (keep.test(field)) {
                data.set(field, mapper.readTree(p));
            } else {
                p.skipChildren();
            }
        }
        return data;
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
