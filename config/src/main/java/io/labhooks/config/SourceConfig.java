package io.labhooks.config;

import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * One webhook sender, reached at {@code POST /hooks/{id}}.
 *
 * @param timezone     the zone of the vendor's timestamps that carry no offset
 * @param maxBodyBytes larger bodies are answered 413
 * @param rateLimit    optional; over it, 429 with Retry-After
 * @param pointers     where the generic vendor (and CoreOne) find type, id and version
 */
public record SourceConfig(String id, Vendor vendor, ZoneId timezone, long maxBodyBytes, AuthConfig auth,
                           Optional<RateLimit> rateLimit, Pointers pointers) {
    /** The declared default of {@code sources[].max-body-bytes} (1MiB). */
    public static final long DEFAULT_MAX_BODY_BYTES = ConfigKeys.SOURCE_MAX_BODY_BYTES.defaultValue();

    public SourceConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vendor, "vendor");
        timezone = timezone == null ? ZoneId.of("UTC") : timezone;
        Objects.requireNonNull(auth, "auth");
        rateLimit = rateLimit == null ? Optional.empty() : rateLimit;
        pointers = pointers == null ? Pointers.DEFAULTS : pointers;
    }

    public static SourceConfig of(String id, Vendor vendor, AuthConfig auth) {
        return new SourceConfig(id, vendor, null, DEFAULT_MAX_BODY_BYTES, auth, Optional.empty(), null);
    }
}
