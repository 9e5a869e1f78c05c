package io.labhooks.sink;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.labhooks.config.SinkConfig;
import io.labhooks.sink.db.Dialect;
import io.labhooks.sink.db.SqliteCheckpointer;
import io.labhooks.sink.db.SqliteDialect;
import java.nio.file.Path;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse database: a HikariCP pool set up for its {@link Dialect} (SQLite: one writer connection,
 * WAL, checkpointed by a {@link SqliteCheckpointer} of its own; PostgreSQL: {@code reWriteBatchedInserts}, bounded timeouts), and its Flyway migrations
 * ({@code db/migration/postgresql} or {@code db/migration/sqlite}). Opening it does not touch the schema;
 * {@link #migrate()} does. The password (from the config, or a {@code password=} parameter of the URL, which
 * is taken out of the URL) is handed to the driver only and never logged.
 */
public final class Warehouse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([?&;])password=([^&;]*)");

    private final SinkConfig config;
    private final Dialect dialect;
    private final HikariDataSource dataSource;
    /** The URL without any password parameter; drivers, pools and Flyway may log URLs. */
    private final String url;
    private final String password;
    /** For a SQLite file: the checkpoints, off the writer's thread; else null. */
    private final SqliteCheckpointer checkpointer;

    public Warehouse(SinkConfig config) {
        this(config, "labhooks-warehouse");
    }

    public Warehouse(SinkConfig config, String poolName) {
        this.config = Objects.requireNonNull(config, "config");
        this.dialect = Dialect.forUrl(config.jdbcUrl());
        Optional<Path> sqlite = sqliteFile(config.jdbcUrl());
        sqlite.ifPresent(SqliteDialect::createIfAbsent);
        Matcher m = URL_PASSWORD.matcher(config.jdbcUrl());
        String inUrl = null;
        StringBuilder clean = new StringBuilder();
        while (m.find()) {
            inUrl = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
            m.appendReplacement(clean, Matcher.quoteReplacement(m.group(1)));
        }
        m.appendTail(clean);
        this.url = clean.toString().replace("?&", "?").replace("&&", "&").replaceAll("[?&]$", "");
        this.password = config.password() != null ? config.password().reveal() : inUrl;
        HikariConfig pool = new HikariConfig();
        pool.setPoolName(poolName);
        pool.setJdbcUrl(url);
        if (config.username() != null) {
            pool.setUsername(config.username());
        }
        if (password != null) {
            pool.setPassword(password);
        }
        // Start even when the database is down: the sink backs off until it answers.
        pool.setInitializationFailTimeout(-1);
        dialect.configurePool(pool);
        if (sqlite.isPresent()) {
            pool.setConnectionInitSql(SqliteDialect.WRITER_INIT_SQL);
        }
        this.dataSource = new HikariDataSource(pool);
        this.checkpointer = sqlite.map(SqliteCheckpointer::start).orElse(null);
        LOG.info("warehouse: {} at {} (user {})", dialect.name(), config.redactedUrl(), config.username());
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public SinkConfig config() {
        return config;
    }

    /**
     * Applies the pending migrations of this dialect (idempotent).
     *
     * @return how many migrations ran
     */
    public int migrate() {
        return migrate(null);
    }

    /**
     * Applies the pending migrations up to {@code targetVersion} (e.g. {@code "1"}), or all when null: tests use
     * it to build a warehouse of an older schema and upgrade it in place.
     *
     * @return how many migrations ran
     */
    public int migrate(String targetVersion) {
        // Through the pool: its connections carry the dialect's settings (SQLite: WAL, busy_timeout), and with
        // SQLite's single pooled writer a second connection of Flyway's own would race it for the write lock.
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .failOnMissingLocations(true)
                .target(targetVersion == null ? "latest" : targetVersion)
                .load();
        MigrateResult result = flyway.migrate();
        LOG.info("warehouse schema at version {} ({} migration(s) applied)", result.targetSchemaVersion,
                result.migrationsExecuted);
        return result.migrationsExecuted;
    }

    /** The database file of a {@code jdbc:sqlite:} URL, if it names one (not {@code :memory:}). */
    static Optional<Path> sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:")) {
            return Optional.empty();
        }
        String path = url.substring("jdbc:sqlite:".length());
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.isEmpty() || path.startsWith(":memory:")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(path).toAbsolutePath());
    }

    /** Closes the pool, then (SQLite) the checkpoints after a last one. */
    @Override
    public void close() {
        try {
            dataSource.close();
        } finally {
            if (checkpointer != null) {
                checkpointer.close();
            }
        }
    }
}
