package io.labhooks.sink.db;

import com.zaxxer.hikari.HikariConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite, the embedded default: one writer connection, WAL (readers never block the writer),
 * {@code busy_timeout} and {@code synchronous=FULL} (a commit is on disk before
 * the Kafka offsets move). Timestamps are ISO-8601 UTC text with a fixed width, so they sort as text and
 * SQLite's date functions read them. A database file the sink creates has pages of {@link #PAGE_SIZE} bytes
 * ({@link #createIfAbsent}).
 */
public final class SqliteDialect implements Dialect {
    /**
     * The page size of a warehouse file the sink creates (SQLite's default is 4 KiB). An event row and an entity row
     * each hold up to about 90 KB of JSON, which spans 6 pages of 16 KiB instead of 23 of 4 KiB; every page is two
     * writes to the WAL at the commit and a read and a write at the checkpoint. In a test of 100-row transactions
     * of 54 KB rows (WAL, synchronous=FULL) the writing thread's CPU fell by 40% (docs/benchmarks.md).
     */
    public static final int PAGE_SIZE = 16_384;
    /**
     * Run on each pooled connection to a database file: no automatic checkpoint inside the writer's commits, since
     * a {@link SqliteCheckpointer} checkpoints on a thread of its own.
     */
    public static final String WRITER_INIT_SQL = "PRAGMA wal_autocheckpoint = 0";
    /** The writer connection's page cache, KiB. */
    static final int CACHE_KIB = 65_536;
    /** How long a write waits for another process's lock before the attempt fails and the sink backs off. */
    static final int BUSY_TIMEOUT_MS = 5_000;
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Override
    public String name() {
        return "sqlite";
    }

    /**
     * Creates the folder of the database file and, where there is no database yet (no file, or an empty one), the
     * file itself with pages of {@link #PAGE_SIZE} bytes, in WAL mode. SQLite fixes the page size when it first writes
     * the file's header, and a database in WAL mode cannot change it, so this must come before the pool's first
     * connection (which switches to WAL at once). An existing database keeps its page size.
     */
    public static void createIfAbsent(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file) && Files.size(file) > 0) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the SQLite warehouse " + file, e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size = " + PAGE_SIZE);
            s.execute("PRAGMA journal_mode = WAL"); // writes the header, with the page size
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the SQLite warehouse " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void configurePool(HikariConfig pool) {
        pool.setMaximumPoolSize(1);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(BUSY_TIMEOUT_MS + 5_000L);
        pool.setAutoCommit(false);
        pool.addDataSourceProperty("journal_mode", "WAL");
        pool.addDataSourceProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
        pool.addDataSourceProperty("synchronous", "FULL");
        // 64 MiB of page cache (SQLite's default is 2 MiB): a batch of full Confident panels is tens of MB of pages, and
        // a cache smaller than the batch spills pages to the WAL before the commit, rewriting the ones touched again
        pool.addDataSourceProperty("cache_size", Integer.toString(-CACHE_KIB));
        // Not transaction_mode=IMMEDIATE: sqlite-jdbc begins the next transaction right after each commit, so
        // an idle pooled connection would hold the write lock. The sink is the only writer; DEFERRED is safe.
        pool.addDataSourceProperty("foreign_keys", "true");
    }

    @Override
    public String dateParameter() {
        return "?";
    }

    @Override
    public String jsonBytesParameter() {
        // a bound BLOB cast to TEXT: SQLite takes the bytes as UTF-8 text, without a copy through a Java String
        return "CAST(? AS TEXT)";
    }

    @Override
    public String jsonParameter() {
        return "?";
    }

    @Override
    public void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        ps.setString(index, TIMESTAMP.format(value));
    }

    @Override
    public void setDecimal(PreparedStatement ps, int index, BigDecimal value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.REAL);
        } else {
            ps.setDouble(index, value.doubleValue());
        }
    }

    @Override
    public DbFailure classify(SQLException e) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            return switch (code.code & 0xff) {
                case 18, 19, 20 -> new DbFailure(DbFailure.Kind.REJECTED, code.name()); // TOOBIG, CONSTRAINT*, MISMATCH
                default -> new DbFailure(DbFailure.Kind.UNAVAILABLE, code.name());
            };
        }
        return new DbFailure(DbFailure.Kind.UNAVAILABLE, e.getSQLState() == null ? "unknown" : e.getSQLState());
    }

    @Override
    public int maxParameters() {
        return 32_766;
    }
}
