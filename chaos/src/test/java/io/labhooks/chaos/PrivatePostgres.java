package io.labhooks.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of the test's own ({@code initdb} on a temp dir, {@code pg_ctl} on a free port), never the
 * machine's shared server, so that it can be crashed and restarted. The tests run as root and initdb refuses
 * root: the cluster is created and run as the {@code postgres} user ({@code runuser}).
 */
final class PrivatePostgres implements AutoCloseable {
    static final Path BIN = Path.of(System.getProperty("chaos.pg.bin", "/usr/lib/postgresql/15/bin"));

    final Path dir;
    final Path data;
    final int port;
    private boolean running;

    private PrivatePostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    static PrivatePostgres start() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "labhooks-chaos-pg-");
        run(List.of("chown", "postgres:postgres", dir.toString()), false);
        PrivatePostgres pg = new PrivatePostgres(dir, Ports.free());
        try {
            pg.asPostgres(BIN.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--no-sync");
            pg.startServer();
        } catch (Exception e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", null);
    }

    void startServer() throws Exception {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=100", "-w", "-t", "60",
                "start");
        running = true;
    }

    /** A crash: {@code pg_ctl stop -m immediate} (SIGQUIT: no checkpoint, WAL recovery at the next start). */
    void crash() throws Exception {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "60", "stop");
        running = false;
    }

    String serverLog() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }

    private void asPostgres(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(List.of(command));
        run(cmd, true);
    }

    private static void run(List<String> cmd, boolean showOutput) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ":\n" + new String(out, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        if (running) {
            try {
                crash();
            } catch (Exception e) {
                failure = e;
            }
        }
        Files.deleteIfExists(dir.resolve("server.log"));
        Harness.deleteRecursively(dir);
        if (failure != null) {
            throw failure;
        }
    }
}
