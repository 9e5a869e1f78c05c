package io.labhooks.cli;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar labhooks.jar local ...} as a child process, with its output collected. */
final class LocalProcess implements AutoCloseable {
    private static final Pattern METRICS_URL = Pattern.compile("metrics\\s+http://localhost:(\\d+)/metrics");

    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();

    LocalProcess(String... localArgs) throws Exception {
        this(List.of(), localArgs);
    }

    /** With JVM options for the child (before {@code -jar}). */
    LocalProcess(List<String> jvmArgs, String... localArgs) throws Exception {
        Path jar = Path.of(System.getProperty("labhooks.jar", "target/labhooks.jar"));
        if (!jar.toFile().exists()) {
            throw new IllegalStateException(jar + " does not exist: run mvn package first");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", jar.toString(), "local"));
        cmd.addAll(List.of(localArgs));
        // The output goes to a file that a thread tails: reading the pipe directly races with the JDK draining it
        // when the process exits ("Stream closed"), which loses the last lines.
        log = Files.createTempFile("labhooks-local-", ".log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Thread reader = new Thread(this::tail, "local-output");
        reader.setDaemon(true);
        reader.start();
    }

    private final Path log;

    private void tail() {
        StringBuilder line = new StringBuilder();
        try (Reader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            while (true) {
                boolean exited = !process.isAlive();
                int c;
                while ((c = r.read()) >= 0) {
                    if (c == '\n') {
                        out.add(line.toString());
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
                if (exited) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        } catch (IOException e) {
            out.add("reader stopped: " + e);
        }
        if (line.length() > 0) {
            out.add(line.toString());
        }
    }

    /** Waits for the banner and returns the HTTP port it names. */
    int awaitStarted(Duration timeout) {
        await().atMost(timeout).until(() -> out.stream().anyMatch(l -> l.contains("Stop with Ctrl-C")) || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("labhooks local exited " + process.exitValue() + ":\n" + output());
        }
        return out.stream().map(METRICS_URL::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                .findFirst().orElseThrow();
    }

    /** SIGTERM, then the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("labhooks local did not stop within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        return String.join("\n", out);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            out.add("could not delete " + log + ": " + e);
        }
    }
}
