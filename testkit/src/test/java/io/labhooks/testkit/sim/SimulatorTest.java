package io.labhooks.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.Vendor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    private static Delivery delivery(String name) {
        return Delivery.postJson(("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8), "event " + name, Map.of());
    }

    private static List<Delivery> deliveries(int n) {
        List<Delivery> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(delivery("d" + i));
        }
        return out;
    }

    private static String body(SimReceiver.Request r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static Simulator.Builder sim(SimReceiver receiver, DeliveryPolicy policy) {
        return Simulator.builder(receiver.uri("/hooks/test")).policy(policy);
    }

    @Test
    void aServerThatFailsTheFirstTwoAttemptsGetsTheEventOnTheThird() throws Exception {
        try (SimReceiver receiver = SimReceiver.start(r -> r.number() <= 2 ? 500 : 200);
             Simulator sim = sim(receiver, DeliveryPolicy.flabs()).timeScale(0.0001).build()) {
            Report report = sim.run(List.of(delivery("only")));

            assertThat(receiver.requests()).hasSize(3)
                    .allSatisfy(r -> assertThat(body(r)).isEqualTo("{\"name\":\"only\"}"));
            assertThat(report.acknowledged()).isEqualTo(1);
            assertThat(report.sent()).isEqualTo(3);
            assertThat(report.ok()).isEqualTo(1);
            assertThat(report.retries()).isEqualTo(2);
            assertThat(report.failures()).containsExactly(Map.entry("500", 2L));
            assertThat(report.gaveUp()).isZero();
            assertThat(report.exitCode()).isZero();
            assertThat(report.acknowledgedEventKeys()).containsExactly("event only");
            assertThat(report.latencyP50Millis()).isPositive();
        }
    }

    @Test
    void flabsGivesUpAfterThreeRetries() throws Exception {
        try (SimReceiver receiver = SimReceiver.answering(503);
             Simulator sim = sim(receiver, DeliveryPolicy.flabs()).timeScale(0).build()) {
            Report report = sim.run(List.of(delivery("lost")));

            assertThat(receiver.requests()).hasSize(4);
            assertThat(report.gaveUp()).isEqualTo(1);
            assertThat(report.retries()).isEqualTo(3);
            assertThat(report.failures()).containsExactly(Map.entry("503", 4L));
            assertThat(report.acknowledgedEventKeys()).isEmpty();
            assertThat(report.disabled()).isFalse();
            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.summary()).contains("gave up     1", "503=4", "FAILED");
        }
    }

    @Test
    void flabsCountsA202AsDeliveredConfidentDoesNot() throws Exception {
        try (SimReceiver receiver = SimReceiver.answering(202);
             Simulator sim = sim(receiver, DeliveryPolicy.flabs()).timeScale(0).build()) {
            Report report = sim.run(List.of(delivery("accepted")));
            assertThat(receiver.requests()).hasSize(1);
            assertThat(report.acknowledgedEventKeys()).containsExactly("event accepted");
        }
        try (SimReceiver receiver = SimReceiver.answering(202);
             Simulator sim = sim(receiver, DeliveryPolicy.confident()).timeScale(0).build()) {
            Report report = sim.run(List.of(delivery("refused")));
            assertThat(receiver.requests()).hasSize(4);
            assertThat(report.acknowledgedEventKeys()).isEmpty();
        }
    }

    @Test
    void tenConsecutiveFailuresDisableAConfidentWebhook() throws Exception {
        try (SimReceiver receiver = SimReceiver.answering(500);
             Simulator sim = sim(receiver, DeliveryPolicy.confident()).concurrency(1).timeScale(0).build()) {
            Report report = sim.run(deliveries(5)); // up to 20 attempts without the disabling

            assertThat(receiver.requests()).hasSize(10);
            assertThat(report.disabled()).isTrue();
            assertThat(report.sent()).isEqualTo(10);
            assertThat(report.acknowledged()).isZero();
            assertThat(report.gaveUp() + report.abandoned()).isEqualTo(5);
            assertThat(report.abandoned()).isPositive();
            assertThat(report.exitCode()).isEqualTo(1);
            assertThat(report.summary()).contains("disabled    YES");
        }
    }

    @Test
    void aSuccessBetweenFailuresKeepsTheWebhookEnabled() throws Exception {
        // nine failures, one success, nine failures, …: never ten in a row
        try (SimReceiver receiver = SimReceiver.start(r -> r.number() % 10 == 0 ? 200 : 500);
             Simulator sim = sim(receiver, DeliveryPolicy.confident()).concurrency(1).timeScale(0).build()) {
            Report report = sim.run(deliveries(8));

            assertThat(report.disabled()).isFalse();
            assertThat(report.abandoned()).isZero();
            assertThat(report.failures().get("500")).isGreaterThanOrEqualTo(10L);
            assertThat(report.acknowledged() + report.gaveUp()).isEqualTo(8);
            assertThat(receiver.requests()).hasSize((int) report.sent());
        }
    }

    @Test
    void aServerSlowerThanFlabsResponseLimitCountsAsAFailure() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // Flabs' 10 s limit at the test's time scale: 10 s x 0.03 = 300 ms
        Duration limit = DeliveryPolicy.scale(DeliveryPolicy.flabs().requestTimeout(), 0.03);
        assertThat(limit).isEqualTo(Duration.ofMillis(300));
        try (SimReceiver receiver = SimReceiver.start(r -> {
                 if (r.number() == 1) {
                     release.await(20, TimeUnit.SECONDS); // slower than the limit
                 }
                 return 200;
             });
             Simulator sim = sim(receiver, DeliveryPolicy.flabs().withRequestTimeout(limit)).timeScale(0.001).build()) {
            Report report = sim.run(List.of(delivery("slow")));
            release.countDown();

            assertThat(report.failures()).containsExactly(Map.entry("timeout", 1L));
            assertThat(report.sent()).isEqualTo(2);
            assertThat(report.acknowledged()).isEqualTo(1);
            assertThat(report.elapsed()).isGreaterThanOrEqualTo(limit.plusMillis(120));
            assertThat(receiver.requests()).hasSize(2);
        } finally {
            release.countDown();
        }
    }

    @Test
    void retryIntervalsScaleWithTheTimeScale() throws Exception {
        for (double scale : new double[] {0.0005, 0.002}) {
            Duration expected = DeliveryPolicy.flabs().retryDelay(1, scale); // 2 min x scale: 60 ms, 240 ms
            try (SimReceiver receiver = SimReceiver.start(r -> r.number() == 1 ? 500 : 200);
                 Simulator sim = sim(receiver, DeliveryPolicy.flabs()).timeScale(scale).build()) {
                Report report = sim.run(List.of(delivery("again")));

                assertThat(report.acknowledged()).isEqualTo(1);
                List<SimReceiver.Request> got = receiver.requests();
                assertThat(got).hasSize(2);
                Duration gap = Duration.ofNanos(got.get(1).atNanos() - got.get(0).atNanos());
                assertThat(gap).as("scale " + scale).isGreaterThanOrEqualTo(expected)
                        .isLessThan(expected.plusSeconds(5)); // nowhere near the unscaled 2 minutes
            }
        }
        assertThat(DeliveryPolicy.lml().retryDelay(8, 0.001)).isEqualTo(Duration.ofMillis(86_400));
    }

    @Test
    void aDeliveryWaitingForItsRetryDoesNotHoldUpTheOthers() throws Exception {
        try (SimReceiver receiver = SimReceiver.start(r -> r.number() == 1 ? 500 : 200);
             Simulator sim = sim(receiver, DeliveryPolicy.flabs()).concurrency(1).timeScale(0.005).build()) {
            Report report = sim.run(deliveries(4));

            assertThat(report.acknowledged()).isEqualTo(4);
            assertThat(receiver.requests()).extracting(SimulatorTest::body).containsExactly(
                    "{\"name\":\"d1\"}", "{\"name\":\"d2\"}", "{\"name\":\"d3\"}", "{\"name\":\"d4\"}", "{\"name\":\"d1\"}");
        }
    }

    @Test
    void theRateSpacesRequests() throws Exception {
        try (SimReceiver receiver = SimReceiver.answering(200);
             Simulator sim = sim(receiver, DeliveryPolicy.lml()).rate(20).concurrency(8).build()) {
            Report report = sim.run(deliveries(6));

            assertThat(report.acknowledged()).isEqualTo(6);
            List<SimReceiver.Request> got = receiver.requests();
            // 20 per second: 50 ms apart, 250 ms from the first to the sixth (some slack for arrival jitter)
            assertThat(Duration.ofNanos(got.get(5).atNanos() - got.get(0).atNanos())).isGreaterThan(Duration.ofMillis(200));
        }
    }

    @Test
    void theRateCatchesUpAfterALateRequestInsteadOfLosingItsSlots() throws Exception {
        // the receiver answers the first request 600 ms late; with one connection, the next five slots (at 100-500 ms)
        // pass meanwhile
        try (SimReceiver receiver = SimReceiver.start(r -> {
            if (r.number() == 1) {
                TimeUnit.MILLISECONDS.sleep(600);
            }
            return 200;
        });
             Simulator sim = sim(receiver, DeliveryPolicy.lml()).rate(10).concurrency(1).build()) {
            Report report = sim.run(deliveries(6));

            assertThat(report.acknowledged()).isEqualTo(6);
            List<SimReceiver.Request> got = receiver.requests();
            // on schedule, the sixth was due 500 ms after the first, before the first was answered: the five late ones go
            // back to back right after it. Without the catch-up they would go 100 ms apart from then: 1,000 ms in all.
            Duration firstToLast = Duration.ofNanos(got.get(5).atNanos() - got.get(0).atNanos());
            assertThat(firstToLast).isGreaterThanOrEqualTo(Duration.ofMillis(550)).isLessThan(Duration.ofMillis(850));
        }
    }

    @Test
    void credentialsAreSentTheWayEachVendorSendsThem() throws Exception {
        try (SimReceiver receiver = SimReceiver.answering(200)) {
            try (Simulator sim = Simulator.builder(receiver.uri("/hooks/flabs")).credentials(Credentials.bearer("tok-1")).build()) {
                sim.run(List.of(delivery("f")));
            }
            try (Simulator sim = Simulator.builder(receiver.uri("/hooks/confident")).credentials(Credentials.pathToken("tok-2")).build()) {
                sim.run(List.of(delivery("c")));
            }
            Delivery typed = Delivery.postJson("{\"id\":1}".getBytes(StandardCharsets.UTF_8), "k",
                    Map.of("X-Coreone-Webhook-Type", "client/update"));
            try (Simulator sim = Simulator.builder(receiver.uri("/hooks/coreone")).credentials(Credentials.coreOneHmac("s3cret")).build()) {
                sim.run(List.of(typed));
            }
            List<SimReceiver.Request> got = receiver.requests();
            assertThat(got.get(0).path()).isEqualTo("/hooks/flabs");
            assertThat(got.get(0).header("Authorization")).isEqualTo("Bearer tok-1");
            assertThat(got.get(0).header("Content-Type")).isEqualTo("application/json");
            assertThat(got.get(1).path()).isEqualTo("/hooks/confident/tok-2");
            assertThat(got.get(1).header("Authorization")).isNull();
            assertThat(got.get(2).header("X-Coreone-Webhook-Type")).isEqualTo("client/update");
            assertThat(got.get(2).header("X-Coreone-Webhook-Hash"))
                    .isEqualTo(hmacHex("s3cret", "{\"id\":1}".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(hmacHex("s3cret", got.get(2).body()));
        }
    }

    @Test
    void aPathTokenIsAppendedToThePathOnce() {
        assertThat(Simulator.target(URI.create("http://h:1/hooks/confident"), "/t")).hasToString("http://h:1/hooks/confident/t");
        assertThat(Simulator.target(URI.create("http://h:1/hooks/confident/"), "/t")).hasToString("http://h:1/hooks/confident/t");
        assertThat(Simulator.target(URI.create("http://h:1/hooks/confident?x=1"), "/t")).hasToString("http://h:1/hooks/confident/t?x=1");
        assertThat(Simulator.target(URI.create("http://h:1/hooks/flabs"), "")).hasToString("http://h:1/hooks/flabs");
    }

    @Test
    void anUnreachableReceiverIsAConnectFailure() throws Exception {
        URI closed;
        try (SimReceiver receiver = SimReceiver.answering(200)) {
            closed = receiver.uri("/hooks/flabs");
        }
        try (Simulator sim = Simulator.builder(closed).policy(DeliveryPolicy.flabs()).timeScale(0).build()) {
            Report report = sim.run(List.of(delivery("nobody")));

            assertThat(report.failures()).containsOnlyKeys("connect");
            assertThat(report.sent()).isEqualTo(4);
            assertThat(report.gaveUp()).isEqualTo(1);
            assertThat(report.uncertain()).isZero();
            assertThat(report.latencyP50Millis()).isNaN();
        }
    }

    @Test
    void theExpectedStateHoldsOnlyAcknowledgedEvents() throws Exception {
        Scenario scenario = Scenario.build(Scenario.Options.of(Vendor.FLABS).withCount(4));
        String refused = "\"billID\":\"s1-bill_000002\"";
        try (SimReceiver receiver = SimReceiver.start(r -> body(r).contains(refused) ? 500 : 200);
             Simulator sim = Simulator.builder(receiver.uri("/hooks/flabs")).policy(DeliveryPolicy.flabs())
                     .credentials(Credentials.bearer("t")).timeScale(0).build()) {
            Report report = sim.run(scenario);

            ExpectedState all = scenario.expected();
            ExpectedState got = scenario.expected(report.acknowledgedEventKeys());
            assertThat(all.entities()).hasSize(4);
            assertThat(got.entities()).hasSize(3).noneMatch(e -> e.entityId().endsWith("bill_000002"));
            assertThat(report.gaveUp()).isPositive();
            assertThat(report.acknowledged()).isEqualTo(scenario.size() - report.gaveUp());
            assertThat(report.exitCode()).isEqualTo(1);
        }
    }

    @Test
    void progressIsReportedWhileARunGoesOn() throws Exception {
        List<Report> seen = Collections.synchronizedList(new ArrayList<>());
        try (SimReceiver receiver = SimReceiver.start(r -> r.number() == 1 ? 500 : 200);
             Simulator sim = sim(receiver, DeliveryPolicy.flabs()).timeScale(0.003) // a 360 ms retry
                     .progress(Duration.ofMillis(50), seen::add).build()) {
            Report report = sim.run(List.of(delivery("p")));

            assertThat(report.finished()).isTrue();
            List<Report> snapshots = List.copyOf(seen);
            assertThat(snapshots).isNotEmpty().allSatisfy(r -> assertThat(r.deliveries()).isEqualTo(1))
                    .anySatisfy(r -> assertThat(r.progressLine()).contains("0/1 done", "failed 500=1"));
        }
    }

    @Test
    void interruptingARunCancelsItsWaitingRetries() throws Exception {
        try (SimReceiver receiver = SimReceiver.answering(500);
             Simulator sim = sim(receiver, DeliveryPolicy.lml()).build()) { // the first retry waits a real minute
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread runner = new Thread(() -> {
                try {
                    sim.run(List.of(delivery("waiting")));
                } catch (InterruptedException | RuntimeException e) {
                    thrown.set(e);
                }
            });
            runner.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);
            runner.interrupt();
            await().atMost(Duration.ofSeconds(10)).until(() -> !runner.isAlive());

            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }
}
