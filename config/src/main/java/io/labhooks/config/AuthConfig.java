package io.labhooks.config;

import java.util.List;
import java.util.Objects;

/**
 * A source's credentials. Several secrets, tokens or users may be active at once, for rotation.
 *
 * @param type     the auth mode
 * @param header   hmac-sha256: the header carrying the signature
 * @param encoding hmac-sha256: how the digest is written
 * @param prefix   hmac-sha256: text before the digest in the header, e.g. {@code sha256=}; empty for none
 * @param secrets  hmac-sha256: the HMAC keys
 * @param tokens   bearer and path-token: the accepted tokens
 * @param users    basic: the accepted user names and passwords
 */
public record AuthConfig(AuthType type, String header, Encoding encoding, String prefix,
                         List<Secret> secrets, List<Secret> tokens, List<BasicUser> users) {

    /** How an HMAC digest is written in its header. */
    public enum Encoding { HEX, BASE64 }

    /** One user of {@code basic} auth. The record's toString never shows the password. */
    public record BasicUser(String username, Secret password) {
        public BasicUser {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }
    }

    public AuthConfig {
        Objects.requireNonNull(type, "type");
        prefix = prefix == null ? "" : prefix;
        encoding = encoding == null ? Encoding.HEX : encoding;
        secrets = List.copyOf(secrets == null ? List.of() : secrets);
        tokens = List.copyOf(tokens == null ? List.of() : tokens);
        users = List.copyOf(users == null ? List.of() : users);
        // which credentials each type needs is a config rule: ConfigKeys.AUTH_KEYS_MATCH_TYPE
    }

    public static AuthConfig none() {
        return new AuthConfig(AuthType.NONE, null, null, null, null, null, null);
    }

    public static AuthConfig hmac(String header, Encoding encoding, String... secrets) {
        return new AuthConfig(AuthType.HMAC_SHA256, header, encoding, "", java.util.Arrays.stream(secrets).map(Secret::of).toList(), null, null);
    }

    public static AuthConfig bearer(String... tokens) {
        return new AuthConfig(AuthType.BEARER, null, null, null, null, java.util.Arrays.stream(tokens).map(Secret::of).toList(), null);
    }

    public static AuthConfig pathToken(String... tokens) {
        return new AuthConfig(AuthType.PATH_TOKEN, null, null, null, null, java.util.Arrays.stream(tokens).map(Secret::of).toList(), null);
    }
}
