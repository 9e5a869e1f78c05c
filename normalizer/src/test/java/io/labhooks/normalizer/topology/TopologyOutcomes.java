package io.labhooks.normalizer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.normalizer.adapter.Rejection;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.testkit.EventSchemas;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Sends raw deliveries through the real topology one at a time and says what each became: events (each valid
 * against its schema) or one DLQ record with a known reason and the original bytes. An exception escaping the
 * topology (which would stop a stream thread) fails the test where it is thrown.
 */
final class TopologyOutcomes {
    static final Set<String> REASONS = Arrays.stream(Rejection.Reason.values()).map(Rejection.Reason::id).collect(Collectors.toSet());

    /** What one delivery became. */
    record Outcome(List<CanonicalEvent> events, String dlqReason, String dlqMessage) {
        boolean rejected() {
            return dlqReason != null;
        }
    }

    /** Counts every outcome the processors report, so that a delivery dropped without a trace shows. */
    static final class Counting implements NormalizerMetrics {
        final AtomicLong total = new AtomicLong();

        @Override
        public void count(String vendor, String type, Outcome outcome) {
            total.incrementAndGet();
        }
    }

    final TopologyFixture f;
    final Counting counts;
    final EventSchemas schemas = new EventSchemas();

    TopologyOutcomes(TopologyFixture f, Counting counts) {
        this.f = f;
        this.counts = counts;
    }

    Outcome send(String source, byte[] body, Map<String, String> headers, String describe) {
        long before = counts.total.get();
        String body8 = new String(body, StandardCharsets.ISO_8859_1);
        // TopologyFixture sends text; bytes that are not UTF-8 must reach the topology unchanged, so pipe them here.
        String id = f.sendBytes(source, body, headers);
        List<TestRecord<String, byte[]>> dlq = f.dlq.readRecordsToList();
        List<CanonicalEvent> events = f.readEvents();
        assertThat(counts.total.get() - before).as("outcomes counted for %s", describe).isPositive();
        if (!dlq.isEmpty()) {
            assertThat(dlq).as("one DLQ record for %s", describe).hasSize(1);
            assertThat(events).as("no event besides the DLQ record for %s", describe).isEmpty();
            TestRecord<String, byte[]> r = dlq.get(0);
            assertThat(r.key()).isEqualTo(id);
            assertThat(r.value()).as("DLQ keeps the original bytes of %s", describe).isEqualTo(body);
            String reason = header(r, Headers.ERROR_REASON);
            assertThat(reason).as("reason of %s", describe).isIn(REASONS);
            assertThat(header(r, Headers.ERROR_STAGE)).isEqualTo(ParseProcessor.STAGE);
            return new Outcome(List.of(), reason, header(r, Headers.ERROR_MESSAGE));
        }
        for (CanonicalEvent e : events) {
            assertThat(schemas.validate(f.codec.toJson(e))).as("schema problems of %s from %s (%s)", e, describe,
                    body8.length() > 200 ? body8.substring(0, 200) : body8).isEmpty();
        }
        return new Outcome(events, null, null);
    }

    private static String header(TestRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
