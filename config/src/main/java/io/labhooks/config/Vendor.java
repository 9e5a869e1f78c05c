package io.labhooks.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The vendors labhooks knows. {@code generic} is configured per source with JSON Pointers. */
public enum Vendor {
    CONFIDENT, COREONE, LML, FLABS, GENERIC;

    private final String id = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in config, headers, metrics and event types. */
    public String id() {
        return id;
    }

    static Map<String, Vendor> byId() {
        return Arrays.stream(values()).collect(Collectors.toMap(Vendor::id, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
    }
}
