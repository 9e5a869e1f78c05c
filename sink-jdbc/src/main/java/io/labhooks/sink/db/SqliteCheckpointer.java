package io.labhooks.sink.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a WAL-mode SQLite warehouse's committed pages from the WAL into the database file on a thread and
 * connection of its own ({@code PRAGMA wal_checkpoint(PASSIVE)} every {@link #EVERY}), so that the sink's writer,
 * whose connection has {@code wal_autocheckpoint=0} ({@link SqliteDialect#WRITER_INIT_SQL}), only appends to the WAL.
 * SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages, on the writer's thread: in a
 * backlog drain that was a good part of the writer's time, while the other core had room. A passive checkpoint
 * never blocks the writer or a reader, and it changes nothing of what is durable: a commit is on disk (in the WAL,
 * {@code synchronous=FULL}) before the Kafka offsets move, with or without it. The WAL restarts from its start once
 * a checkpoint has copied all of it, as with the automatic one.
 */
public final class SqliteCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);
    public static final Duration EVERY = Duration.ofMillis(200);

    private final Path file;
    private final ScheduledExecutorService thread;
    private Connection connection;
    private boolean failing;

    private SqliteCheckpointer(Path file) {
        this.file = file;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "labhooks-sink-checkpoint");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts checkpointing {@code file} (a WAL-mode database that {@link SqliteDialect#createIfAbsent} made or found). */
    public static SqliteCheckpointer start(Path file) {
        SqliteCheckpointer c = new SqliteCheckpointer(file);
        c.thread.scheduleWithFixedDelay(c::checkpointQuietly, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return c;
    }

    /** One passive checkpoint: copies what it can of the WAL into the database file, waiting for no one. */
    private void checkpoint() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        }
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        }
    }

    private void checkpointQuietly() {
        try {
            checkpoint();
            if (failing) {
                LOG.info("SQLite checkpoint of {} works again", file);
                failing = false;
            }
        } catch (SQLException | RuntimeException e) {
            // logged once per run of failures, and retried: until it works again the WAL only grows
            if (!failing) {
                LOG.warn("SQLite checkpoint of {} failed, retrying every {} ms (until then the WAL file grows): {}", file,
                        EVERY.toMillis(), e.toString());
                failing = true;
            }
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the SQLite checkpoint connection: {}", e.toString());
            }
            connection = null;
        }
    }

    /** Stops the thread after a last checkpoint, and closes its connection. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("the SQLite checkpoint of {} did not stop within 10 s", file);
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        checkpointQuietly();
        closeConnection();
    }
}
