package io.labhooks.sink;

/** Where the sink's poll loop is. */
public enum SinkStatus {
    /** Built, not started. */
    CREATED,
    /** Polling and writing. */
    RUNNING,
    /** The warehouse (or the DLQ) is unavailable: partitions paused, polling to stay in the group, retrying the same batch. */
    BACKING_OFF,
    /** Closed normally. */
    STOPPED,
    /** Stopped by an unexpected error; {@code onFatal} was called. */
    FAILED
}
