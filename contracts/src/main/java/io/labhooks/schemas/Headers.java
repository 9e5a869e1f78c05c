package io.labhooks.schemas;

/** Kafka record header names written by the ingress and read by the later stages. */
public final class Headers {
    public static final String SOURCE = "labhooks.source";
    public static final String VENDOR = "labhooks.vendor";
    /** Epoch milliseconds, as decimal ASCII. */
    public static final String RECEIVED_AT = "labhooks.received-at";
    /** UUIDv7, also returned to the sender as {@value #HTTP_DELIVERY_ID}. */
    public static final String DELIVERY_ID = "labhooks.delivery-id";
    public static final String CONTENT_TYPE = "content-type";
    /** CoreOne's event type header, forwarded verbatim. */
    public static final String COREONE_WEBHOOK_TYPE = "X-Coreone-Webhook-Type";

    public static final String ERROR_STAGE = "labhooks.error.stage";
    public static final String ERROR_REASON = "labhooks.error.reason";
    public static final String ERROR_MESSAGE = "labhooks.error.message";
    /** On DLQ records: the topic the record was read from ({@code labhooks dlq replay} sends it back there). */
    public static final String ERROR_TOPIC = "labhooks.error.topic";

    /**
     * Internal, between the normalizer's parse and dedupe steps (on its repartition topic only): the event's id,
     * version and type, so that the dedupe need not parse the event. Removed before the output topics.
     */
    public static final String EVENT_ID = "labhooks.event-id";
    public static final String EVENT_VERSION = "labhooks.event-version";
    public static final String EVENT_TYPE = "labhooks.event-type";

    /** HTTP response header carrying the delivery id. */
    public static final String HTTP_DELIVERY_ID = "X-Labhooks-Delivery-Id";

    private Headers() {
    }
}
