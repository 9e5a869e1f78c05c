package io.labhooks.normalizer.adapter;

/**
 * Turns one vendor's raw delivery into canonical events. Implementations are stateless and thread-safe,
 * and never throw for bad input: every problem becomes a {@link Rejection} with a reason.
 */
public interface VendorAdapter {
    AdapterResult adapt(RawInput input);
}
