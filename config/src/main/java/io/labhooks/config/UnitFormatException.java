package io.labhooks.config;

/**
 * A duration, size or time that {@link Durations}, {@link Sizes} or {@link Timestamps} cannot read.
 * {@link #tooLarge()} tells a well-formed value that overflows from one that is malformed.
 */
public final class UnitFormatException extends IllegalArgumentException {
    private final boolean tooLarge;

    UnitFormatException(String message, boolean tooLarge, Throwable cause) {
        super(message, cause);
        this.tooLarge = tooLarge;
    }

    public boolean tooLarge() {
        return tooLarge;
    }
}
