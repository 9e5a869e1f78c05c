package io.labhooks.ingress.spool;

import java.nio.file.Path;

/** {@link Tmpfs} for the tests of other packages. */
public final class TmpfsAccess {
    private TmpfsAccess() {
    }

    public static boolean mount(Path dir, String size) throws Exception {
        return Tmpfs.mount(dir, size);
    }

    public static void resize(Path dir, String size) throws Exception {
        Tmpfs.resize(dir, size);
    }

    public static void unmount(Path dir) throws Exception {
        Tmpfs.unmount(dir);
    }
}
