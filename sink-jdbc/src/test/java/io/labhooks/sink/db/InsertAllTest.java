package io.labhooks.sink.db;

import static io.labhooks.sink.db.Table.Type.BOOLEAN;
import static io.labhooks.sink.db.Table.Type.DATE;
import static io.labhooks.sink.db.Table.Type.DECIMAL;
import static io.labhooks.sink.db.Table.Type.JSON;
import static io.labhooks.sink.db.Table.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.labhooks.testkit.PostgresSchema;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresDialect#insertAll} sends {@code COPY} text; whatever the values hold (the delimiters, backslashes,
 * {@code \N} as text, non-ASCII), the rows read back must be exactly those of the {@link Dialect}'s default batched
 * {@code INSERT}, and a value the server refuses must fail the same way (a data error, SQLState class 22).
 */
class InsertAllTest {
    private static final Table T = Table.of("t", "k", TEXT, "n", DECIMAL, "b", BOOLEAN, "d", DATE, "j", JSON);

    private PostgresSchema pg;
    private Connection c;

    @BeforeEach
    void schema() throws SQLException {
        Assumptions.assumeTrue(PostgresSchema.unavailable().isEmpty(), "PostgreSQL not reachable");
        pg = new PostgresSchema("labhooks_copy_test");
        c = pg.connect();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k text, n numeric(30, 10), b boolean, d date, j jsonb)");
        }
        c.setAutoCommit(false);
    }

    @AfterEach
    void drop() throws SQLException {
        if (c != null) {
            c.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    private static List<Object[]> awkwardRows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"tab\there", new BigDecimal("1.125"), true, "2024-02-29", "{\"a\": \"x\\ty\"}"});
        rows.add(new Object[] {"new\nline\r\nand back\\slash", new BigDecimal("-0.0000000001"), false, null,
            "{\"path\": \"C:\\\\lab\\\\x\", \"nl\": \"a\\nb\"}"});
        rows.add(new Object[] {"\\N", new BigDecimal("1E+5"), null, "2026-12-01", "[1, 2.5, \"\\\\N\"]"});
        rows.add(new Object[] {null, null, null, null, null});
        rows.add(new Object[] {"µg/g · Δ9-THC ✓ 😀", new BigDecimal("12345678901234567890.1234567891"), true, null,
            "{\"unit\": \"µg/g\", \"e\": \"😀\"}"});
        rows.add(new Object[] {"", BigDecimal.ZERO, false, null, "{}"});
        return rows;
    }

    private List<List<String>> readBack() throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT k, n::text, b::text, d::text, j::text FROM t ORDER BY k NULLS FIRST, n")) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    @Test
    void copyReadsBackExactlyWhatTheBatchedInsertWrites() throws SQLException {
        assertThat(BatchedInsert.insertAll(new PostgresDialect(), c, T, awkwardRows())).as("the default, batched").isEqualTo(6);
        List<List<String>> inserted = readBack();
        try (Statement s = c.createStatement()) {
            s.execute("TRUNCATE t");
        }
        assertThat(new PostgresDialect().insertAll(c, T, awkwardRows())).isEqualTo(6);
        List<List<String>> copied = readBack();
        c.commit();

        assertThat(copied).isEqualTo(inserted);
        assertThat(copied).extracting(r -> r.get(0)).contains("tab\there", "new\nline\r\nand back\\slash", "\\N",
                "µg/g · Δ9-THC ✓ 😀", "").containsOnlyOnce((String) null);
    }

    @Test
    void manyRowsGoInSeveralChunksAndAllLand() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        String big = "x".repeat(10_000);
        for (int i = 0; i < 50; i++) {
            rows.add(new Object[] {i + big, BigDecimal.valueOf(i), i % 2 == 0, null, "{\"i\": " + i + "}"});
        }
        assertThat(new PostgresDialect().insertAll(c, T, rows)).isEqualTo(50);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), sum(n) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(50);
            assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("1225");
        }
        assertThat(new PostgresDialect().insertAll(c, T, List.of())).isZero();
    }

    @Test
    void aValueTheServerRefusesIsADataErrorAndTheConnectionStaysUsable() throws SQLException {
        PostgresDialect pg = new PostgresDialect();
        List<Object[]> overflow = new ArrayList<>();
        overflow.add(new Object[] {"ok", BigDecimal.ONE, true, null, "{}"});
        overflow.add(new Object[] {"huge", new BigDecimal("1e25"), true, null, "{}"});
        assertRefusedAsData(pg, overflow);
        assertRefusedAsData(pg, List.<Object[]>of(new Object[] {"bad json", null, null, null, "{not json"}));
        assertRefusedAsData(pg, List.<Object[]>of(new Object[] {"bad date", null, null, "2024-02-30", null}));
        assertRefusedAsData(pg, List.<Object[]>of(new Object[] {"nul \u0000 byte", null, null, null, null}));

        assertThat(pg.insertAll(c, T, awkwardRows())).isEqualTo(6);
        c.commit();
        assertThat(readBack()).hasSize(6);
    }

    private void assertRefusedAsData(PostgresDialect pg, List<Object[]> rows) throws SQLException {
        assertThatThrownBy(() -> pg.insertAll(c, T, rows)).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(pg.classify(e).rejected()).as("%s is the row's fault", e.getMessage()).isTrue());
        c.rollback();
        assertThat(readBack()).isEmpty();
    }
}
