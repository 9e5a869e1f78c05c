package io.labhooks.cli;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.ingress.auth.Hmac;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A ready-to-paste {@code curl} per source, with a small body in the vendor's own shape. */
final class SampleCurl {
    private SampleCurl() {
    }

    static String sampleBody(SourceConfig s) {
        return switch (s.vendor()) {
            case CONFIDENT -> "{\"id\":\"SMP-0001\",\"sample_name\":\"Blue Dream\",\"last_modified\":\"2024-01-20 10:30:00\",\"lab_data\":{}}";
            case COREONE -> "{\"id\":101,\"name\":\"Acme Vet Clinic\",\"updated_at\":\"2024-01-20T10:30:00Z\"}";
            case FLABS -> "{\"labID\":\"lab_67890\",\"eventType\":\"bill.created\",\"eventTime\":1705747800,\"data\":{\"billID\":\"bill_12345\"}}";
            case LML -> "{\"event\":\"order.shipped\",\"data\":{\"order_id\":\"e23e2d33-5ab4-4efc-8e94-7e914b5f99df\"}}";
            case GENERIC -> "{\"type\":\"sample.updated\",\"id\":\"1\",\"version\":1}";
        };
    }

    static String forSource(SourceConfig s, String base, boolean showSecrets) {
        String body = sampleBody(s);
        AuthConfig a = s.auth();
        StringBuilder c = new StringBuilder("curl -sS -X POST ");
        String url = base + "/hooks/" + s.id();
        switch (a.type()) {
            case PATH_TOKEN -> url += "/" + secret(a.tokens().get(0).reveal(), showSecrets, "TOKEN");
            case BEARER -> c.append("-H 'Authorization: Bearer ").append(secret(a.tokens().get(0).reveal(), showSecrets, "TOKEN")).append("' ");
            case BASIC -> {
                AuthConfig.BasicUser u = a.users().get(0);
                String cred = showSecrets ? Base64.getEncoder().encodeToString((u.username() + ":" + u.password().reveal())
                        .getBytes(StandardCharsets.UTF_8)) : "<base64 of user:password>";
                c.append("-H 'Authorization: Basic ").append(cred).append("' ");
            }
            case HMAC_SHA256 -> {
                // the signature of this exact body: it reveals nothing of the secret
                byte[] mac = Hmac.sha256(a.secrets().get(0), body.getBytes(StandardCharsets.UTF_8));
                String sig = a.encoding() == AuthConfig.Encoding.HEX ? java.util.HexFormat.of().formatHex(mac)
                        : Base64.getEncoder().encodeToString(mac);
                c.append("-H '").append(a.header()).append(": ").append(a.prefix()).append(sig).append("' ");
            }
            case NONE -> { }
        }
        if (s.vendor() == io.labhooks.config.Vendor.COREONE) {
            c.append("-H 'X-Coreone-Webhook-Type: client/update' ");
        }
        c.append("-H 'Content-Type: application/json' --data-binary '").append(body).append("' ").append(url);
        return c.toString();
    }

    private static String secret(String value, boolean show, String placeholder) {
        return show ? value : "<" + placeholder + ">";
    }
}
