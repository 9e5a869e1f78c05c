package io.labhooks.cli;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Entry points to the local pipeline for code outside this package (the end-to-end tests). */
public final class LocalPipelines {
    private LocalPipelines() {
    }

    /** A running pipeline: its ingress port, and close() to stop it. */
    public interface Running extends AutoCloseable {
        int port();
    }

    /** The built-in development config of {@code labhooks local}, with no environment substitution. */
    public static LabhooksConfig builtInConfig() throws IOException {
        return builtInConfig(Map.of());
    }

    /** The built-in development config of {@code labhooks local}, with {@code ${VAR}} read from {@code env}. */
    public static LabhooksConfig builtInConfig(Map<String, String> env) throws IOException {
        try (InputStream in = LocalPipelines.class.getResourceAsStream("/" + LocalCommand.BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("the built-in config " + LocalCommand.BUILT_IN + " is missing");
            }
            return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in " + LocalCommand.BUILT_IN, env);
        }
    }

    /** Starts the whole pipeline on free ports with its state in {@code dataDir}. */
    public static Running start(LabhooksConfig cfg, Path dataDir, boolean useConfiguredSink) throws Exception {
        LocalPipeline p = new LocalPipeline(cfg, dataDir, 0, 0, useConfiguredSink, () -> { });
        return new Running() {
            @Override
            public int port() {
                return p.port();
            }

            @Override
            public void close() throws Exception {
                p.close();
            }
        };
    }
}
