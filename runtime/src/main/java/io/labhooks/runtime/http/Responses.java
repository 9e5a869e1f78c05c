package io.labhooks.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * Short JSON answers, rendered by Jackson from the records below. They never carry a stack trace, a secret, or which
 * auth check failed.
 */
public final class Responses {
    public static final String JSON = "application/json";
    /** Configured once and never changed: an {@link ObjectMapper} is thread-safe for writing. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** {@code {"status":"error","error":"..."}}: every non-200 answer. */
    public record ErrorBody(String status, String error) {
        public ErrorBody(String error) {
            this("error", error);
        }
    }

    /** {@code {"status":"..."}}: the health answers. */
    public record StatusBody(String status) {
    }

    /** {@code {"status":"accepted","delivery_id":"..."}}: the 200 of a delivery. */
    public record Accepted(String status, @com.fasterxml.jackson.annotation.JsonProperty("delivery_id") String deliveryId) {
        public Accepted(String deliveryId) {
            this("accepted", deliveryId);
        }
    }

    private Responses() {
    }

    public static void json(HttpServerExchange ex, int status, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // the bodies are records of strings: this is a bug, not an input problem
            throw new IllegalStateException("cannot render " + body.getClass().getSimpleName(), e);
        }
        send(ex, status, bytes);
    }

    /**
     * The 200 of a delivery, {@link Accepted}. The hot path of the ingress: a delivery id of only letters, digits and
     * dashes (a UUID) needs no escaping and is written into the fixed text directly (the same bytes Jackson writes;
     * a test pins both); any other id goes through Jackson.
     */
    public static void accepted(HttpServerExchange ex, String deliveryId) {
        send(ex, 200, acceptedBytes(deliveryId));
    }

    static byte[] acceptedBytes(String deliveryId) {
        for (int i = 0; i < deliveryId.length(); i++) {
            char c = deliveryId.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-')) {
                try {
                    return MAPPER.writeValueAsBytes(new Accepted(deliveryId));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot render Accepted", e);
                }
            }
        }
        return ("{\"status\":\"accepted\",\"delivery_id\":\"" + deliveryId + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    private static void send(HttpServerExchange ex, int status, byte[] body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(ByteBuffer.wrap(body));
    }

    public static void error(HttpServerExchange ex, int status, String message) {
        json(ex, status, new ErrorBody(message));
    }

    public static void header(HttpServerExchange ex, String name, String value) {
        header(ex, new HttpString(name), value);
    }

    /** For a header set on every answer: the name made once. */
    public static void header(HttpServerExchange ex, HttpString name, String value) {
        ex.getResponseHeaders().put(name, value);
    }
}
