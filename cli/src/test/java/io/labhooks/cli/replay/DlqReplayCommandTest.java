package io.labhooks.cli.replay;

import static io.labhooks.cli.replay.KafkaFixture.header;
import static io.labhooks.cli.replay.KafkaFixture.headerList;
import static io.labhooks.cli.replay.KafkaFixture.rawHeaders;
import static io.labhooks.cli.replay.KafkaFixture.text;
import static io.labhooks.cli.replay.KafkaFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.sink.consume.DeadLetters;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import io.labhooks.testkit.payloads.FlabsPayloads;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labhooks dlq replay} against a real broker, with DLQ records written the way the normalizer and the sink
 * write them. The tests share one broker; each passes {@code --from} its own start, so it sees only its own DLQ
 * records, and looks only at the records added after it started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DlqReplayCommandTest {
    KafkaCluster kafka;
    Path config;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        kafka = KafkaProvider.start();
        KafkaFixture.createTopics(kafka.bootstrapServers());
        config = KafkaFixture.config(dir.resolve("labhooks.yaml"), kafka.bootstrapServers(), """
                sources:
                  - {id: flabs, vendor: flabs, auth: {type: none}}
                """, "");
    }

    @AfterAll
    void stop() {
        kafka.close();
    }

    /** A raw delivery's headers plus the error headers, as ParseProcessor writes a rejected delivery. */
    static ProducerRecord<byte[], byte[]> normalizeDlq(String deliveryId, byte[] body, String reason, boolean withTopic) {
        RecordHeaders h = rawHeaders("flabs", "flabs", deliveryId, System.currentTimeMillis() - 5_000);
        if (withTopic) {
            h.add(Headers.ERROR_TOPIC, utf8(Topics.RAW));
        }
        h.add(Headers.ERROR_STAGE, utf8("normalize"));
        h.add(Headers.ERROR_REASON, utf8(reason));
        h.add(Headers.ERROR_MESSAGE, utf8("rejected: " + reason));
        return new ProducerRecord<>(Topics.DLQ, null, null, utf8(deliveryId), body, h);
    }

    private static List<String> withoutErrorHeaders(ProducerRecord<byte[], byte[]> dlq) {
        List<String> out = new ArrayList<>(headerList(dlq.headers()));
        out.removeIf(h -> h.startsWith("labhooks.error."));
        return out;
    }

    private static Instant testStart() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).minusMillis(1);
    }

    @Test
    void redrivesOnlyTheChosenReasonToRawWithTheErrorHeadersRemoved() throws Exception {
        Instant start = testStart();
        String id1 = UUID.randomUUID().toString();
        String id2 = UUID.randomUUID().toString();
        String id3 = UUID.randomUUID().toString();
        ProducerRecord<byte[], byte[]> notJson = normalizeDlq(id1, utf8("{\"labID\": \"lab_1\", \"eventTy"), "not-json", true);
        ProducerRecord<byte[], byte[]> missingId = normalizeDlq(id2,
                utf8("{\"labID\":\"lab_1\",\"eventType\":\"bill.created\",\"eventTime\":1714557600,\"data\":{}}"), "missing-id", true);
        // written before labhooks.error.topic existed: a normalize record goes back to raw
        ProducerRecord<byte[], byte[]> legacy = normalizeDlq(id3, utf8("<html>"), "not-json", false);
        KafkaFixture.send(kafka.bootstrapServers(), List.of(notJson, missingId, legacy));
        Map<TopicPartition, Long> rawEnd = KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.RAW);
        Map<TopicPartition, Long> dlqEnd = KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.DLQ);

        long redriveStart = System.currentTimeMillis();
        Cli r = Cli.run("dlq", "replay", "--config", config.toString(), "--reason", "not-json", "--from", start.toString());
        long redriveEnd = System.currentTimeMillis();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("matched    2").contains("published  2").contains("skipped    0");
        List<ConsumerRecord<byte[], byte[]>> redriven = KafkaFixture.readFrom(kafka.bootstrapServers(), Topics.RAW, rawEnd);
        assertThat(redriven).extracting(c -> text(c.key())).containsExactlyInAnyOrder(id1, id3);
        for (ConsumerRecord<byte[], byte[]> c : redriven) {
            ProducerRecord<byte[], byte[]> original = text(c.key()).equals(id1) ? notJson : legacy;
            assertThat(c.value()).isEqualTo(original.value());
            List<String> headers = headerList(c.headers());
            assertThat(headers.subList(0, headers.size() - 1)).isEqualTo(withoutErrorHeaders(original));
            assertThat(headers.get(headers.size() - 1)).startsWith(ReplayHeaders.REDRIVEN_AT + "=");
            assertThat(Long.parseLong(header(c, ReplayHeaders.REDRIVEN_AT))).isBetween(redriveStart, redriveEnd);
            assertThat(c.timestamp()).as("a new timestamp, so a new failure is newer than the old one").isBetween(redriveStart, redriveEnd);
        }
        assertThat(KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.DLQ)).as("the DLQ is only read").isEqualTo(dlqEnd);
    }

    @Test
    void sinkRecordsGoBackToTheTopicTheyCameFromAndThoseWithoutTheTopicHeaderAreSkipped() throws Exception {
        Instant start = testStart();
        byte[] eventKey = utf8("flabs:bill:lab_1:" + UUID.randomUUID());
        byte[] event = utf8("{\"specversion\":\"1.0\",\"id\":\"abc\",\"type\":\"lab.flabs.bill.created\"}");
        RecordHeaders eventHeaders = new RecordHeaders();
        eventHeaders.add(Headers.CONTENT_TYPE, utf8("application/cloudevents+json"));
        eventHeaders.add(Headers.DELIVERY_ID, utf8(UUID.randomUUID().toString()));
        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>(Topics.EVENTS, 1, 42L, System.currentTimeMillis(),
                TimestampType.CREATE_TIME, eventKey.length, event.length, eventKey, event, eventHeaders, Optional.empty());
        try (KafkaProducer<byte[], byte[]> p = KafkaFixture.producer(kafka.bootstrapServers())) {
            new DeadLetters(p, Duration.ofSeconds(30)).sendAll(List.of(new DeadLetters.Rejection(consumed, "22001", "value too long")));
        }
        RecordHeaders noTopic = new RecordHeaders(eventHeaders.toArray());
        noTopic.add(Headers.ERROR_STAGE, utf8("sink"));
        noTopic.add(Headers.ERROR_REASON, utf8("22001"));
        noTopic.add(Headers.ERROR_MESSAGE, utf8("value too long"));
        KafkaFixture.send(kafka.bootstrapServers(), List.of(
                new ProducerRecord<>(Topics.DLQ, null, null, utf8("no-topic"), event, noTopic),
                normalizeDlq(UUID.randomUUID().toString(), utf8("nope"), "not-json", true)));
        ConsumerRecord<byte[], byte[]> dlqRecord = KafkaFixture.readAll(kafka.bootstrapServers(), Topics.DLQ).stream()
                .filter(c -> Arrays.equals(c.key(), eventKey)).findFirst().orElseThrow();
        assertThat(header(dlqRecord, Headers.ERROR_TOPIC)).as("the sink records where it came from").isEqualTo(Topics.EVENTS);
        Map<TopicPartition, Long> rawEnd = KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.RAW);
        Map<TopicPartition, Long> eventsEnd = KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.EVENTS);

        Cli r = Cli.run("dlq", "replay", "--config", config.toString(), "--stage", "sink", "--from", start.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("matched    2").contains("published  1")
                .contains("skipped    1 (1 " + DlqRedrive.SKIP_NO_TOPIC + ")");
        List<ConsumerRecord<byte[], byte[]>> redriven = KafkaFixture.readFrom(kafka.bootstrapServers(), Topics.EVENTS, eventsEnd);
        assertThat(redriven).hasSize(1);
        ConsumerRecord<byte[], byte[]> back = redriven.get(0);
        assertThat(back.key()).isEqualTo(eventKey);
        assertThat(back.value()).isEqualTo(event);
        assertThat(headerList(back.headers())).hasSize(3).startsWith(headerList(eventHeaders).toArray(String[]::new));
        assertThat(header(back, ReplayHeaders.REDRIVEN_AT)).isNotNull();
        assertThat(KafkaFixture.readFrom(kafka.bootstrapServers(), Topics.RAW, rawEnd)).as("--stage sink leaves normalize records").isEmpty();
    }

    @Test
    void dryRunCountsAndPublishesNothing() throws Exception {
        Instant start = testStart();
        KafkaFixture.send(kafka.bootstrapServers(), List.of(
                normalizeDlq(UUID.randomUUID().toString(), FlabsPayloads.bytes(FlabsPayloads.billCreated("lab_1", "x", 1L, 1)), "too-large", true),
                normalizeDlq(UUID.randomUUID().toString(), utf8("{}"), "too-large", true),
                normalizeDlq(UUID.randomUUID().toString(), utf8("{}"), "wrong-shape", true)));
        Map<TopicPartition, Long> rawEnd = KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.RAW);

        Cli r = Cli.run("dlq", "replay", "--config", config.toString(), "--reason", "too-large", "--from", start.toString(), "--dry-run");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("matched    2").contains("published  0 (dry run; would publish 2)");
        assertThat(KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.RAW)).isEqualTo(rawEnd);

        Cli both = Cli.run("dlq", "replay", "--config", config.toString(), "--reason", "too-large,wrong-shape",
                "--from", start.toString(), "--dry-run");
        assertThat(both.out()).as(both.toString()).contains("matched    3");
    }

    @Test
    void badOptionsAreUsageErrorsWithExitCode2() {
        String cfg = config.toString();
        Cli stage = Cli.run("dlq", "replay", "--config", cfg, "--stage", "ingress");
        assertThat(stage.exitCode()).as(stage.toString()).isEqualTo(2);
        assertThat(stage.err()).contains("--stage must be one of normalize, sink, was 'ingress'");

        Cli range = Cli.run("dlq", "replay", "--config", cfg, "--from", "1h", "--to", "2h");
        assertThat(range.exitCode()).isEqualTo(2);
        assertThat(range.err()).contains("must be before --to");

        Cli garbage = Cli.run("dlq", "replay", "--config", cfg, "--to", "soon");
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).contains("--to: cannot read 'soon' as a time");

        Cli noSubcommand = Cli.run("dlq");
        assertThat(noSubcommand.exitCode()).isEqualTo(2);
        assertThat(noSubcommand.err()).contains("Missing required subcommand");
    }
}
