package io.labhooks.sink;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.labhooks.config.SinkConfig;
import io.labhooks.sink.db.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse database: a HikariCP pool set up for its {@link Dialect} (SQLite: one writer connection,
 * WAL; PostgreSQL: {@code reWriteBatchedInserts}, bounded timeouts), and its Flyway migrations
 * ({@code db/migration/postgresql} or {@code db/migration/sqlite}). Opening it does not touch the schema;
 * {@link #migrate()} does. The password is handed to the pool only and never logged.
 */
public final class Warehouse implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);

    private final SinkConfig config;
    private final Dialect dialect;
    private final HikariDataSource dataSource;

    public Warehouse(SinkConfig config) {
        this(config, "labhooks-warehouse");
    }

    public Warehouse(SinkConfig config, String poolName) {
        this.config = Objects.requireNonNull(config, "config");
        this.dialect = Dialect.forUrl(config.jdbcUrl());
        createSqliteParentDir(config.jdbcUrl());
        HikariConfig pool = new HikariConfig();
        pool.setPoolName(poolName);
        pool.setJdbcUrl(config.jdbcUrl());
        if (config.username() != null) {
            pool.setUsername(config.username());
        }
        if (config.password() != null) {
            pool.setPassword(config.password().reveal());
        }
        // Start even when the database is down: the sink backs off until it answers.
        pool.setInitializationFailTimeout(-1);
        dialect.configurePool(pool);
        this.dataSource = new HikariDataSource(pool);
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
        Flyway flyway = Flyway.configure()
                .dataSource(config.jdbcUrl(), config.username(), config.password() == null ? null : config.password().reveal())
                .locations(dialect.migrationLocation())
                .failOnMissingLocations(true)
                .load();
        MigrateResult result = flyway.migrate();
        LOG.info("warehouse schema at version {} ({} migration(s) applied)", result.targetSchemaVersion,
                result.migrationsExecuted);
        return result.migrationsExecuted;
    }

    /** SQLite creates the database file but not its folder. */
    private static void createSqliteParentDir(String url) {
        if (!url.startsWith("jdbc:sqlite:")) {
            return;
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
            return;
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the SQLite warehouse " + parent, e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
