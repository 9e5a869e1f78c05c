package io.labhooks.cli.replay;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The headers {@code labhooks replay} and {@code labhooks dlq replay} add, and header helpers. */
public final class ReplayHeaders {
    /** On a raw delivery re-published by {@code labhooks replay}: when, in epoch milliseconds (decimal text). */
    public static final String REPLAYED_AT = "labhooks.replayed-at";
    /** On a record redriven from the DLQ by {@code labhooks dlq replay}: when, in epoch milliseconds (decimal text). */
    public static final String REDRIVEN_AT = "labhooks.redriven-at";
    /** The prefix of the error headers of a DLQ record, which a redrive removes. */
    public static final String ERROR_PREFIX = "labhooks.error.";

    private ReplayHeaders() {
    }

    /** The last value of header {@code name} as UTF-8 text, or null. */
    public static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static byte[] millis(long epochMillis) {
        return Long.toString(epochMillis).getBytes(StandardCharsets.UTF_8);
    }
}
