package io.labhooks.cli.replay;

import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code labhooks replay}: picks the raw deliveries of one source ({@code labhooks.source}) and copies each back to
 * {@code labhooks.raw.v1} with its key, value, headers and timestamp unchanged, plus {@code labhooks.replayed-at}.
 * The normalizer computes the same event ids from the same bytes and headers, and its dedupe drops them.
 *
 * <p>Copies made by an earlier replay (they carry {@code labhooks.replayed-at}) are skipped: their originals are
 * in the range too, and replaying copies would double the topic at each replay.
 */
public final class RawReplay implements Selector {
    public static final String SKIP_EARLIER_REPLAY = "copies from an earlier replay";

    private final String source;
    private final Clock clock;

    public RawReplay(String source, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The scan of {@code labhooks.raw.v1}: its timestamps are receipt times, so it may stop past {@code to}. */
    public static Scan scan(java.time.Instant from, java.time.Instant to) {
        return new Scan(Topics.RAW, from, to, true);
    }

    @Override
    public Decision select(ConsumerRecord<byte[], byte[]> r) {
        if (!source.equals(ReplayHeaders.text(r.headers(), Headers.SOURCE))) {
            return Decision.IGNORE;
        }
        if (r.headers().lastHeader(ReplayHeaders.REPLAYED_AT) != null) {
            return Decision.skip(SKIP_EARLIER_REPLAY);
        }
        RecordHeaders headers = new RecordHeaders(r.headers().toArray());
        headers.add(ReplayHeaders.REPLAYED_AT, ReplayHeaders.millis(clock.millis()));
        return Decision.publish(new ProducerRecord<>(Topics.RAW, null, r.timestamp(), r.key(), r.value(), headers));
    }
}
