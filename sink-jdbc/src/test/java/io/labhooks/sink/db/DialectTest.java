package io.labhooks.sink.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class DialectTest {
    @Test
    void picksTheDialectFromTheUrl() {
        assertThat(Dialect.forUrl("jdbc:postgresql://h/db").name()).isEqualTo("postgresql");
        assertThat(Dialect.forUrl("jdbc:sqlite:x.db").name()).isEqualTo("sqlite");
        assertThatThrownBy(() -> Dialect.forUrl("jdbc:mysql://h/db")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void postgresDataErrorsAreRejectionsAndEverythingElseIsAnOutage() {
        PostgresDialect pg = new PostgresDialect();
        assertThat(pg.classify(new SQLException("overflow", "22003"))).isEqualTo(new DbFailure(DbFailure.Kind.REJECTED, "22003"));
        assertThat(pg.classify(new SQLException("dup", "23505")).rejected()).isTrue();
        assertThat(pg.classify(new SQLException("gone", "08006")).rejected()).isFalse();
        assertThat(pg.classify(new SQLException("admin shutdown", "57P01")).rejected()).isFalse();
        assertThat(pg.classify(new SQLException("no state")).reason()).isEqualTo("unknown");
        BatchUpdateException batch = new BatchUpdateException("batch failed", null, 0, new int[0], null);
        batch.setNextException(new SQLException("overflow", "22003"));
        assertThat(pg.classify(batch).rejected()).isTrue();
    }

    @Test
    void sqliteConstraintsAreRejectionsAndBusyIsAnOutage() {
        SqliteDialect lite = new SqliteDialect();
        assertThat(lite.classify(new SQLiteException("check", SQLiteErrorCode.SQLITE_CONSTRAINT_CHECK)))
                .isEqualTo(new DbFailure(DbFailure.Kind.REJECTED, "SQLITE_CONSTRAINT_CHECK"));
        assertThat(lite.classify(new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY)).rejected()).isFalse();
        assertThat(lite.classify(new SQLiteException("io", SQLiteErrorCode.SQLITE_IOERR_WRITE)).rejected()).isFalse();
    }
}
