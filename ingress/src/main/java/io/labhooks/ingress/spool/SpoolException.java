package io.labhooks.ingress.spool;

/** The spool cannot take or give a record. The subclasses say why. */
public class SpoolException extends Exception {
    private static final long serialVersionUID = 1L;

    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The spool holds {@code spool.max-bytes}: the ingress answers 503 until the forwarder drained some. */
    public static final class Full extends SpoolException {
        private static final long serialVersionUID = 1L;

        public Full(String message) {
            super(message, null);
        }
    }

    /** The spool cannot be written (a full disk, an I/O error, closed): 503, and the next write tries to recover. */
    public static final class Unavailable extends SpoolException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Another process (or another store in this one) holds the spool directory's RocksDB LOCK file. */
    public static final class Locked extends SpoolException {
        private static final long serialVersionUID = 1L;

        public Locked(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
