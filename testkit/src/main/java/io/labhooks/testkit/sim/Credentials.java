package io.labhooks.testkit.sim;

import io.labhooks.config.Vendor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a vendor authenticates its deliveries, applied to each {@link Delivery} just before it is sent:
 * <ul>
 *   <li>{@link #none()}: nothing;</li>
 *   <li>{@link #bearer}: {@code Authorization: Bearer T} (Flabs);</li>
 *   <li>{@link #pathToken}: {@code /T} appended to the URL (Confident, which can only be given a URL; LML, whose
 *       document names no authentication at all, so a URL token is the one thing it surely supports);</li>
 *   <li>{@link #coreOneHmac}: {@code X-Coreone-Webhook-Hash}, the hex HMAC-SHA256 of the exact body bytes with the
 *       webhook secret (CoreOne).</li>
 * </ul>
 * {@link #toString} never shows the secret. Immutable and thread-safe.
 */
public final class Credentials {
    /** The header CoreOne signs with. */
    public static final String COREONE_HASH_HEADER = "X-Coreone-Webhook-Hash";

    /** The kinds of credentials. */
    public enum Kind { NONE, BEARER, PATH_TOKEN, HMAC_SHA256_HEX }

    private static final Credentials NONE = new Credentials(Kind.NONE, "");

    private final Kind kind;
    private final String secret;

    private Credentials(Kind kind, String secret) {
        this.kind = kind;
        this.secret = secret;
    }

    /** No credentials. */
    public static Credentials none() {
        return NONE;
    }

    /** {@code Authorization: Bearer token}. */
    public static Credentials bearer(String token) {
        return new Credentials(Kind.BEARER, nonBlank(token, "token"));
    }

    /** {@code /token} appended to the URL (URL-encoded). */
    public static Credentials pathToken(String token) {
        return new Credentials(Kind.PATH_TOKEN, nonBlank(token, "token"));
    }

    /** CoreOne's signature: hex HMAC-SHA256 of the body in {@value #COREONE_HASH_HEADER}. */
    public static Credentials coreOneHmac(String secret) {
        return new Credentials(Kind.HMAC_SHA256_HEX, nonBlank(secret, "secret"));
    }

    /**
     * The vendor's own way to send {@code secretOrToken}: CoreOne signs, Confident and LML append a path token, Flabs
     * sends a bearer token; null or blank means {@link #none()}.
     */
    public static Credentials forVendor(Vendor vendor, String secretOrToken) {
        if (secretOrToken == null || secretOrToken.isBlank()) {
            return NONE;
        }
        return switch (vendor) {
            case COREONE -> coreOneHmac(secretOrToken);
            case CONFIDENT, LML -> pathToken(secretOrToken);
            case FLABS -> bearer(secretOrToken);
            case GENERIC -> throw new IllegalArgumentException("the simulator has no generic vendor");
        };
    }

    /** The kind of these credentials. */
    public Kind kind() {
        return kind;
    }

    /** The delivery as the vendor would send it with these credentials. */
    public Delivery apply(Delivery d) {
        return switch (kind) {
            case NONE -> d;
            case BEARER -> d.withHeader("Authorization", "Bearer " + secret);
            case PATH_TOKEN -> d.withUrlSuffix(d.urlSuffix() + "/" + URLEncoder.encode(secret, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            case HMAC_SHA256_HEX -> d.withHeader(COREONE_HASH_HEADER, hmacSha256Hex(secret, d.body()));
        };
    }

    /** The hex HMAC-SHA256 of {@code body} keyed with the UTF-8 bytes of {@code secret}. */
    public static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    private static String nonBlank(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        return s;
    }

    @Override
    public String toString() {
        return "Credentials[" + kind + (kind == Kind.NONE ? "" : ", ****") + "]";
    }
}
