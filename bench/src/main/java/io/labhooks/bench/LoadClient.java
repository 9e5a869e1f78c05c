package io.labhooks.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.Locale;
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
    private final int timeoutMillis;
    private final ExecutorService threads;
    private final Connection[] connections;

    /**
     * @param headers extra request headers (e.g. Authorization); Host, Content-Type and Content-Length are set here
     */
    public LoadClient(InetSocketAddress server, String path, Map<String, String> headers, Payloads payloads, int concurrency,
                      Duration timeout) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
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

    /** One keep-alive connection: writes a whole request, reads one response (Content-Length or chunked). */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        private final byte[] skip = new byte[8192];
        private boolean reusable = true;

        Connection(InetSocketAddress server, int timeoutMillis) throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(timeoutMillis);
                s.connect(server, timeoutMillis);
                this.out = s.getOutputStream();
                this.in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
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
            out.flush();
            String statusLine = readLine();
            if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
                throw new IOException("bad status line: " + statusLine);
            }
            int code = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h = readLine(); !h.isEmpty(); h = readLine()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> reusable = !value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(readLine().split(";", 2)[0].trim(), 16); size > 0;
                     size = Long.parseLong(readLine().split(";", 2)[0].trim(), 16)) {
                    discard(size);
                    readLine();
                }
                String trailer;
                do {
                    trailer = readLine();
                } while (!trailer.isEmpty());
            } else if (length >= 0) {
                discard(length);
            } else {
                throw new IOException("response without Content-Length or chunked encoding");
            }
            return code;
        }

        private void discard(long n) throws IOException {
            long left = n;
            while (left > 0) {
                int r = in.read(skip, 0, (int) Math.min(skip.length, left));
                if (r < 0) {
                    throw new EOFException("connection closed in a response body");
                }
                left -= r;
            }
        }

        private String readLine() throws IOException {
            line.reset();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
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
