package io.labhooks.ingress.spool;

import io.labhooks.config.SpoolConfig;
import java.nio.file.Path;

/** Run as a child process by {@link SpoolStoreTest}: opens a spool, says so, and holds it until stdin closes. */
public final class SpoolLockHolder {
    private SpoolLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (SpoolStore s = SpoolStore.open(new SpoolConfig(Path.of(args[0]), 1L << 20))) {
            System.out.println("LOCKED " + s.dir());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our stdin
            }
        }
    }
}
