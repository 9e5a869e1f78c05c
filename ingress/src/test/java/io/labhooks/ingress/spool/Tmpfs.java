package io.labhooks.ingress.spool;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A small tmpfs for disk-full tests (needs root; the tests skip themselves without it). */
final class Tmpfs {
    private Tmpfs() {
    }

    static boolean mount(Path dir, String size) throws Exception {
        return run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    }

    static void resize(Path dir, String size) throws Exception {
        if (!run("mount", "-o", "remount,size=" + size, dir.toString())) {
            throw new IllegalStateException("cannot resize the tmpfs at " + dir);
        }
    }

    static void unmount(Path dir) throws Exception {
        run("umount", dir.toString());
    }

    private static boolean run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
