package io.labhooks.cli;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One labhooks part ({@code java -jar labhooks.jar PART ...}) or another program as a child process, its output collected. */
final class PartProcess implements AutoCloseable {
    final String name;
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();

    private PartProcess(String name, List<String> cmd) throws java.io.IOException {
        this.name = name;
        this.process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(out::add);
            } catch (java.io.IOException e) {
                out.add("reader stopped: " + e);
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code labhooks ARGS} from the built jar, with a modest heap. */
    static PartProcess labhooks(String name, String... args) throws java.io.IOException {
        Path jar = Path.of(System.getProperty("labhooks.jar", "target/labhooks.jar"));
        if (!jar.toFile().exists()) {
            throw new IllegalStateException(jar + " does not exist: run mvn package first");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        return new PartProcess(name, cmd);
    }

    static PartProcess program(String name, String... cmd) throws java.io.IOException {
        return new PartProcess(name, List.of(cmd));
    }

    /** Waits for a line matching {@code pattern} and returns its first group. */
    String awaitLine(Pattern pattern, Duration timeout) {
        await().atMost(timeout).until(() -> out.stream().anyMatch(l -> pattern.matcher(l).find()) || !process.isAlive());
        for (String l : out) {
            Matcher m = pattern.matcher(l);
            if (m.find()) {
                return m.groupCount() > 0 ? m.group(1) : m.group();
            }
        }
        throw new IllegalStateException(name + " exited " + process.exitValue() + " before printing " + pattern + ":\n" + output());
    }

    int exitAfterSigterm(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not stop within " + timeout + ":\n" + output());
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
    }
}
