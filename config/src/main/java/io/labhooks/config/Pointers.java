package io.labhooks.config;

/**
 * JSON Pointers (RFC 6901) into a vendor body, for the {@code generic} vendor and for CoreOne's
 * id and version. A null pointer means "use the vendor's default".
 */
public record Pointers(String eventType, String entityType, String entityId, String version) {
    public static final Pointers DEFAULTS = new Pointers(null, null, null, null);

}
