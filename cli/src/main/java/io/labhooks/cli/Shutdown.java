package io.labhooks.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT (Ctrl-C), so that a command can close its parts in order and
 * exit 0 instead of dying in a shutdown hook.
 */
final class Shutdown {
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);
    private final CountDownLatch signalled = new CountDownLatch(1);

    Shutdown() {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                LOG.info("received SIG{}, shutting down", s.getName());
                signalled.countDown();
            });
        }
    }

    void await() throws InterruptedException {
        signalled.await();
    }

    /** For tests and for a part that fails: stop as if signalled. */
    void trigger() {
        signalled.countDown();
    }
}
