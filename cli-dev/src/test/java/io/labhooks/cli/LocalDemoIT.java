package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labhooks local --demo} from the built jar: rows from all four vendors within 60 s, then SIGTERM exits 0. */
class LocalDemoIT {
    @TempDir
    Path dir;

    @Test
    void theDemoFillsTheWarehouseFromAllFourVendorsAndSigtermExitsZero() throws Exception {
        Path data = dir.resolve("data");
        try (LocalProcess local = new LocalProcess("--demo", "--data-dir", data.toString(), "--port", "0", "--kafka-port", "0")) {
            local.awaitStarted(Duration.ofSeconds(90));
            long started = System.nanoTime();
            Set<String> vendors = new HashSet<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("warehouse.db"));
                     Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT DISTINCT vendor FROM lab_entities")) {
                    while (rs.next()) {
                        vendors.add(rs.getString(1));
                    }
                }
                return vendors.size() == 4;
            });
            assertThat(vendors).containsExactlyInAnyOrder("confident", "coreone", "flabs", "lml");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(61));
            await().atMost(Duration.ofSeconds(30)).until(() -> local.out.stream().anyMatch(l -> l.startsWith("demo: ") && l.contains("acknowledged")));
            assertThat(local.terminate(Duration.ofSeconds(60))).as(local.output()).isZero();
            assertThat(local.out).noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
        }
    }
}
