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

    /**
     * The most specific message in {@code e}'s chain: for a failed JDBC batch that is the database's own error
     * (its next exception), not the driver's summary with the whole statement.
     */
    public static String message(java.sql.SQLException e) {
        java.sql.SQLException last = e;
        for (java.sql.SQLException x = e.getNextException(); x != null; x = x.getNextException()) {
            last = x;
        }
        if (last.getMessage() != null) {
            return last.getMessage();
        }
        Throwable cause = last.getCause();
        return cause != null && cause.getMessage() != null ? cause.getMessage() : String.valueOf(e.getMessage());
    }

    public boolean rejected() {
        return kind == Kind.REJECTED;
    }
}
