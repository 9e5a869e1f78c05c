package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code labhooks local --demo} on a fresh data dir, from the built dev jar: about 20 s of demo traffic and a
 * SIGTERM, and not one WARN or ERROR line. The data dir is under target/, not the OS temp dir: Kafka Streams rightly
 * warns about a state dir in /tmp, and that warning is kept.
 */
class LocalQuietIT {
    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) ");

    Path data;

    @BeforeEach
    void freshDataDir() throws IOException {
        Files.createDirectories(Path.of("target"));
        data = Files.createTempDirectory(Path.of("target"), "local-quiet-").resolve("data");
    }

    @AfterEach
    void delete() throws IOException {
        try (Stream<Path> s = Files.walk(data.getParent())) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aCleanStartWithTheDemoPrintsNoWarnOrErrorLine() throws Exception {
        // The checkout itself may sit in the OS temp dir (CI clones there), which would make Streams warn about a data
        // dir that this test put under target/: the child gets a temp dir of its own, so only a data dir in the
        // real temp dir warns.
        Path jvmTmp = Files.createDirectories(data.getParent().resolve("jvm-tmp"));
        try (LocalProcess local = new LocalProcess(List.of("-Djava.io.tmpdir=" + jvmTmp.toAbsolutePath()),
                "--demo", "--data-dir", data.toString(), "--port", "0", "--kafka-port", "0")) {
            local.awaitStarted(Duration.ofSeconds(90));
            // four progress lines, 5 s apart, the last with deliveries acknowledged and rows written
            await().atMost(Duration.ofSeconds(60)).until(() -> local.out.stream().filter(l -> l.startsWith("demo: ")
                    && l.contains("acknowledged")).count() >= 4);
            assertThat(local.terminate(Duration.ofSeconds(60))).as(local.output()).isZero();
            // the reader thread may still be draining the last lines
            await().atMost(Duration.ofSeconds(10)).until(() -> local.out.stream().anyMatch(l -> l.contains("stopped cleanly")));
            List<String> noisy = local.out.stream().filter(l -> WARN_OR_ERROR.matcher(l).find()).toList();
            assertThat(noisy).as(local.output()).isEmpty();
            assertThat(local.out).noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
        }
    }
}
