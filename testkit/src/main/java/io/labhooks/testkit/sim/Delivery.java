package io.labhooks.testkit.sim;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One webhook delivery as a vendor makes it: an HTTP method, a suffix for the target URL (for a path token), the
 * request headers, the exact body bytes, and the key of the vendor event it carries.
 *
 * <p>A re-delivery of the same event (a vendor retry, or a {@code --duplicates} copy) has the same event key and
 * the same body. The event key is the simulator's own name for the event, e.g.
 * {@code flabs:bill:lab_1:bill_7 lab.flabs.report.completed v1709280420002}; it is not sent.
 *
 * <p>Immutable: the body array is copied in and out; {@link #equals} compares the body's bytes.
 *
 * @param method    the HTTP method, {@code POST} for every vendor
 * @param urlSuffix appended to the target URL, empty unless credentials add a path token
 * @param headers   request headers (name to value), in sending order
 * @param body      the exact body bytes
 * @param eventKey  the key of the vendor event this delivery carries
 */
public record Delivery(String method, String urlSuffix, Map<String, String> headers, byte[] body, String eventKey) {
    /** Copies and checks the parts. */
    public Delivery {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(urlSuffix, "urlSuffix");
        Objects.requireNonNull(eventKey, "eventKey");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** A JSON {@code POST} with no URL suffix. */
    public static Delivery postJson(byte[] body, String eventKey, Map<String, String> extraHeaders) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.putAll(extraHeaders);
        return new Delivery("POST", "", h, body, eventKey);
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The value of a header (names compared case-insensitively), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** This delivery with one more header (replacing one of the same name). */
    public Delivery withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) {
                h.put(k, v);
            }
        });
        h.put(name, value);
        return new Delivery(method, urlSuffix, h, body, eventKey);
    }

    /** This delivery with another URL suffix. */
    public Delivery withUrlSuffix(String suffix) {
        return new Delivery(method, suffix, headers, body, eventKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Delivery d && method.equals(d.method) && urlSuffix.equals(d.urlSuffix)
                && headers.equals(d.headers) && Arrays.equals(body, d.body) && eventKey.equals(d.eventKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, urlSuffix, headers, Arrays.hashCode(body), eventKey);
    }

    /** No header values (they may hold credentials) and no body, only its size. */
    @Override
    public String toString() {
        return "Delivery[" + method + " " + eventKey + ", " + body.length + " bytes, headers " + headers.keySet() + "]";
    }
}
