package io.labhooks.ingress.auth;

/**
 * Decides whether a delivery comes from its source. Implementations compare in constant time and
 * never say which check failed: the caller answers a bare 401.
 */
public interface Authenticator {

    /** What a check may look at: request headers, the path token, and the exact body bytes. */
    interface Request {
        /** The first value of a header, or null. */
        String header(String name);

        /** The path segment after the source id, or null. */
        String pathToken();
    }

    /** True if this mode can decide before the body arrives (everything but HMAC). */
    boolean needsBody();

    boolean verify(Request request, byte[] body);
}
