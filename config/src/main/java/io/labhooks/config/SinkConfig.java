package io.labhooks.config;

import java.time.Duration;
import java.util.Objects;

/** The JDBC warehouse sink. A password in the URL is redacted in {@link #toString()}. */
public record SinkConfig(String jdbcUrl, String username, Secret password, String groupId, int batchSize,
                         Duration pollTimeout) {
    public SinkConfig {
        Objects.requireNonNull(jdbcUrl, "jdbc-url");
        Objects.requireNonNull(groupId, "group-id");
        Objects.requireNonNull(pollTimeout, "poll-timeout");
    }

    /** The URL with any {@code password=} parameter masked. */
    public String redactedUrl() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    @Override
    public String toString() {
        return "SinkConfig[jdbcUrl=" + redactedUrl() + ", username=" + username + ", password=" + (password == null ? null : "****")
                + ", groupId=" + groupId + ", batchSize=" + batchSize + ", pollTimeout=" + pollTimeout + "]";
    }
}
