package io.labhooks.ingress.auth;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Builds the {@link Authenticator} for a source's auth mode. */
public final class Authenticators {
    /** Only ever cloned, never updated: a constant. */
    private static final MessageDigest SHA256 = newSha256();

    private Authenticators() {
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    public static Authenticator of(AuthConfig auth) {
        return switch (auth.type()) {
            case HMAC_SHA256 -> new HmacSha256(auth.header(), auth.encoding(), auth.prefix(), auth.secrets());
            case BEARER -> new Bearer(auth.tokens());
            case BASIC -> new Basic(auth.users());
            case PATH_TOKEN -> new PathToken(auth.tokens());
            case NONE -> new None();
        };
    }

    /** SHA-256 of the bytes: comparing digests makes the time independent of the secret's length. */
    static byte[] sha256(byte[] bytes) {
        try {
            // a clone of a digest that is never updated: the provider lookup of getInstance is the costlier part
            return ((MessageDigest) SHA256.clone()).digest(bytes);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the SHA-256 digest cannot be cloned", e);
        }
    }

    /** True if {@code presented} equals any of {@code digests}; always checks all of them. */
    static boolean anyMatches(byte[] presented, List<byte[]> digests) {
        if (presented == null) {
            return false;
        }
        byte[] p = sha256(presented);
        boolean ok = false;
        for (byte[] d : digests) {
            ok |= MessageDigest.isEqual(p, d);
        }
        return ok;
    }

    static List<byte[]> digests(List<Secret> secrets) {
        return secrets.stream().map(s -> sha256(s.bytes())).toList();
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code Authorization: <scheme> <value>} with a case-insensitive scheme, or null. */
    static String credentials(Authenticator.Request request, String scheme) {
        String h = request.header("Authorization");
        if (h == null || h.length() <= scheme.length() + 1) {
            return null;
        }
        if (!h.regionMatches(true, 0, scheme, 0, scheme.length()) || h.charAt(scheme.length()) != ' ') {
            return null;
        }
        return h.substring(scheme.length() + 1).trim();
    }

    /** HMAC-SHA256 of the exact received bytes, hex or base64, in a configurable header. */
    static final class HmacSha256 implements Authenticator {
        private final String header;
        private final AuthConfig.Encoding encoding;
        private final String prefix;
        private final List<Secret> secrets;

        HmacSha256(String header, AuthConfig.Encoding encoding, String prefix, List<Secret> secrets) {
            this.header = header;
            this.encoding = encoding;
            this.prefix = prefix;
            this.secrets = List.copyOf(secrets);
        }

        @Override
        public boolean needsBody() {
            return true;
        }

        @Override
        public boolean verify(Request request, byte[] body) {
            byte[] presented = decode(request.header(header));
            if (presented == null || presented.length != 32) {
                return false;
            }
            boolean ok = false;
            for (Secret s : secrets) {
                ok |= MessageDigest.isEqual(presented, Hmac.sha256(s, body));
            }
            return ok;
        }

        private byte[] decode(String value) {
            if (value == null) {
                return null;
            }
            String v = value.trim();
            if (!prefix.isEmpty()) {
                if (!v.regionMatches(true, 0, prefix, 0, prefix.length())) {
                    return null;
                }
                v = v.substring(prefix.length());
            }
            try {
                return encoding == AuthConfig.Encoding.HEX
                        ? HexFormat.of().parseHex(v.toLowerCase(Locale.ROOT))
                        : Base64.getDecoder().decode(v);
            } catch (IllegalArgumentException e) {
                return null; // malformed signature: same answer as a wrong one
            }
        }

        @Override
        public String toString() {
            return "hmac-sha256(header=" + header + ", encoding=" + encoding + ", secrets=" + secrets.size() + ")";
        }
    }

    static final class Bearer implements Authenticator {
        private final List<byte[]> digests;

        Bearer(List<Secret> tokens) {
            this.digests = digests(tokens);
        }

        @Override
        public boolean needsBody() {
            return false;
        }

        @Override
        public boolean verify(Request request, byte[] body) {
            return anyMatches(utf8(credentials(request, "Bearer")), digests);
        }

        @Override
        public String toString() {
            return "bearer(tokens=" + digests.size() + ")";
        }
    }

    static final class Basic implements Authenticator {
        private final List<byte[]> digests;

        Basic(List<AuthConfig.BasicUser> users) {
            this.digests = users.stream()
                    .map(u -> sha256((u.username() + ":" + u.password().reveal()).getBytes(StandardCharsets.UTF_8)))
                    .toList();
        }

        @Override
        public boolean needsBody() {
            return false;
        }

        @Override
        public boolean verify(Request request, byte[] body) {
            String c = credentials(request, "Basic");
            if (c == null) {
                return false;
            }
            try {
                return anyMatches(Base64.getDecoder().decode(c), digests);
            } catch (IllegalArgumentException e) {
                return false; // not base64: same answer as wrong credentials
            }
        }

        @Override
        public String toString() {
            return "basic(users=" + digests.size() + ")";
        }
    }

    static final class PathToken implements Authenticator {
        private final List<byte[]> digests;

        PathToken(List<Secret> tokens) {
            this.digests = digests(tokens);
        }

        @Override
        public boolean needsBody() {
            return false;
        }

        @Override
        public boolean verify(Request request, byte[] body) {
            return anyMatches(utf8(request.pathToken()), digests);
        }

        @Override
        public String toString() {
            return "path-token(tokens=" + digests.size() + ")";
        }
    }

    static final class None implements Authenticator {
        @Override
        public boolean needsBody() {
            return false;
        }

        @Override
        public boolean verify(Request request, byte[] body) {
            return true;
        }

        @Override
        public String toString() {
            return "none";
        }
    }
}
