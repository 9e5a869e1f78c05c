package io.labhooks.config;

import java.nio.file.Path;
import java.util.Objects;

/** The ingress disk spool used while Kafka cannot take a record. */
public record SpoolConfig(Path dir, long maxBytes) {
    public SpoolConfig {
        Objects.requireNonNull(dir, "dir");
    }
}
