package io.labhooks.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One part of the pipeline running as its own OS process; its stdout and stderr go to a log file. */
final class Child {
    /** What {@link Process#exitValue()} is after SIGKILL: 128 + 9. */
    static final int SIGKILL_EXIT = 137;

    final String name;
    final Process process;
    final Path log;
    final List<String> command;

    private Child(String name, Process process, Path log, List<String> command) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.command = command;
    }

    static Child start(String name, List<String> command, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        Files.writeString(log, "\n==== chaos: started " + name + " pid " + p.pid() + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        return new Child(name, p, log, command);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The last lines of the log, for assertion messages. */
    String tail() {
        String out = output();
        return name + " (" + log + "):\n" + out.substring(Math.max(0, out.length() - 6000));
    }

    /** Waits for a log line matching {@code pattern} (from this process's start on), failing fast if it exits. */
    String awaitLine(Pattern pattern, Duration atMost) {
        String[] found = new String[1];
        await(name + " to print " + pattern).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            String out = output();
            int start = out.lastIndexOf("==== chaos: started " + name + " pid " + pid());
            Matcher m = pattern.matcher(out.substring(Math.max(0, start)));
            if (m.find()) {
                found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
                return true;
            }
            if (!alive()) {
                throw new IllegalStateException(name + " exited " + process.exitValue() + " before printing " + pattern
                        + "\n" + tail());
            }
            return false;
        });
        return found[0];
    }

    /**
     * A crash: SIGKILL ({@code destroyForcibly()} is {@code kill(pid, SIGKILL)} on Linux; checked by the exit code
     * 137). No shutdown hook runs, nothing is flushed or closed.
     */
    void kill9() throws InterruptedException {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not die after SIGKILL");
        }
        if (process.exitValue() != SIGKILL_EXIT) {
            throw new IllegalStateException(name + " exited " + process.exitValue() + ", not by SIGKILL (137)\n" + tail());
        }
    }

    /** Kills it (SIGKILL) if still running; for cleanup. */
    void destroy() throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + (alive() ? "" : ", exited") + "]";
    }
}
