package io.labhooks.cli.replay;

import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link Republisher} reads: {@code topic} from the first offset at or after {@code from} (or from the
 * beginning) up to the end offsets captured when the scan starts. Records whose timestamp is outside
 * [{@code from}, {@code to}) are not selected. With {@code stopPastTo}, a partition ends at its first record at or
 * past {@code to}, which is right for a topic whose timestamps rise with the offsets (the raw topic).
 */
public record Scan(String topic, Instant from, Instant to, boolean stopPastTo) {
    public Scan {
        Objects.requireNonNull(topic, "topic");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
        }
    }

    boolean contains(long timestamp) {
        return (from == null || timestamp >= from.toEpochMilli()) && (to == null || timestamp < to.toEpochMilli());
    }

    boolean pastTo(long timestamp) {
        return stopPastTo && to != null && timestamp >= to.toEpochMilli();
    }
}
