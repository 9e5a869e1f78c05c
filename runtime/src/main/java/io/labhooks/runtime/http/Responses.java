package io.labhooks.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
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
        String text;
        try {
            text = MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            // the bodies are records of strings: this is a bug, not an input problem
            throw new IllegalStateException("cannot render " + body.getClass().getSimpleName(), e);
        }
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(text);
    }

    public static void error(HttpServerExchange ex, int status, String message) {
        json(ex, status, new ErrorBody(message));
    }

    public static void header(HttpServerExchange ex, String name, String value) {
        ex.getResponseHeaders().put(new HttpString(name), value);
    }
}
