package io.labhooks.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** How a source proves who it is. */
public enum AuthType {
    HMAC_SHA256("hmac-sha256"), BEARER("bearer"), BASIC("basic"), PATH_TOKEN("path-token"), NONE("none");

    private final String id;

    AuthType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    static Map<String, AuthType> byId() {
        Map<String, AuthType> m = new LinkedHashMap<>();
        for (AuthType t : values()) {
            m.put(t.id, t);
        }
        return m;
    }
}
