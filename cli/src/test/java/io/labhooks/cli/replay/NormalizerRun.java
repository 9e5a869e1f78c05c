package io.labhooks.cli.replay;

import static org.awaitility.Awaitility.await;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.normalizer.NormalizerApp;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.runtime.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** The real normalizer (production topology and adapters) on a config file, running until closed. */
final class NormalizerRun implements AutoCloseable {
    final LabhooksConfig config;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final NormalizerApp app;

    NormalizerRun(Path configFile) throws Exception {
        this.config = ConfigLoader.parse(Files.readString(configFile), configFile.toString(), Map.of());
        this.app = new NormalizerApp(config, new Adapters()::forSource, registry, () -> failed.set(true)).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> app.running() || failed.get());
        if (failed.get()) {
            app.close();
            throw new IllegalStateException("the normalizer failed to start");
        }
    }

    /** The sum of {@code labhooks.normalizer.events} with this outcome (accepted, duplicate, stale, invalid). */
    double count(String outcome) {
        return registry.find(MetricNames.NORMALIZER_EVENTS).tag(MetricNames.TAG_OUTCOME, outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    boolean failed() {
        return failed.get();
    }

    /** The normalizer section of a test config: a fast group session so that a restart rejoins quickly. */
    static String section(String applicationId, Path stateDir) {
        return """
                normalizer:
                  application-id: %s
                  state-dir: "%s"
                  properties: {session.timeout.ms: "6000", heartbeat.interval.ms: "1000"}
                """.formatted(applicationId, stateDir.toString().replace('\\', '/'));
    }

    @Override
    public void close() {
        app.close();
        registry.close();
    }
}
