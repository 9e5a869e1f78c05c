package io.labhooks.ingress.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/** Short JSON answers. They never carry a stack trace, a secret, or which auth check failed. */
public final class Responses {
    public static final String JSON = "application/json";

    private Responses() {
    }

    public static void json(HttpServerExchange ex, int status, String body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(body);
    }

    public static void error(HttpServerExchange ex, int status, String message) {
        json(ex, status, "{\"status\":\"error\",\"error\":\"" + message + "\"}");
    }

    public static void header(HttpServerExchange ex, String name, String value) {
        ex.getResponseHeaders().put(new HttpString(name), value);
    }
}
