package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.Vendor;
import io.labhooks.testkit.sim.Credentials;
import io.labhooks.testkit.sim.DeliveryPolicy;
import io.labhooks.testkit.sim.ExpectedState;
import io.labhooks.testkit.sim.Report;
import io.labhooks.testkit.sim.Scenario;
import io.labhooks.testkit.sim.Simulator;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop {@code labhooks local} with SIGTERM in the middle of a load, start it again on the same data dir, let the
 * sender (LML's long retry schedule) finish: every delivery that got a 200 is in the warehouse, exactly once.
 */
class LocalRestartIT {
    @TempDir
    Path dir;

    @Test
    void aRestartMidLoadLosesAndDuplicatesNothingThatWasAcknowledged() throws Exception {
        Path data = dir.resolve("data");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String[] args = {"--data-dir", data.toString(), "--port", Integer.toString(port), "--kafka-port", "0"};
        Scenario scenario = Scenario.build(Scenario.Options.of(Vendor.LML).withCount(40).withRevisions(2)
                .withDuplicates(0.2).withShuffle(true).withSeed(5).withIdPrefix("restart-"));
        AtomicReference<Report> progress = new AtomicReference<>();
        Report report;
        try (LocalProcess first = new LocalProcess(args)) {
            first.awaitStarted(Duration.ofSeconds(90));
            try (Simulator sim = Simulator.builder(URI.create("http://127.0.0.1:" + port + "/hooks/lml"))
                    .credentials(Credentials.forVendor(Vendor.LML, "dev-lml-token")).rate(20).concurrency(2)
                    .policy(DeliveryPolicy.lml())   // the default is Flabs' 3 retries: 18 s scaled, shorter than a slow restart
                    .timeScale(0.05) // LML's 1m, 5m, 15m, 1h ... become 3 s, 15 s, 45 s, 3 min
                    .progress(Duration.ofMillis(200), progress::set).build()) {
                CompletableFuture<Report> run = CompletableFuture.supplyAsync(() -> {
                    try {
                        return sim.run(scenario);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(60)).until(() -> progress.get() != null && progress.get().ok() >= scenario.size() / 3);
                assertThat(first.terminate(Duration.ofSeconds(60))).as(first.output()).isZero();
                try (LocalProcess second = new LocalProcess(args)) {
                    second.awaitStarted(Duration.ofSeconds(90));
                    report = run.get(5, TimeUnit.MINUTES);
                    assertThat(report.allAcknowledged()).as(report.summary()).isTrue();
                    assertThat(report.failures()).as("the restart was noticed by the sender").isNotEmpty();

                    ExpectedState expected = scenario.expected(report.acknowledgedEventKeys());
                    Map<String, Integer> want = new HashMap<>();
                    expected.events().forEach(e -> want.merge(e.entityKey() + "|" + e.type() + "|" + e.version(), 1, Integer::sum));
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                        Map<String, Integer> have = new HashMap<>();
                        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("warehouse.db"));
                             Statement s = c.createStatement();
                             ResultSet rs = s.executeQuery("SELECT entity_key, type, version FROM lab_events WHERE vendor = 'lml'")) {
                            while (rs.next()) {
                                have.merge(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getLong(3), 1, Integer::sum);
                            }
                        }
                        assertThat(have).isEqualTo(want);
                    });
                    assertThat(second.terminate(Duration.ofSeconds(60))).as(second.output()).isZero();
                }
            }
        }
    }
}
