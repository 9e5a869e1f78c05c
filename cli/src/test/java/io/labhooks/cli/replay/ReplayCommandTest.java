package io.labhooks.cli.replay;

import static io.labhooks.cli.replay.KafkaFixture.header;
import static io.labhooks.cli.replay.KafkaFixture.headerList;
import static io.labhooks.cli.replay.KafkaFixture.raw;
import static io.labhooks.cli.replay.KafkaFixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.schemas.Topics;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import io.labhooks.testkit.payloads.FlabsPayloads;
import io.labhooks.testkit.payloads.LmlPayloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labhooks replay} against a real broker. The tests share one broker; each uses its own source, so the
 * records of the others are never selected, and each looks only at the raw records added after it started.
 *
 * <p>The range test runs first: a scan with {@code --to} stops a partition at its first record past {@code --to},
 * which assumes timestamps that rise with the offsets, as the ingress writes them. The other tests append records
 * timestamped in the last hour, which would come before the range test's older records.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayCommandTest {
    KafkaCluster kafka;
    Path config;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        kafka = KafkaProvider.start();
        KafkaFixture.createTopics(kafka.bootstrapServers());
        config = KafkaFixture.config(dir.resolve("labhooks.yaml"), kafka.bootstrapServers(), """
                sources:
                  - {id: range, vendor: flabs, auth: {type: none}}
                  - {id: other, vendor: lml, auth: {type: none}}
                  - {id: dry, vendor: flabs, auth: {type: none}}
                  - {id: rel, vendor: flabs, auth: {type: none}}
                """, "");
    }

    @AfterAll
    void stop() {
        kafka.close();
    }

    private static byte[] bill(String id, long seed) {
        return FlabsPayloads.bytes(FlabsPayloads.billCreated("lab_1", id, 1_714_557_600L + seed, seed));
    }

    private static long ago(Instant now, Duration d) {
        return now.minus(d).toEpochMilli();
    }

    @Test
    @Order(1)
    void republishesExactlyTheSourcesDeliveriesInTheRangeByteForByteWithReplayedAt() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ProducerRecord<byte[], byte[]> before = raw("range", "flabs", bill("b1", 1), ago(now, Duration.ofHours(3)));
        ProducerRecord<byte[], byte[]> in1 = raw("range", "flabs", bill("b2", 2), ago(now, Duration.ofMinutes(100)));
        ProducerRecord<byte[], byte[]> otherSource = raw("other", "lml",
                LmlPayloads.bytes(LmlPayloads.event("test_registration.complete", "reg-1", 1)), ago(now, Duration.ofMinutes(95)));
        ProducerRecord<byte[], byte[]> in2 = raw("range", "flabs", bill("b3", 3), ago(now, Duration.ofMinutes(90)));
        ProducerRecord<byte[], byte[]> after = raw("range", "flabs", bill("b4", 4), ago(now, Duration.ofMinutes(30)));
        KafkaFixture.send(kafka.bootstrapServers(), List.of(before, in1, otherSource, in2, after));
        Map<TopicPartition, Long> end = KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.RAW);

        long replayStart = System.currentTimeMillis();
        Cli r = Cli.run("replay", "--config", config.toString(), "--source", "range",
                "--from", now.minus(Duration.ofHours(2)).toString(), "--to", now.minus(Duration.ofHours(1)).toString());
        long replayEnd = System.currentTimeMillis();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("matched    2").contains("published  2").contains("skipped    0");
        List<ConsumerRecord<byte[], byte[]>> copies = KafkaFixture.readFrom(kafka.bootstrapServers(), Topics.RAW, end);
        Map<String, ProducerRecord<byte[], byte[]>> originals = List.of(in1, in2).stream()
                .collect(Collectors.toMap(p -> text(p.key()), Function.identity()));
        assertThat(copies).extracting(c -> text(c.key())).containsExactlyInAnyOrderElementsOf(originals.keySet());
        for (ConsumerRecord<byte[], byte[]> copy : copies) {
            ProducerRecord<byte[], byte[]> original = originals.get(text(copy.key()));
            assertThat(copy.value()).isEqualTo(original.value());
            assertThat(copy.timestamp()).isEqualTo(original.timestamp());
            List<String> expected = new ArrayList<>(headerList(original.headers()));
            List<String> actual = headerList(copy.headers());
            assertThat(actual).hasSize(expected.size() + 1).startsWith(expected.toArray(String[]::new));
            assertThat(copy.headers().lastHeader(ReplayHeaders.REPLAYED_AT)).isNotNull();
            assertThat(Long.parseLong(header(copy, ReplayHeaders.REPLAYED_AT))).isBetween(replayStart, replayEnd);
            Header last = copy.headers().toArray()[copy.headers().toArray().length - 1];
            assertThat(last.key()).isEqualTo(ReplayHeaders.REPLAYED_AT);
        }

        // Again, without --to: the two and the later one; the copies of the first replay are skipped.
        Map<TopicPartition, Long> end2 = KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.RAW);
        Cli again = Cli.run("replay", "--config", config.toString(), "--source", "range", "--from", now.minus(Duration.ofHours(2)).toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("matched    5").contains("published  3")
                .contains("skipped    2 (2 " + RawReplay.SKIP_EARLIER_REPLAY + ")");
        assertThat(KafkaFixture.readFrom(kafka.bootstrapServers(), Topics.RAW, end2)).extracting(c -> text(c.key()))
                .containsExactlyInAnyOrder(text(in1.key()), text(in2.key()), text(after.key()));
    }

    @Test
    void dryRunCountsTheMatchingDeliveriesAndPublishesNothing() throws Exception {
        long t = System.currentTimeMillis() - 60_000;
        KafkaFixture.send(kafka.bootstrapServers(), List.of(raw("dry", "flabs", bill("d1", 11), t),
                raw("dry", "flabs", bill("d2", 12), t + 1), raw("dry", "flabs", bill("d3", 13), t + 2)));
        Map<TopicPartition, Long> end = KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.RAW);

        Cli r = Cli.run("replay", "--config", config.toString(), "--source", "dry", "--from", "1h", "--dry-run");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("matched    3").contains("published  0 (dry run; would publish 3)");
        assertThat(r.err()).contains("(dry run)");
        assertThat(KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.RAW)).isEqualTo(end);
    }

    @Test
    void relativeFromOneHourReplaysOnlyTheLastHour() throws Exception {
        Instant now = Instant.now();
        ProducerRecord<byte[], byte[]> old = raw("rel", "flabs", bill("r1", 21), ago(now, Duration.ofMinutes(75)));
        ProducerRecord<byte[], byte[]> recent = raw("rel", "flabs", bill("r2", 22), ago(now, Duration.ofMinutes(45)));
        KafkaFixture.send(kafka.bootstrapServers(), List.of(old, recent));
        Map<TopicPartition, Long> end = KafkaFixture.endOffsets(kafka.bootstrapServers(), Topics.RAW);

        Cli r = Cli.run("replay", "--config", config.toString(), "--source", "rel", "--from", "1h");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("matched    1").contains("published  1");
        List<ConsumerRecord<byte[], byte[]>> copies = KafkaFixture.readFrom(kafka.bootstrapServers(), Topics.RAW, end);
        assertThat(copies).extracting(c -> text(c.key())).containsExactly(text(recent.key()));
    }

    @Test
    void badRangesAreUsageErrorsWithExitCode2() {
        String cfg = config.toString();
        Cli reversed = Cli.run("replay", "--config", cfg, "--source", "rel", "--from", "2024-05-01T12:00:00Z", "--to", "2024-05-01T10:00:00Z");
        assertThat(reversed.exitCode()).as(reversed.toString()).isEqualTo(2);
        assertThat(reversed.err()).contains("--from (2024-05-01T12:00:00Z) must be before --to (2024-05-01T10:00:00Z)");

        Cli empty = Cli.run("replay", "--config", cfg, "--source", "rel", "--from", "2024-05-01T10:00", "--to", "2024-05-01T10:00:00Z");
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("must be before --to");

        Cli future = Cli.run("replay", "--config", cfg, "--source", "rel", "--from", Instant.now().plus(Duration.ofDays(1)).toString());
        assertThat(future.exitCode()).isEqualTo(2);
        assertThat(future.err()).contains("is in the future");

        Cli garbage = Cli.run("replay", "--config", cfg, "--source", "rel", "--from", "yesterday");
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).contains("--from: cannot read 'yesterday' as a time");

        Cli missing = Cli.run("replay", "--config", cfg, "--source", "rel");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--from");
    }

    @Test
    void anUnreachableBrokerIsARuntimeFailureWithExitCode1(@TempDir Path dir) throws Exception {
        Path unreachable = Files.writeString(dir.resolve("unreachable.yaml"), """
                kafka: {bootstrap-servers: "127.0.0.1:1", properties: {default.api.timeout.ms: "1500"}}
                sources: [{id: rel, vendor: flabs, auth: {type: none}}]
                """);
        Cli r = Cli.run("replay", "--config", unreachable.toString(), "--source", "rel", "--from", "1h");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("labhooks replay: labhooks.raw.v1: ");
        assertThat(r.out()).contains("scanned    0 records in 0 partitions").contains("published  0");
    }

    @Test
    void anUnknownSourceIsAUsageErrorListingTheConfiguredSources() {
        Cli r = Cli.run("replay", "--config", config.toString(), "--source", "nope", "--from", "1h");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--source 'nope' is not in the config; the configured sources are: range, other, dry, rel");
        assertThat(r.out()).isEmpty();
    }
}
