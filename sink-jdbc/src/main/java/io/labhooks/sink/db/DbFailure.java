package io.labhooks.sink.db;

import java.util.Objects;

/**
 * What a {@link java.sql.SQLException} means for the sink.
 *
 * @param kind   whether the row is at fault or the database is
 * @param reason a short machine-readable reason: the SQLState on PostgreSQL (e.g. {@code 22003}), the
 *               result code name on SQLite (e.g. {@code SQLITE_CONSTRAINT_CHECK})
 */
public record DbFailure(Kind kind, String reason) {
    public enum Kind {
        /** The database refused this data (SQLState classes 22 and 23 and their SQLite equivalents): dead-letter the record. */
        REJECTED,
        /** Anything else: the database is down, busy or misconfigured. Back off and retry the same batch. */
        UNAVAILABLE
    }

    public DbFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    public boolean rejected() {
        return kind == Kind.REJECTED;
    }
}
