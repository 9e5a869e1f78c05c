package io.labhooks.ingress.auth;

import io.labhooks.config.Secret;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 over raw bytes. Also used by the simulator and the tests to sign like a vendor does. */
public final class Hmac {
    private Hmac() {
    }

    public static byte[] sha256(Secret key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }

    public static String sha256Hex(Secret key, byte[] body) {
        return HexFormat.of().formatHex(sha256(key, body));
    }
}
