package io.labhooks.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A closed-loop HTTP/1.1 load generator: {@code concurrency} keep-alive connections, each with one
 * request in flight, POSTing until the requested count is sent. One platform thread per connection with
 * blocking sockets: the leanest client in CPU per request, which matters on a machine where the client,
 * the ingress and the broker share the cores. Connections stay open from one {@link #run} to the next,
 * so a warm-up run also warms the connections.
 *
 * <p>Latency is client-observed: from just before the request is written to the end of the response body.
 *
 * <p>With a rate ({@code ratePerSec > 0}) it is an open-loop, fixed-rate load instead, corrected for coordinated
 * omission as wrk2 does: request {@code i} has an intended start of {@code runStart + i / rate}; a connection waits
 * for that time if it is early, and its latency is measured from the intended start, not from when it got round to
 * sending. A server that stalls for a second thus shows a second of latency on every request that should have been
 * sent meanwhile, instead of on one.
 */
public final class LoadClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadClient.class);

    /** What one run saw. {@code latencyNanos} holds one entry per request that got a response. */
    public record Outcome(int requests, int ok, SortedMap<Integer, Integer> nonOk, int ioErrors, List<String> firstErrors,
                          long elapsedNanos, long[] latencyNanos) {
        public double requestsPerSec() {
            return ok * 1e9 / elapsedNanos;
        }

        public int failures() {
            return requests - ok;
        }
    }

    private final InetSocketAddress server;
    private final byte[] requestHead;
    private final Payloads payloads;
    private final int concurrency;
    private final double ratePerSec;
    private final int timeoutMillis;
    private final ExecutorService threads;
    private final Connection[] connections;

    /**
     * @param headers extra request headers (e.g. Authorization); Host, Content-Type and Content-Length are set here
     */
    public LoadClient(InetSocketAddress server, String path, Map<String, String> headers, Payloads payloads, int concurrency,
                      Duration timeout) {
        this(server, path, headers, payloads, concurrency, 0, timeout);
    }

    /**
     * @param ratePerSec requests per second over all connections, each timed from its intended start; 0 for the
     *                   closed loop (each connection sends as soon as its previous answer is in)
     */
    public LoadClient(InetSocketAddress server, String path, Map<String, String> headers, Payloads payloads, int concurrency,
                      double ratePerSec, Duration timeout) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (!(ratePerSec >= 0) || Double.isInfinite(ratePerSec)) {
            throw new IllegalArgumentException("rate must be a number >= 0, was " + ratePerSec);
        }
        this.ratePerSec = ratePerSec;
        this.server = server;
        this.payloads = payloads;
        this.concurrency = concurrency;
        this.timeoutMillis = (int) timeout.toMillis();
        StringBuilder head = new StringBuilder()
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(payloads.size()).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        this.requestHead = head.toString().getBytes(StandardCharsets.US_ASCII);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "bench-load-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.connections = new Connection[concurrency];
    }

    /**
     * Sends {@code requests} requests with bodies {@code firstSeq}, {@code firstSeq + 1}, ... and waits for
     * every answer. Not reentrant: one run at a time.
     */
    public synchronized Outcome run(long firstSeq, int requests) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger ioErrors = new AtomicInteger();
        long[] latencies = new long[requests];
        int[] status = new int[requests];
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        long[] runStart = new long[1];   // written before go.countDown(), read after go.await()
        double intervalNanos = ratePerSec > 0 ? 1e9 / ratePerSec : 0;
        List<Future<?>> workers = new ArrayList<>(concurrency);
        for (int k = 0; k < concurrency; k++) {
            int slot = k;
            workers.add(threads.submit(() -> {
                go.await();
                byte[] request = new byte[requestHead.length + payloads.size()];
                System.arraycopy(requestHead, 0, request, 0, requestHead.length);
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    byte[] body = payloads.body(firstSeq + i);
                    System.arraycopy(body, 0, request, requestHead.length, body.length);
                    long start = System.nanoTime();
                    if (intervalNanos > 0) {
                        long intended = runStart[0] + (long) (i * intervalNanos);
                        for (long wait = intended - start; wait > 0; wait = intended - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        start = intended;   // late or not, the latency counts from when the request was due
                    }
                    try {
                        Connection c = connection(slot);
                        int code = c.exchange(request);
                        latencies[i] = System.nanoTime() - start;
                        status[i] = code;
                        if (code == 200) {
                            ok.incrementAndGet();
                        }
                        if (!c.reusable()) {
                            drop(slot);
                        }
                    } catch (IOException e) {
                        latencies[i] = -1;
                        ioErrors.incrementAndGet();
                        if (errors.size() < 5) {
                            errors.add(e.toString());
                        }
                        drop(slot);
                    }
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        runStart[0] = start;
        go.countDown();
        try {
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("load worker failed: " + e.getCause(), e.getCause());
        }
        long elapsed = System.nanoTime() - start;
        SortedMap<Integer, Integer> nonOk = new TreeMap<>();
        int answered = 0;
        for (int i = 0; i < requests; i++) {
            if (latencies[i] >= 0) {
                answered++;
                if (status[i] != 200) {
                    nonOk.merge(status[i], 1, Integer::sum);
                }
            }
        }
        long[] measured = new long[answered];
        for (int i = 0, j = 0; i < requests; i++) {
            if (latencies[i] >= 0) {
                measured[j++] = latencies[i];
            }
        }
        if (!nonOk.isEmpty() || ioErrors.get() > 0) {
            LOG.warn("{} of {} requests were not answered 200: {} by status, {} I/O errors {}", requests - ok.get(), requests,
                    nonOk, ioErrors.get(), errors);
        }
        return new Outcome(requests, ok.get(), Collections.unmodifiableSortedMap(nonOk), ioErrors.get(), List.copyOf(errors),
                elapsed, measured);
    }

    private Connection connection(int slot) throws IOException {
        Connection c = connections[slot];
        if (c == null) {
            c = new Connection(server, timeoutMillis);
            connections[slot] = c;
        }
        return c;
    }

    private void drop(int slot) {
        Connection c = connections[slot];
        connections[slot] = null;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public synchronized void close() {
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("load client threads did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < connections.length; i++) {
            drop(i);
        }
    }

    /**
     * One keep-alive connection: writes a whole request, reads one response (Content-Length or chunked).
     * It parses the response in its own buffer without building strings, to keep the client's CPU per
     * request small: the client shares the cores with what it measures.
     */
    private static final class Connection implements AutoCloseable {
        private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CONNECTION = "connection".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] CLOSE = "close".getBytes(StandardCharsets.US_ASCII);

        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buf = new byte[16 * 1024];
        private int pos;
        private int limit;
        private boolean reusable = true;

        Connection(InetSocketAddress server, int timeoutMillis) throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(timeoutMillis);
                s.connect(server, timeoutMillis);
                this.out = s.getOutputStream();
                this.in = s.getInputStream();
            } catch (IOException e) {
                s.close();
                throw e;
            }
            this.socket = s;
        }

        /** False once the server announced {@code Connection: close}. */
        boolean reusable() {
            return reusable;
        }

        /** Writes the request and reads the whole response; returns the status code. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            int lineEnd = lineEnd();
            if (lineEnd - pos < 12 || buf[pos] != 'H' || buf[pos + 8] != ' ') {
                throw new IOException("bad status line: " + new String(buf, pos, Math.max(0, lineEnd - pos), StandardCharsets.US_ASCII));
            }
            int code = (buf[pos + 9] - '0') * 100 + (buf[pos + 10] - '0') * 10 + (buf[pos + 11] - '0');
            pos = lineEnd + 2;
            long length = -1;
            boolean chunked = false;
            for (lineEnd = lineEnd(); lineEnd > pos; lineEnd = lineEnd()) {
                int colon = pos;
                while (colon < lineEnd && buf[colon] != ':') {
                    colon++;
                }
                int v = colon + 1;
                while (v < lineEnd && buf[v] == ' ') {
                    v++;
                }
                if (isName(colon, CONTENT_LENGTH)) {
                    length = number(v, lineEnd, 10);
                } else if (isName(colon, TRANSFER_ENCODING)) {
                    chunked = contains(v, lineEnd, CHUNKED);
                } else if (isName(colon, CONNECTION)) {
                    reusable = !contains(v, lineEnd, CLOSE);
                }
                pos = lineEnd + 2;
            }
            pos = lineEnd + 2;
            if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    discard(size);
                    pos = lineEnd() + 2;
                }
                for (lineEnd = lineEnd(); lineEnd > pos; lineEnd = lineEnd()) {
                    pos = lineEnd + 2; // trailers
                }
                pos = lineEnd + 2;
            } else if (length >= 0) {
                discard(length);
            } else {
                throw new IOException("response without Content-Length or chunked encoding");
            }
            return code;
        }

        private long chunkSize() throws IOException {
            int end = lineEnd();
            int semi = pos;
            while (semi < end && buf[semi] != ';' && buf[semi] != ' ') {
                semi++;
            }
            long size = number(pos, semi, 16);
            pos = end + 2;
            return size;
        }

        /** The index of the next CR LF at or after {@code pos}, reading more as needed. */
        private int lineEnd() throws IOException {
            int scanned = 0;
            while (true) {
                for (int i = pos + scanned; i + 1 < limit; i++) {
                    if (buf[i] == '\r' && buf[i + 1] == '\n') {
                        return i;
                    }
                }
                scanned = Math.max(0, limit - 1 - pos);
                fill();
            }
        }

        /** Reads more bytes, first moving the unread ones to the front. */
        private void fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                throw new IOException("response line or header longer than " + buf.length + " bytes");
            }
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                throw new EOFException("connection closed by the server");
            }
            limit += r;
        }

        private void discard(long n) throws IOException {
            long left = n;
            while (left > 0) {
                if (pos == limit) {
                    pos = 0;
                    limit = 0;
                    fill();
                }
                int take = (int) Math.min(left, limit - pos);
                pos += take;
                left -= take;
            }
        }

        private boolean isName(int colon, byte[] lowerName) {
            if (colon - pos != lowerName.length) {
                return false;
            }
            for (int i = 0; i < lowerName.length; i++) {
                if ((buf[pos + i] | 0x20) != lowerName[i] && buf[pos + i] != lowerName[i]) {
                    return false;
                }
            }
            return true;
        }

        private boolean contains(int from, int to, byte[] lowerWord) {
            outer:
            for (int i = from; i + lowerWord.length <= to; i++) {
                for (int j = 0; j < lowerWord.length; j++) {
                    if ((buf[i + j] | 0x20) != lowerWord[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        private long number(int from, int to, int radix) throws IOException {
            if (from >= to) {
                throw new IOException("missing number in the response");
            }
            long n = 0;
            for (int i = from; i < to; i++) {
                int d = Character.digit(buf[i], radix);
                if (d < 0) {
                    throw new IOException("bad number in the response");
                }
                n = n * radix + d;
            }
            return n;
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing a load connection: {}", e.toString());
            }
        }
    }
}
