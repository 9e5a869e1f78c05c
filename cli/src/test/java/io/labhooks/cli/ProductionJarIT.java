package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * labhooks.jar is the production distribution: the parts and their clients, without the dev kit. If one of these
 * comes back (a compile-scope dependency on testkit or bench, the broker through some transitive path, a second
 * logging backend), this fails and names the entries.
 */
class ProductionJarIT {
    /** Entry prefix, and what it is. */
    static final Map<String, String> FORBIDDEN = forbidden();

    static Path jar;
    static List<String> entries;

    private static Map<String, String> forbidden() {
        Map<String, String> m = new TreeMap<>();
        m.put("kafka/", "the Kafka broker (kafka_2.13, Scala)");           // only .class entries count, see below
        m.put("scala/", "Scala");
        m.put("org/apache/kafka/controller/", "the KRaft controller");
        m.put("org/apache/kafka/raft/", "Kafka's Raft");
        m.put("org/apache/kafka/metadata/", "the broker's metadata image");
        m.put("org/apache/kafka/storage/internals/log/", "the broker's log");
        m.put("org/apache/kafka/server/logger/", "kafka-server");
        m.put("org/apache/kafka/tools/", "kafka-tools");
        m.put("org/apache/logging/log4j/core/", "log4j-core");
        m.put("org/slf4j/reload4j/", "slf4j-reload4j");
        m.put("org/apache/log4j/", "log4j 1 / reload4j");
        m.put("org/slf4j/simple/", "slf4j-simple");
        m.put("io/labhooks/testkit/", "the dev kit (testkit)");
        m.put("io/labhooks/bench/", "the benchmark harness");
        m.put("io/labhooks/cli/LocalCommand", "labhooks local (cli-dev)");
        m.put("io/labhooks/cli/SendCommand", "labhooks send (cli-dev)");
        m.put("io/labhooks/cli/BenchCommand", "labhooks bench (cli-dev)");
        return m;
    }

    @BeforeAll
    static void read() throws IOException {
        jar = Path.of(System.getProperty("labhooks.jar", "target/labhooks.jar"));
        assertThat(jar).as("run mvn package first").exists();
        entries = new ArrayList<>();
        try (JarFile f = new JarFile(jar.toFile())) {
            f.stream().map(JarEntry::getName).forEach(entries::add);
        }
    }

    @Test
    void hasNoneOfTheDevKitTheBrokerScalaKafkaToolsOrASecondLoggingBackend() {
        List<String> found = new ArrayList<>();
        for (String e : entries) {
            for (Map.Entry<String, String> f : FORBIDDEN.entrySet()) {
                if (e.startsWith(f.getKey()) && (e.endsWith(".class") || !f.getKey().equals("kafka/"))) {
                    found.add(e + "  (" + f.getValue() + ")");
                    break;
                }
            }
        }
        assertThat(found).as("entries of " + jar + " that belong to the dev kit").isEmpty();
    }

    @Test
    void hasThePartsAndLogbackAsTheOnlySlf4jProvider() throws IOException {
        assertThat(entries).contains("io/labhooks/ingress/IngressServer.class", "io/labhooks/normalizer/NormalizerApp.class",
                "io/labhooks/sink/SinkApp.class", "io/labhooks/cli/Main.class", "io/labhooks/cli/DevOnly.class",
                "org/apache/kafka/streams/KafkaStreams.class", "ch/qos/logback/classic/Logger.class");
        assertThat(entries).noneMatch(e -> e.equals("META-INF/services/io.labhooks.cli.DevCommand"));
        try (JarFile f = new JarFile(jar.toFile());
             InputStream in = f.getInputStream(f.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo("ch.qos.logback.classic.spi.LogbackServiceProvider");
        }
    }

    @Test
    void theDevCommandsSayTheyNeedTheDevKitAndExit2() throws Exception {
        for (String command : List.of("local", "send", "bench")) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.toString(), command, "--demo").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isEqualTo(2);
            assertThat(out).contains("labhooks " + command + " needs the dev kit: use labhooks-dev.jar")
                    .contains("cli-dev/target/labhooks-dev.jar").doesNotContain("Exception");
        }
    }

    @Test
    void theImageKeepsOnlyItsPlatformsNativeLibrariesAndStillRuns(@TempDir Path dir) throws Exception {
        Path slim = dir.resolve("labhooks-linux.jar");
        Path script = Path.of("..", "deploy", "docker", "strip-natives.sh");
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), jar.toAbsolutePath().toString(), "amd64",
                slim.toString()).redirectErrorStream(true);
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator
                + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> natives = new ArrayList<>();
        List<String> files = new ArrayList<>();
        try (JarFile f = new JarFile(slim.toFile())) {
            f.stream().map(JarEntry::getName).filter(n -> !n.endsWith("/")).forEach(files::add);
            files.stream().filter(ProductionJarIT::isNative).forEach(natives::add);
        }
        assertThat(files).as("every class and resource but the other platforms' libraries")
                .containsAll(entries.stream().filter(n -> !n.endsWith("/") && !isNative(n)).toList());
        assertThat(natives).containsExactlyInAnyOrder("librocksdbjni-linux64.so", "linux/amd64/libzstd-jni-1.5.6-10.so",
                "net/jpountz/util/linux/amd64/liblz4-java.so", "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so",
                "org/xerial/snappy/native/Linux/x86_64/libsnappyjava.so");
        Process v = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                slim.toString(), "--version").redirectErrorStream(true).start();
        String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(v.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(version).startsWith("labhooks ");
    }

    private static boolean isNative(String entry) {
        return entry.matches(".*\\.(so|dll|dylib|jnilib)$");
    }
}
