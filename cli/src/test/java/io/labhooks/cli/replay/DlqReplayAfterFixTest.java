package io.labhooks.cli.replay;

import static io.labhooks.cli.replay.KafkaFixture.header;
import static io.labhooks.cli.replay.KafkaFixture.raw;
import static io.labhooks.cli.replay.KafkaFixture.text;
import static io.labhooks.cli.replay.KafkaFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import io.labhooks.testkit.payloads.FlabsPayloads;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redrive after a fix, through the real normalizer: deliveries of a source missing from the config land in the
 * DLQ as unknown-source; the source is added; {@code dlq replay --reason unknown-source} lands the good delivery as
 * an event, and the broken one lands in the DLQ again, as a new record that {@code --from} can single out.
 */
class DlqReplayAfterFixTest {
    static final String APP_ID = "dlq-fix-normalizer";

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
    void dlqReplayAfterTheSourceIsAddedLandsTheFixedRecordAsAnEvent() throws Exception {
        String bootstrap = kafka.bootstrapServers();
        String normalizer = NormalizerRun.section(APP_ID, dir.resolve("state"));
        Path broken = KafkaFixture.config(dir.resolve("broken.yaml"), bootstrap, """
                sources:
                  - {id: lml, vendor: lml, auth: {type: none}}
                """, normalizer);
        Path fixed = KafkaFixture.config(dir.resolve("fixed.yaml"), bootstrap, """
                sources:
                  - {id: lml, vendor: lml, auth: {type: none}}
                  - {id: flabs, vendor: flabs, auth: {type: none}}
                """, normalizer);
        long now = System.currentTimeMillis();
        ProducerRecord<byte[], byte[]> good = raw("flabs", "flabs",
                FlabsPayloads.bytes(FlabsPayloads.billCreated("lab_7", "bill_7", 1_714_557_600L, 7)), now - 2);
        ProducerRecord<byte[], byte[]> truncated = raw("flabs", "flabs", utf8("{\"labID\": \"lab_7\", \"eventTy"), now - 1);
        String goodId = text(good.key());
        String truncatedId = text(truncated.key());

        try (NormalizerRun n = new NormalizerRun(broken)) {
            KafkaFixture.send(bootstrap, List.of(good, truncated));
            await().atMost(Duration.ofSeconds(60)).until(() -> KafkaFixture.readAll(bootstrap, Topics.DLQ).size() == 2);
            assertThat(n.failed()).isFalse();
        }
        List<ConsumerRecord<byte[], byte[]>> firstAttempts = KafkaFixture.readAll(bootstrap, Topics.DLQ);
        assertThat(firstAttempts).extracting(r -> header(r, Headers.ERROR_REASON)).containsOnly("unknown-source");
        assertThat(firstAttempts).extracting(r -> header(r, Headers.ERROR_TOPIC)).containsOnly(Topics.RAW);
        assertThat(KafkaFixture.readAll(bootstrap, Topics.EVENTS)).isEmpty();

        try (NormalizerRun n = new NormalizerRun(fixed)) {
            Instant redrive = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Cli r = Cli.run("dlq", "replay", "--config", fixed.toString(), "--reason", "unknown-source");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("matched    2").contains("published  2");
            await().atMost(Duration.ofSeconds(60)).until(() -> KafkaFixture.readAll(bootstrap, Topics.EVENTS).size() == 1
                    && KafkaFixture.readAll(bootstrap, Topics.DLQ).size() == 3);
            ConsumerRecord<byte[], byte[]> event = KafkaFixture.readAll(bootstrap, Topics.EVENTS).get(0);
            assertThat(text(event.key())).isEqualTo("flabs:bill:lab_7:bill_7");
            assertThat(header(event, Headers.DELIVERY_ID)).as("the original delivery").isEqualTo(goodId);

            ConsumerRecord<byte[], byte[]> again = KafkaFixture.readAll(bootstrap, Topics.DLQ).get(2);
            assertThat(text(again.key())).isEqualTo(truncatedId);
            assertThat(header(again, Headers.ERROR_REASON)).isEqualTo("not-json");
            assertThat(again.timestamp()).isGreaterThanOrEqualTo(redrive.toEpochMilli());
            assertThat(again.headers().lastHeader(ReplayHeaders.REDRIVEN_AT)).isNotNull();

            // --from the redrive: only the new attempt, not the two older ones
            Cli latest = Cli.run("dlq", "replay", "--config", fixed.toString(), "--from", redrive.toString(), "--dry-run");
            assertThat(latest.exitCode()).as(latest.toString()).isZero();
            assertThat(latest.out()).contains("matched    1").contains("would publish 1");
            assertThat(n.failed()).isFalse();
        }
    }
}
