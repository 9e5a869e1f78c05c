package io.labhooks.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures {@code System.out} while open, optionally still passing it through, and restores the
 * previous stream on close. {@code ProducerPerformance} reports its numbers only on standard output;
 * this is how the benchmark reads them in-process.
 *
 * <p>{@code System.out} is process-wide: anything other threads print meanwhile is captured too (the
 * parser looks for one specific line, so that does no harm), and captures must not overlap.
 */
final class StdoutCapture implements AutoCloseable {
    private final PrintStream previous;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream capturing;
    private boolean closed;

    StdoutCapture(boolean passThrough) {
        this.previous = System.out;
        OutputStream sink = passThrough ? new Tee(captured, previous) : captured;
        this.capturing = new PrintStream(sink, true, StandardCharsets.UTF_8);
        System.setOut(capturing);
    }

    /** What was printed so far. */
    synchronized String text() {
        capturing.flush();
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        capturing.flush();
        if (System.out == capturing) {
            System.setOut(previous);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
