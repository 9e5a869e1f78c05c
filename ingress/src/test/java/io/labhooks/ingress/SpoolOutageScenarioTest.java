package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.IngressConfig;
import io.labhooks.schemas.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short default-build scenario: deliveries over real HTTP while the broker is down for about 10 s (stopped, then
 * started again on the same port and data dir). Every delivery gets 200, the spool takes over, and once the broker
 * is back the spool drains to 0 and every delivery is in labhooks.raw.v1, with its exact bytes.
 */
class SpoolOutageScenarioTest {
    static final int SENDERS = 4;

    @TempDir
    Path tmp;

    @Test
    void aTenSecondBrokerOutageCostsNoDeliveryAndNoNon200() throws Exception {
        Map<String, byte[]> sent = new ConcurrentHashMap<>();
        List<Integer> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger count = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try (RestartableKafka broker = new RestartableKafka(tmp.resolve("kafka"))) {
            broker.createTopics(new NewTopic(Topics.RAW, 3, (short) 1));
            try (SpoolingFixture f = new SpoolingFixture(broker.bootstrap(), SpoolingIngressTest.SOURCES, SpoolingFixture.config(
                    IngressConfig.AckMode.KAFKA, Duration.ofSeconds(1), tmp.resolve("spool"), 256L << 20, Duration.ofSeconds(5)))) {
                await().atMost(Duration.ofSeconds(20)).until(f.kafka::ready);
                List<Future<?>> running = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    int sender = s;
                    running.add(senders.submit(() -> {
                        for (int i = 0; !stop.get(); i++) {
                            byte[] body = ("{\"sender\":" + sender + ",\"i\":" + i + ",\"note\":\"\u00b5g/L\"}").getBytes(StandardCharsets.UTF_8);
                            HttpResponse<String> r = f.post("/hooks/open", body);
                            count.incrementAndGet();
                            if (r.statusCode() == 200) {
                                sent.put(SpoolingFixture.deliveryId(r), body);
                            } else {
                                failures.add(r.statusCode());
                            }
                        }
                        return null;
                    }));
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> count.get() >= 100);
                assertThat(f.acks("open", "kafka")).isPositive();

                long outageStart = System.nanoTime();
                broker.stop();
                int atStop = count.get();
                // about 10 s of outage, with deliveries flowing all along
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                        System.nanoTime() - outageStart >= TimeUnit.SECONDS.toNanos(10) && count.get() >= atStop + 100);
                assertThat(f.store.records()).as("the spool took over").isPositive();
                assertThat(f.get("/health/ready").statusCode()).isEqualTo(200);
                broker.start();

                int atRestart = count.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> count.get() >= atRestart + 100);
                stop.set(true);
                for (Future<?> r : running) {
                    r.get(30, TimeUnit.SECONDS);
                }
                assertThat(failures).as("every delivery got 200").isEmpty();
                await().atMost(Duration.ofSeconds(60)).until(() -> f.store.records() == 0);
                assertThat(f.acks("open", "spool")).isPositive();
                assertThat(f.metric("labhooks_spool_forwarded_total")).isPositive();
                SpoolingIngressTest.assertAllInRaw(broker.bootstrap(), sent);
            }
        } finally {
            stop.set(true);
            senders.shutdownNow();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
