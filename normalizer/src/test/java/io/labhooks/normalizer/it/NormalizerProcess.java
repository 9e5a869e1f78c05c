package io.labhooks.normalizer.it;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.normalizer.NormalizerApp;
import io.labhooks.normalizer.adapter.Adapters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The normalizer in a child JVM, so that a test can kill it with SIGKILL. Args: the config file. */
public final class NormalizerProcess {
    private NormalizerProcess() {
    }

    public static void main(String[] args) throws Exception {
        LabhooksConfig config = ConfigLoader.load(Path.of(args[0]), Map.of());
        CountDownLatch failed = new CountDownLatch(1);
        try (NormalizerApp app = new NormalizerApp(config, new Adapters()::forSource, new SimpleMeterRegistry(), failed::countDown).start()) {
            System.out.println("normalizer process started");
            failed.await(); // runs until killed (or the stream fails)
        }
        System.exit(1);
    }
}
