package io.labhooks.sink.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/** A SQLite warehouse file in a temporary folder, deleted on close. */
final class SqliteDatabase implements TestDatabase {
    private final Path dir;
    private final Path file;

    SqliteDatabase() throws IOException {
        this.dir = Files.createTempDirectory("labhooks-sink-test");
        this.file = dir.resolve("nested").resolve("warehouse.db");
    }

    @Override
    public String jdbcUrl() {
        return "jdbc:sqlite:" + file;
    }

    @Override
    public String username() {
        return null;
    }

    @Override
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }

    /** Holds SQLite's write lock from another connection, as a long-running writer would. */
    Outage lockOutage() {
        return new Outage() {
            private Connection locker;

            @Override
            public String jdbcUrl() {
                return SqliteDatabase.this.jdbcUrl();
            }

            @Override
            public void begin() throws SQLException {
                locker = DriverManager.getConnection(SqliteDatabase.this.jdbcUrl());
                try (Statement s = locker.createStatement()) {
                    s.execute("BEGIN EXCLUSIVE");
                }
            }

            @Override
            public void end() throws SQLException {
                try (Statement s = locker.createStatement()) {
                    s.execute("ROLLBACK");
                } finally {
                    locker.close();
                    locker = null;
                }
            }

            @Override
            public void close() throws SQLException {
                if (locker != null) {
                    end();
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
