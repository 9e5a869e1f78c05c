package io.labhooks.cli.replay;

import java.util.Objects;

/** A scan that could not finish; {@link #totals()} says how far it got (what was published stays published). */
public final class RepublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Totals totals;

    public RepublishException(String message, Totals totals, Throwable cause) {
        super(message, cause);
        this.totals = Objects.requireNonNull(totals, "totals");
    }

    public Totals totals() {
        return totals;
    }
}
