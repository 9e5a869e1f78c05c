package io.labhooks.normalizer.adapter;

import io.labhooks.config.SourceConfig;

/** The adapter for a source's vendor. Adapters are stateless: one per source, shared by all stream threads. */
public final class Adapters {
    private final Json json = new Json();

    public VendorAdapter forSource(SourceConfig source) {
        return switch (source.vendor()) {
            case CONFIDENT -> new ConfidentAdapter(json);
            case COREONE -> new CoreOneAdapter(json);
            case FLABS -> new FlabsAdapter(json);
            case LML -> new LmlAdapter(json);
            case GENERIC -> new GenericAdapter(json);
        };
    }
}
