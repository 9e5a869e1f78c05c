package io.labhooks.testkit.payloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Realistic London Medical Laboratory webhook bodies, shaped as in LML's webhook document:
 * {@code {event, data:{...}}} with thin data (ids and API urls). Deterministic.
 */
public final class LmlPayloads {
    /** Every event in LML's document. */
    public static final List<String> EVENTS = List.of(
            "test_registration.complete",
            "test_registration.sample_received",
            "test_registration.retest",
            "order.shipped",
            "order.delivered",
            "lab_results.complete");
    public static final String API = "https://api.londonmedicallaboratory.com/api/";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LmlPayloads() {
    }

    /** A deterministic UUID-shaped id (as LML's ids are) from a seed. */
    public static String id(long seed) {
        Random r = new Random(seed);
        return new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
    }

    public static ObjectNode testRegistrationComplete(String testRegistrationId) {
        ObjectNode body = envelope("test_registration.complete");
        ((ObjectNode) body.get("data")).put("testregistration_id", testRegistrationId)
                .put("url", API + "test_registration/" + testRegistrationId + "/");
        return body;
    }

    /** {@code sample_received_at} is written like LML's example: seconds and a {@code +01:00} style offset. */
    public static ObjectNode sampleReceived(String testRegistrationId, OffsetDateTime receivedAt) {
        ObjectNode body = envelope("test_registration.sample_received");
        ((ObjectNode) body.get("data")).put("testregistration_id", testRegistrationId)
                .put("url", API + "test_registration/" + testRegistrationId + "/")
                .put("sample_received_at", receivedAt.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        return body;
    }

    /** A retest: the original registration and the newly generated one. */
    public static ObjectNode retest(String testRegistrationId, String retestTestRegistrationId) {
        ObjectNode body = envelope("test_registration.retest");
        ((ObjectNode) body.get("data")).put("testregistration_id", testRegistrationId)
                .put("retest_testregistration_id", retestTestRegistrationId);
        return body;
    }

    /**
     * Lab results of a registration. As in LML's example, the url names the results' own id, which differs from
     * {@code testregistration_id}.
     */
    public static ObjectNode labResultsComplete(String testRegistrationId, String resultsId) {
        ObjectNode body = envelope("lab_results.complete");
        ((ObjectNode) body.get("data")).put("testregistration_id", testRegistrationId)
                .put("url", API + "test_registration/" + resultsId + "/lab_results/");
        return body;
    }

    public static ObjectNode orderShipped(String orderId) {
        return order("order.shipped", orderId);
    }

    public static ObjectNode orderDelivered(String orderId) {
        return order("order.delivered", orderId);
    }

    /**
     * Any event by name, for an entity id and a seed (which makes the retest's new id, the results id and the
     * sample time). An unknown name gets {@code data: {id, url}}, for testing pass-through.
     */
    public static ObjectNode event(String event, String entityId, long seed) {
        return switch (event) {
            case "test_registration.complete" -> testRegistrationComplete(entityId);
            case "test_registration.sample_received" -> sampleReceived(entityId,
                    OffsetDateTime.parse("2023-06-01T09:00:00+01:00").plusMinutes(new Random(seed).nextInt(60 * 24 * 30)));
            case "test_registration.retest" -> retest(entityId, id(seed ^ 0x5DEECE66DL));
            case "lab_results.complete" -> labResultsComplete(entityId, id(seed + 1));
            case "order.shipped" -> orderShipped(entityId);
            case "order.delivered" -> orderDelivered(entityId);
            default -> {
                ObjectNode body = envelope(event);
                ((ObjectNode) body.get("data")).put("id", entityId).put("url", API + "unknown/" + entityId);
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

    private static ObjectNode order(String event, String orderId) {
        ObjectNode body = envelope(event);
        ((ObjectNode) body.get("data")).put("order_id", orderId).put("url", API + "order/" + orderId);
        return body;
    }

    private static ObjectNode envelope(String event) {
        ObjectNode body = NODES.objectNode();
        body.put("event", event);
        body.putObject("data");
        return body;
    }
}
