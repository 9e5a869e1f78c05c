package io.labhooks.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The warehouse databases labhooks writes to, by JDBC URL prefix. The one place that says which URLs are
 * supported: the {@code sink.jdbc-url} check and the sink's dialect choice both ask {@link #of(String)}.
 */
public enum JdbcDatabase {
    POSTGRESQL("jdbc:postgresql:"), SQLITE("jdbc:sqlite:");

    /** The problem with an unsupported URL: "must be a jdbc:postgresql: or jdbc:sqlite: URL". */
    public static final String REQUIREMENT = "must be a "
            + Arrays.stream(values()).map(JdbcDatabase::prefix).collect(Collectors.joining(" or ")) + " URL";

    private final String prefix;

    JdbcDatabase(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The database a JDBC URL is for, empty when labhooks does not support it. */
    public static Optional<JdbcDatabase> of(String jdbcUrl) {
        return Arrays.stream(values()).filter(d -> jdbcUrl != null && jdbcUrl.startsWith(d.prefix)).findFirst();
    }
}
