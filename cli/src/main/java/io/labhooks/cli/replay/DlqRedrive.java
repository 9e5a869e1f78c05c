package io.labhooks.cli.replay;

import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code labhooks dlq replay}: picks DLQ records by {@code labhooks.error.reason} (any, if none is given) and
 * {@code labhooks.error.stage}, removes every {@code labhooks.error.*} header, adds {@code labhooks.redriven-at},
 * and sends the original key and value to the topic named by {@code labhooks.error.topic}:
 * {@code labhooks.raw.v1} back through the normalizer, {@code labhooks.events.v1} or {@code labhooks.entities.v1}
 * back to the sink. A {@code normalize} record without that header (written before it existed) goes to
 * {@code labhooks.raw.v1}; any other record without it is skipped and counted.
 *
 * <p>The redriven record gets a new timestamp (now), so if it fails again, its new DLQ record is newer than the
 * old one and {@code --from} can leave the older attempts out.
 */
public final class DlqRedrive implements Selector {
    public static final String STAGE_NORMALIZE = "normalize";
    public static final String STAGE_SINK = "sink";
    public static final List<String> STAGES = List.of(STAGE_NORMALIZE, STAGE_SINK);
    /** Where a DLQ record may be sent back to. */
    public static final List<String> TARGETS = List.of(Topics.RAW, Topics.EVENTS, Topics.ENTITIES);
    public static final String SKIP_NO_TOPIC = "without a " + Headers.ERROR_TOPIC + " header";
    public static final String SKIP_OTHER_TOPIC = "whose " + Headers.ERROR_TOPIC + " is not one of " + TARGETS;

    private final Set<String> reasons;
    private final String stage;
    private final Clock clock;

    /**
     * @param reasons the {@code labhooks.error.reason} values to pick; empty picks all
     * @param stage   {@code normalize}, {@code sink}, or null for both
     */
    public DlqRedrive(Set<String> reasons, String stage, Clock clock) {
        this.reasons = Set.copyOf(reasons);
        if (stage != null && !STAGES.contains(stage)) {
            throw new IllegalArgumentException("stage must be one of " + STAGES + ", was '" + stage + "'");
        }
        this.stage = stage;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The scan of {@code labhooks.dlq.v1}: its timestamps are not in offset order, so it reads to the end offsets. */
    public static Scan scan(Instant from, Instant to) {
        return new Scan(Topics.DLQ, from, to, false);
    }

    @Override
    public Decision select(ConsumerRecord<byte[], byte[]> r) {
        String recordStage = ReplayHeaders.text(r.headers(), Headers.ERROR_STAGE);
        if (!reasons.isEmpty() && !reasons.contains(ReplayHeaders.text(r.headers(), Headers.ERROR_REASON))) {
            return Decision.IGNORE;
        }
        if (stage != null && !stage.equals(recordStage)) {
            return Decision.IGNORE;
        }
        String topic = ReplayHeaders.text(r.headers(), Headers.ERROR_TOPIC);
        if (topic == null) {
            if (!STAGE_NORMALIZE.equals(recordStage)) {
                return Decision.skip(SKIP_NO_TOPIC);
            }
            topic = Topics.RAW;
        }
        if (!TARGETS.contains(topic)) {
            return Decision.skip(SKIP_OTHER_TOPIC);
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) {
            if (!h.key().startsWith(ReplayHeaders.ERROR_PREFIX) && !h.key().equals(ReplayHeaders.REDRIVEN_AT)) {
                headers.add(h);
            }
        }
        headers.add(ReplayHeaders.REDRIVEN_AT, ReplayHeaders.millis(clock.millis()));
        return Decision.publish(new ProducerRecord<>(topic, null, null, r.key(), r.value(), headers));
    }
}
