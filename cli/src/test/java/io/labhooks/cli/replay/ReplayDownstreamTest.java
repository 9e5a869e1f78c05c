package io.labhooks.cli.replay;

import static io.labhooks.cli.replay.KafkaFixture.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.schemas.Topics;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import io.labhooks.testkit.payloads.FlabsPayloads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replay through the real normalizer changes nothing downstream: every replayed event is a duplicate. */
class ReplayDownstreamTest {
    static final String APP_ID = "replay-downstream-normalizer";

    @TempDir
    Path dir;

    KafkaCluster kafka;

    @BeforeEach
    void start() throws Exception {
        kafka = KafkaProvider.start();
        KafkaFixture.createTopics(kafka.bootstrapServers());
    }

    @AfterEach
    void stop() {
        kafka.close();
    }

    @Test
    void replayingTheLastHourThroughTheNormalizerAddsNoEvents() throws Exception {
        Path config = KafkaFixture.config(dir.resolve("labhooks.yaml"), kafka.bootstrapServers(), """
                sources:
                  - {id: flabs, vendor: flabs, auth: {type: none}}
                  - {id: lml, vendor: lml, auth: {type: none}}
                """, NormalizerRun.section(APP_ID, dir.resolve("state")));
        String bootstrap = kafka.bootstrapServers();
        List<ProducerRecord<byte[], byte[]>> deliveries = new ArrayList<>();
        long t = System.currentTimeMillis() - 120_000;
        for (int bill = 1; bill <= 3; bill++) {
            long at = 1_714_557_600L + bill * 100L;
            deliveries.add(raw("flabs", "flabs", FlabsPayloads.bytes(FlabsPayloads.billCreated("lab_1", "bill_" + bill, at, bill)), t++));
            deliveries.add(raw("flabs", "flabs", FlabsPayloads.bytes(FlabsPayloads.reportCompleted("lab_1", "bill_" + bill, at + 5, 0, bill)), t++));
            deliveries.add(raw("flabs", "flabs", FlabsPayloads.bytes(FlabsPayloads.billCompleted("lab_1", "bill_" + bill, at + 20, bill)), t++));
        }
        // a vendor retry: the same body again, under a new delivery id
        deliveries.add(raw("flabs", "flabs", deliveries.get(0).value(), t));

        try (NormalizerRun normalizer = new NormalizerRun(config)) {
            KafkaFixture.send(bootstrap, deliveries);
            await().atMost(Duration.ofSeconds(60)).until(() -> KafkaFixture.caughtUp(bootstrap, APP_ID, Topics.RAW)
                    && normalizer.count("duplicate") == 1.0 && KafkaFixture.readAll(bootstrap, Topics.EVENTS).size() == 9);
            int events = KafkaFixture.readAll(bootstrap, Topics.EVENTS).size();
            int entities = KafkaFixture.readAll(bootstrap, Topics.ENTITIES).size();
            // emitted: accepted (advanced the entity) or stale (arrived after a later event of its bill)
            double emitted = normalizer.count("accepted") + normalizer.count("stale");
            assertThat(emitted).isEqualTo(9.0);
            assertThat(normalizer.count("duplicate")).isEqualTo(1.0);

            Cli r = Cli.run("replay", "--config", config.toString(), "--source", "flabs", "--from", "1h");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("matched    10").contains("published  10");
            // every replayed delivery's event reached the dedupe, and the normalizer committed past all of them
            await().atMost(Duration.ofSeconds(60)).until(() -> normalizer.count("duplicate") == 11.0
                    && KafkaFixture.caughtUp(bootstrap, APP_ID, Topics.RAW));
            assertThat(normalizer.failed()).isFalse();
            assertThat(normalizer.count("accepted") + normalizer.count("stale")).as("nothing emitted").isEqualTo(emitted);
            assertThat(normalizer.count("invalid")).isZero();
            assertThat(KafkaFixture.readAll(bootstrap, Topics.EVENTS)).as("events").hasSize(events);
            assertThat(KafkaFixture.readAll(bootstrap, Topics.ENTITIES)).as("entities").hasSize(entities);
            assertThat(KafkaFixture.readAll(bootstrap, Topics.DLQ)).as("dlq").isEmpty();
        }
    }
}
