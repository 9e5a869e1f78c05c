package io.labhooks.ingress.http;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

/**
 * The request framing checks that Undertow's parser leaves to the application. Undertow already refuses a
 * {@code Transfer-Encoding} with a {@code Content-Length} and bad chunk sizes, and unfolds obs-folds. Left here:
 * a {@code Content-Length} that is not one plain decimal that fits a long (it would otherwise reach
 * {@code Long.parseLong} in a handler), and a {@code Transfer-Encoding} other than {@code chunked} (nothing here
 * decodes transfer codings, and without {@code chunked} last the body's length cannot be known).
 * An ambiguous request is answered 400 and its connection closed (RFC 9112 section 6.3), so that nothing after it
 * can be read as a second, smuggled request.
 */
public final class Framing {
    /** 18 digits always fit a long (19 may not); bodies are far smaller anyway. */
    private static final int MAX_LENGTH_DIGITS = 18;

    private Framing() {
    }

    /** Why the request's framing is refused, or null if it is fine. */
    public static String problem(HeaderMap headers) {
        HeaderValues te = headers.get(Headers.TRANSFER_ENCODING);
        if (te != null) {
            for (String value : te) {
                for (String coding : value.split(",", -1)) {
                    if (!coding.trim().equalsIgnoreCase("chunked")) {
                        return "unsupported Transfer-Encoding: use chunked or Content-Length";
                    }
                }
            }
        }
        HeaderValues cl = headers.get(Headers.CONTENT_LENGTH);
        if (cl == null) {
            return null;
        }
        if (cl.size() != 1) {
            return "more than one Content-Length";
        }
        String v = cl.getFirst();
        if (v.isEmpty() || v.length() > MAX_LENGTH_DIGITS) {
            return "bad Content-Length";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return "bad Content-Length";
            }
        }
        return null;
    }
}
