package io.labhooks.schemas.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic event ids: the same vendor event always gets the same id, however often it is delivered. */
public final class EventIds {
    private EventIds() {
    }

    /** Hex SHA-256 of vendor, entity key, event type, version and discriminator, separated by newlines. */
    public static String of(String vendor, String entityKey, String type, long version, String discriminator) {
        String material = vendor + "\n" + entityKey + "\n" + type + "\n" + version + "\n" + (discriminator == null ? "" : discriminator);
        return sha256Hex(material.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
