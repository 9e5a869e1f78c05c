package io.labhooks.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A credential from the config. Its value never appears in {@link #toString()}, so a secret that
 * ends up in a log line, an exception or a debugger view reads {@code ****}.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
        this.value = value;
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The clear value, for the code that verifies or sends it. Never log it. */
    public String reveal() {
        return value;
    }

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time comparison against presented bytes. */
    public boolean matches(byte[] presented) {
        return presented != null && MessageDigest.isEqual(bytes(), presented);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(bytes(), s.bytes());
    }

    @Override
    public int hashCode() {
        return 0; // no information about the value leaks through hashing
    }

    @Override
    public String toString() {
        return "****";
    }
}
