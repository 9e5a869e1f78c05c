package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.IngressConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on the HTTP path, against a real embedded broker that is stopped and started again. */
class SpoolingIngressTest {
    static final List<SourceConfig> SOURCES = List.of(SourceConfig.of("open", Vendor.GENERIC, AuthConfig.none()));
    static final Duration ACK_TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    Path tmp;

    static byte[] body(int i) {
        return ("{\"i\":" + i + ",\"text\":\"caf\u00e9 \\u00e9\"}").getBytes(StandardCharsets.UTF_8);
    }

    static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void ackKafkaFallsBackToTheSpoolWhenKafkaDoesNotAckThenGoesStraightToItAndDrainsWhenKafkaReturns() throws Exception {
        try (RestartableKafka broker = new RestartableKafka(tmp.resolve("kafka"))) {
            broker.createTopics(new NewTopic(Topics.RAW, 1, (short) 1));
            try (SpoolingFixture f = new SpoolingFixture(broker.bootstrap(), SOURCES, SpoolingFixture.config(
                    IngressConfig.AckMode.KAFKA, ACK_TIMEOUT, tmp.resolve("spool"), 64L << 20, Duration.ofSeconds(5)))) {
                await().atMost(Duration.ofSeconds(20)).until(f.kafka::ready);
                Map<String, byte[]> sent = new HashMap<>();
                HttpResponse<String> r = f.post("/hooks/open", body(0));
                assertThat(r.statusCode()).isEqualTo(200);
                sent.put(SpoolingFixture.deliveryId(r), body(0));
                assertThat(f.acks("open", "kafka")).isEqualTo(1);
                assertThat(f.publisher.publishesWithoutBlocking(64)).as("Kafka acked: a publish is a send that returns at once").isTrue();

                broker.stop();
                long t0 = System.nanoTime();
                r = f.post("/hooks/open", body(1));
                Duration fallback = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(r.statusCode()).as("no ack within ack-timeout: spooled, 200").isEqualTo(200);
                sent.put(SpoolingFixture.deliveryId(r), body(1));
                assertThat(fallback).isGreaterThanOrEqualTo(ACK_TIMEOUT.minusMillis(100));
                assertThat(f.acks("open", "spool")).isEqualTo(1);
                assertThat(f.metric("labhooks_spool_records")).isGreaterThanOrEqualTo(1);
                assertThat(f.publisher.publishesWithoutBlocking(64)).as("a backlog in the spool: publishes write the spool").isFalse();
                assertThat(f.kafka.publishesWithoutBlocking(64)).as("an overdue ack: sends may block until the next ack").isFalse();

                // the spool is not empty: straight to the spool, without waiting for Kafka
                for (int i = 2; i < 12; i++) {
                    t0 = System.nanoTime();
                    r = f.post("/hooks/open", body(i));
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(ACK_TIMEOUT);
                    sent.put(SpoolingFixture.deliveryId(r), body(i));
                }
                assertThat(f.acks("open", "spool")).isEqualTo(11);
                assertThat(f.get("/health/ready").statusCode()).as("ready: the spool takes records").isEqualTo(200);
                assertThat(f.metric("labhooks_spool_max_bytes")).isEqualTo(64L << 20);
                assertThat(f.metric("labhooks_spool_bytes")).isPositive();
                assertThat(f.metric("labhooks_spool_oldest_age_seconds")).isGreaterThanOrEqualTo(0);
                assertThat(f.metric("labhooks_spool_native_memory_bytes{kind=\"memtables\"}"))
                        .as("the spooled records sit in RocksDB's write buffer, off the heap").isPositive();
                assertThat(f.metric("labhooks_spool_native_memory_bytes{kind=\"block_cache\"}")).isGreaterThanOrEqualTo(0);

                broker.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> f.store.records() == 0);
                assertThat(f.metric("labhooks_spool_records")).isZero();
                assertThat(f.metric("labhooks_spool_forwarded_total")).isGreaterThanOrEqualTo(11);
                assertThat(f.metric("labhooks_spool_oldest_age_seconds")).isZero();
                assertAllInRaw(broker.bootstrap(), sent);
                await().atMost(Duration.ofSeconds(10)).until(() -> f.publisher.publishesWithoutBlocking(64));
            }
        }
    }

    @Test
    void ackKafkaGoesStraightToTheSpoolWhenTheClusterIsKnownUnreachable() throws Exception {
        try (SpoolingFixture f = new SpoolingFixture("127.0.0.1:" + deadPort(), SOURCES, SpoolingFixture.config(
                IngressConfig.AckMode.KAFKA, Duration.ofSeconds(3), tmp.resolve("spool"), 64L << 20, Duration.ofSeconds(1)))) {
            await().atMost(Duration.ofSeconds(15)).until(f.kafka::knownUnreachable);
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = f.post("/hooks/open", body(i));
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).startsWith("{\"status\":\"accepted\"");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no wait for the ack timeout").isLessThan(Duration.ofSeconds(1));
            }
            assertThat(f.store.records()).isEqualTo(5);
            assertThat(f.publisher.publishesWithoutBlocking(64)).isFalse();
            assertThat(f.acks("open", "spool")).isEqualTo(5);
            assertThat(f.acks("open", "kafka")).isZero();
            assertThat(f.get("/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void ackSpoolSyncsEveryRecordToTheSpoolFirstAndTheForwarderDrainsIt() throws Exception {
        try (RestartableKafka broker = new RestartableKafka(tmp.resolve("kafka"))) {
            broker.createTopics(new NewTopic(Topics.RAW, 1, (short) 1));
            try (SpoolingFixture f = new SpoolingFixture(broker.bootstrap(), SOURCES, SpoolingFixture.config(
                    IngressConfig.AckMode.SPOOL, ACK_TIMEOUT, tmp.resolve("spool"), 64L << 20, Duration.ofSeconds(5)))) {
                await().atMost(Duration.ofSeconds(20)).until(f.kafka::ready);
                Map<String, byte[]> sent = new HashMap<>();
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = f.post("/hooks/open", body(i));
                    assertThat(r.statusCode()).isEqualTo(200);
                    sent.put(SpoolingFixture.deliveryId(r), body(i));
                }
                assertThat(f.acks("open", "spool")).isEqualTo(20);
                assertThat(f.acks("open", "kafka")).isZero();
                assertThat(f.publisher.publishesWithoutBlocking(64)).as("ack: spool: every publish syncs the spool").isFalse();
                await().atMost(Duration.ofSeconds(30)).until(() -> f.store.records() == 0);
                assertThat(f.metric("labhooks_spool_forwarded_total")).isEqualTo(20);
                assertAllInRaw(broker.bootstrap(), sent);
            }
        }
    }

    @Test
    void gracefulShutdownLeavesWhatKafkaDidNotTakeAndTheNextStartForwardsIt() throws Exception {
        Path spool = tmp.resolve("spool");
        Map<String, byte[]> sent = new HashMap<>();
        Duration shutdownTimeout = Duration.ofSeconds(2);
        SpoolingFixture down = new SpoolingFixture("127.0.0.1:" + deadPort(), SOURCES,
                SpoolingFixture.config(IngressConfig.AckMode.KAFKA, ACK_TIMEOUT, spool, 64L << 20, shutdownTimeout));
        try {
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> r = down.post("/hooks/open", body(i));
                assertThat(r.statusCode()).isEqualTo(200);
                sent.put(SpoolingFixture.deliveryId(r), body(i));
            }
        } finally {
            long t0 = System.nanoTime();
            down.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("close is bounded").isLessThan(Duration.ofSeconds(25));
        }
        try (RestartableKafka broker = new RestartableKafka(tmp.resolve("kafka"))) {
            broker.createTopics(new NewTopic(Topics.RAW, 1, (short) 1));
            try (SpoolingFixture next = new SpoolingFixture(broker.bootstrap(), SOURCES,
                    SpoolingFixture.config(IngressConfig.AckMode.KAFKA, ACK_TIMEOUT, spool, 64L << 20, shutdownTimeout))) {
                assertThat(next.store.records()).as("recovered from the spool").isEqualTo(30);
                await().atMost(Duration.ofSeconds(60)).until(() -> next.store.records() == 0);
                assertAllInRaw(broker.bootstrap(), sent);
            }
        }
    }

    @Test
    void aRecordKafkaRefusesForGoodGoesToTheDlqWithTheErrorHeadersAndLeavesTheSpool() throws Exception {
        try (RestartableKafka broker = new RestartableKafka(tmp.resolve("kafka"))) {
            broker.createTopics(new NewTopic(Topics.RAW, 1, (short) 1).configs(Map.of("max.message.bytes", "2048")),
                    new NewTopic(Topics.DLQ, 1, (short) 1));
            try (SpoolingFixture f = new SpoolingFixture(broker.bootstrap(), SOURCES, SpoolingFixture.config(
                    IngressConfig.AckMode.KAFKA, ACK_TIMEOUT, tmp.resolve("spool"), 64L << 20, Duration.ofSeconds(5)))) {
                await().atMost(Duration.ofSeconds(20)).until(f.kafka::ready);
                byte[] big = ("{\"pad\":\"" + "x".repeat(10_000) + "\"}").getBytes(StandardCharsets.UTF_8);
                HttpResponse<String> r = f.post("/hooks/open", big);
                assertThat(r.statusCode()).as("durable in the spool, then in the DLQ: 200").isEqualTo(200);
                String id = SpoolingFixture.deliveryId(r);
                await().atMost(Duration.ofSeconds(30)).until(() -> f.store.records() == 0);
                List<ConsumerRecord<String, byte[]>> dlq = SpoolingFixture.read(broker.bootstrap(), Topics.DLQ, 1, Duration.ofSeconds(20));
                assertThat(dlq).hasSize(1);
                ConsumerRecord<String, byte[]> d = dlq.get(0);
                assertThat(d.key()).isEqualTo(id);
                assertThat(d.value()).isEqualTo(big);
                assertThat(SpoolingFixture.header(d, Headers.ERROR_STAGE)).isEqualTo("ingress");
                assertThat(SpoolingFixture.header(d, Headers.ERROR_REASON)).isEqualTo("kafka-refused");
                assertThat(SpoolingFixture.header(d, Headers.ERROR_TOPIC)).isEqualTo(Topics.RAW);
                assertThat(SpoolingFixture.header(d, Headers.ERROR_MESSAGE)).contains("RecordTooLargeException");
                assertThat(SpoolingFixture.header(d, Headers.DELIVERY_ID)).isEqualTo(id);
                assertThat(SpoolingFixture.header(d, Headers.SOURCE)).isEqualTo("open");

                // a small one still goes to raw
                Map<String, byte[]> sent = new HashMap<>();
                r = f.post("/hooks/open", body(1));
                assertThat(r.statusCode()).isEqualTo(200);
                sent.put(SpoolingFixture.deliveryId(r), body(1));
                assertAllInRaw(broker.bootstrap(), sent);
            }
        }
    }

    @Test
    void aRecordTheDlqRefusesTooIsParkedInTheSpoolAndDoesNotHoldUpTheOthers() throws Exception {
        try (RestartableKafka broker = new RestartableKafka(tmp.resolve("kafka"))) {
            broker.createTopics(new NewTopic(Topics.RAW, 1, (short) 1).configs(Map.of("max.message.bytes", "2048")),
                    new NewTopic(Topics.DLQ, 1, (short) 1).configs(Map.of("max.message.bytes", "2048")));
            try (SpoolingFixture f = new SpoolingFixture(broker.bootstrap(), SOURCES, SpoolingFixture.config(
                    IngressConfig.AckMode.SPOOL, ACK_TIMEOUT, tmp.resolve("spool"), 64L << 20, Duration.ofSeconds(2)))) {
                await().atMost(Duration.ofSeconds(20)).until(f.kafka::ready);
                byte[] big = ("{\"pad\":\"" + "x".repeat(10_000) + "\"}").getBytes(StandardCharsets.UTF_8);
                assertThat(f.post("/hooks/open", big).statusCode()).isEqualTo(200);
                Map<String, byte[]> sent = new HashMap<>();
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> r = f.post("/hooks/open", body(i));
                    assertThat(r.statusCode()).isEqualTo(200);
                    sent.put(SpoolingFixture.deliveryId(r), body(i));
                }
                assertAllInRaw(broker.bootstrap(), sent);
                await().atMost(Duration.ofSeconds(20)).until(() -> f.store.records() == 1);
                assertThat(f.metric("labhooks_spool_forwarded_total")).isEqualTo(5);
                assertThat(f.store.read(0, 10, Long.MAX_VALUE)).singleElement()
                        .satisfies(e -> assertThat(e.record().body()).isEqualTo(big));
            }
        }
    }

    @Test
    void aFullSpoolAnswers503WithRetryAfterAndIsNotReady() throws Exception {
        try (SpoolingFixture f = new SpoolingFixture("127.0.0.1:" + deadPort(), SOURCES, SpoolingFixture.config(
                IngressConfig.AckMode.SPOOL, ACK_TIMEOUT, tmp.resolve("spool"), 1L << 20, Duration.ofSeconds(1)))) {
            byte[] body = ("{\"pad\":\"" + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                codes.add(f.post("/hooks/open", body).statusCode());
            }
            assertThat(codes.subList(0, 10)).containsOnly(200);
            HttpResponse<String> r = f.post("/hooks/open", body);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(r.body()).contains("unavailable");
            assertThat(f.get("/health/ready").statusCode()).isEqualTo(503);
            assertThat(f.metrics()).contains("labhooks_ingress_requests_total{code=\"503\",source=\"open\",vendor=\"generic\"}");
        }
    }

    @Test
    void aFullDiskAnswers503AndTheIngressRecoversWhenSpaceReturns() throws Exception {
        Path mnt = java.nio.file.Files.createDirectories(tmp.resolve("tmpfs"));
        org.junit.jupiter.api.Assumptions.assumeTrue(io.labhooks.ingress.spool.TmpfsAccess.mount(mnt, "2m"),
                "cannot mount a tmpfs here (not root?)");
        try (SpoolingFixture f = new SpoolingFixture("127.0.0.1:" + deadPort(), SOURCES, SpoolingFixture.config(
                IngressConfig.AckMode.SPOOL, ACK_TIMEOUT, mnt.resolve("spool"), 1L << 30, Duration.ofSeconds(1)))) {
            byte[] body = ("{\"pad\":\"" + "x".repeat(64 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            int code = 200;
            for (int i = 0; i < 200 && code == 200; i++) {
                code = f.post("/hooks/open", body).statusCode();
            }
            assertThat(code).as("the disk fills up: 503, no crash").isEqualTo(503);
            assertThat(f.get("/health/live").statusCode()).isEqualTo(200);
            io.labhooks.ingress.spool.TmpfsAccess.resize(mnt, "64m");
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> f.post("/hooks/open", body).statusCode() == 200);
            assertThat(f.get("/health/ready").statusCode()).isEqualTo(200);
        } finally {
            io.labhooks.ingress.spool.TmpfsAccess.unmount(mnt);
        }
    }

    static void assertAllInRaw(String bootstrap, Map<String, byte[]> sent) {
        List<ConsumerRecord<String, byte[]>> raw = IngressFixture.readRaw(bootstrap, sent.size(), Duration.ofSeconds(30));
        Map<String, byte[]> got = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : raw) {
            got.put(r.key(), r.value());
            assertThat(SpoolingFixture.header(r, Headers.DELIVERY_ID)).isEqualTo(r.key());
        }
        assertThat(got.keySet()).containsAll(sent.keySet());
        sent.forEach((id, bytes) -> assertThat(got.get(id)).as(id).isEqualTo(bytes));
    }
}
