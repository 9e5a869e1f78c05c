package io.labhooks.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.AuthType;
import io.labhooks.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticatorsTest {
    /** GitHub's published example for webhook signatures. */
    static final String GH_SECRET = "It's a Secret to Everybody";
    static final String GH_BODY = "Hello, World!";
    static final String GH_DIGEST = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    record Req(Map<String, String> headers, String pathToken) implements Authenticator.Request {
        Req(Map<String, String> headers) {
            this(headers, null);
        }

        @Override
        public String header(String name) {
            return headers.get(name);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hmacMatchesGithubPublishedExample() {
        assertThat(Hmac.sha256Hex(Secret.of(GH_SECRET), bytes(GH_BODY))).isEqualTo(GH_DIGEST);
        Authenticator a = Authenticators.of(new AuthConfig(AuthType.HMAC_SHA256, "X-Hub-Signature-256",
                AuthConfig.Encoding.HEX, "sha256=", List.of(Secret.of(GH_SECRET)), null, null));
        assertThat(a.needsBody()).isTrue();
        assertThat(a.verify(new Req(Map.of("X-Hub-Signature-256", "sha256=" + GH_DIGEST)), bytes(GH_BODY))).isTrue();
    }

    @Test
    void hmacRejectsOneFlippedByteInTheBody() {
        Authenticator a = Authenticators.of(AuthConfig.hmac("X-Coreone-Webhook-Hash", AuthConfig.Encoding.HEX, GH_SECRET));
        byte[] body = bytes(GH_BODY);
        body[5] ^= 0x01;
        assertThat(a.verify(new Req(Map.of("X-Coreone-Webhook-Hash", GH_DIGEST)), bytes(GH_BODY))).isTrue();
        assertThat(a.verify(new Req(Map.of("X-Coreone-Webhook-Hash", GH_DIGEST)), body)).isFalse();
    }

    @Test
    void hmacAcceptsUpperCaseHexAndBase64AndRotatedSecrets() {
        Authenticator hex = Authenticators.of(AuthConfig.hmac("Sig", AuthConfig.Encoding.HEX, "old-secret", GH_SECRET));
        assertThat(hex.verify(new Req(Map.of("Sig", GH_DIGEST.toUpperCase())), bytes(GH_BODY))).isTrue();
        Authenticator b64 = Authenticators.of(AuthConfig.hmac("Sig", AuthConfig.Encoding.BASE64, GH_SECRET));
        String encoded = Base64.getEncoder().encodeToString(Hmac.sha256(Secret.of(GH_SECRET), bytes(GH_BODY)));
        assertThat(b64.verify(new Req(Map.of("Sig", encoded)), bytes(GH_BODY))).isTrue();
        assertThat(b64.verify(new Req(Map.of("Sig", GH_DIGEST)), bytes(GH_BODY))).isFalse();
    }

    @Test
    void hmacRejectsMissingMalformedAndTruncatedSignatures() {
        Authenticator a = Authenticators.of(AuthConfig.hmac("Sig", AuthConfig.Encoding.HEX, GH_SECRET));
        assertThat(a.verify(new Req(Map.of()), bytes(GH_BODY))).isFalse();
        assertThat(a.verify(new Req(Map.of("Sig", "zz-not-hex")), bytes(GH_BODY))).isFalse();
        assertThat(a.verify(new Req(Map.of("Sig", GH_DIGEST.substring(0, 32))), bytes(GH_BODY))).isFalse();
        assertThat(a.verify(new Req(Map.of("Sig", "")), bytes(GH_BODY))).isFalse();
    }

    @Test
    void bearerChecksEveryActiveToken() {
        Authenticator a = Authenticators.of(AuthConfig.bearer("token-one", "token-two"));
        assertThat(a.needsBody()).isFalse();
        assertThat(a.verify(new Req(Map.of("Authorization", "Bearer token-two")), null)).isTrue();
        assertThat(a.verify(new Req(Map.of("Authorization", "bearer token-one")), null)).isTrue();
        assertThat(a.verify(new Req(Map.of("Authorization", "Bearer token-three")), null)).isFalse();
        assertThat(a.verify(new Req(Map.of("Authorization", "Basic token-one")), null)).isFalse();
        assertThat(a.verify(new Req(Map.of("Authorization", "Bearer")), null)).isFalse();
        assertThat(a.verify(new Req(Map.of()), null)).isFalse();
    }

    @Test
    void basicChecksUserAndPassword() {
        Authenticator a = Authenticators.of(new AuthConfig(AuthType.BASIC, null, null, null, null, null,
                List.of(new AuthConfig.BasicUser("lab", Secret.of("pw1")), new AuthConfig.BasicUser("lab", Secret.of("pw2")))));
        assertThat(a.verify(basic("lab:pw2"), null)).isTrue();
        assertThat(a.verify(basic("lab:pw3"), null)).isFalse();
        assertThat(a.verify(basic("other:pw1"), null)).isFalse();
        assertThat(a.verify(new Req(Map.of("Authorization", "Basic !!!not-base64")), null)).isFalse();
    }

    private static Req basic(String userPass) {
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(bytes(userPass)));
        return new Req(h);
    }

    @Test
    void pathTokenAndNone() {
        Authenticator a = Authenticators.of(AuthConfig.pathToken("s3cret-path"));
        assertThat(a.verify(new Req(Map.of(), "s3cret-path"), null)).isTrue();
        assertThat(a.verify(new Req(Map.of(), "s3cret-pat"), null)).isFalse();
        assertThat(a.verify(new Req(Map.of(), null), null)).isFalse();
        assertThat(Authenticators.of(AuthConfig.none()).verify(new Req(Map.of()), null)).isTrue();
    }

    @Test
    void toStringNeverShowsASecret() {
        assertThat(Authenticators.of(AuthConfig.hmac("Sig", AuthConfig.Encoding.HEX, GH_SECRET)).toString()).doesNotContain(GH_SECRET);
        assertThat(Authenticators.of(AuthConfig.bearer("tok-abc")).toString()).doesNotContain("tok-abc");
        assertThat(AuthConfig.bearer("tok-abc").toString()).doesNotContain("tok-abc");
    }
}
