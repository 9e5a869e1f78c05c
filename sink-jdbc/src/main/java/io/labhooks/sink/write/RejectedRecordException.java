package io.labhooks.sink.write;

/** A record the sink cannot turn into rows; it goes to the DLQ with {@link #reason()}. */
public final class RejectedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public RejectedRecordException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A short machine-readable reason, e.g. {@code undecodable}. */
    public String reason() {
        return reason;
    }
}
