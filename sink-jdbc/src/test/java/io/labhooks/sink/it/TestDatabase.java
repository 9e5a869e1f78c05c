package io.labhooks.sink.it;

import java.sql.Connection;
import java.sql.SQLException;

/** A fresh, empty warehouse database for one test, removed by {@link #close()}. */
public interface TestDatabase extends AutoCloseable {
    String jdbcUrl();

    /** May be null (SQLite). */
    String username();

    /** A plain JDBC connection for the test's own queries (auto-commit). */
    Connection connect() throws SQLException;

    @Override
    void close() throws SQLException, java.io.IOException;
}
