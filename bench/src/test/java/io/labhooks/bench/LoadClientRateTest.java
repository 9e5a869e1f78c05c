package io.labhooks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coordinated omission: a server that stalls once for 500 ms. The closed loop sees one slow request; the fixed-rate
 * mode times each request from when it was due, so every request due during the stall is slow, as a vendor sending
 * at that rate would see it.
 */
class LoadClientRateTest {
    private static final long STALL_MS = 500;
    private ServerSocket server;
    private ExecutorService threads;
    private final AtomicInteger requests = new AtomicInteger();
    /** Released by the test when the stalled answer may go; a timeout makes it a 500 ms stall. */
    private final CountDownLatch never = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads = Executors.newCachedThreadPool();
        threads.submit(() -> {
            while (!server.isClosed()) {
                Socket s = server.accept();
                threads.submit(() -> serve(s));
            }
            return null;
        });
    }

    @AfterEach
    void stop() throws IOException {
        never.countDown();
        server.close();
        threads.shutdownNow();
    }

    private Void serve(Socket s) throws IOException, InterruptedException {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (LoadClientTest.skipRequest(in)) {
                if (requests.getAndIncrement() == 5) {
                    assertThat(never.await(STALL_MS, TimeUnit.MILLISECONDS)).isFalse();   // the stall
                }
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            return null;
        }
    }

    private LoadClient.Outcome run(double rate, int n) throws Exception {
        try (LoadClient client = new LoadClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                "/hooks/x", Map.of(), new Payloads(600), 1, rate, Duration.ofSeconds(10))) {
            return client.run(0, n);
        }
    }

    private static long slowerThan(long[] nanos, long millis) {
        return Arrays.stream(nanos).filter(v -> v > TimeUnit.MILLISECONDS.toNanos(millis)).count();
    }

    @Test
    void theClosedLoopSeesTheStallOnce() throws Exception {
        LoadClient.Outcome o = run(0, 60);
        assertThat(o.ok()).isEqualTo(60);
        assertThat(slowerThan(o.latencyNanos(), 200)).isEqualTo(1);
    }

    @Test
    void theFixedRateModeCountsItForEveryRequestDueDuringTheStall() throws Exception {
        // 100/s: about 50 requests are due during the 500 ms stall; those due in its first 300 ms wait over 200 ms
        LoadClient.Outcome o = run(100, 60);
        assertThat(o.ok()).isEqualTo(60);
        assertThat(slowerThan(o.latencyNanos(), 200)).isGreaterThanOrEqualTo(20);
        Latency l = Latency.ofNanos(o.latencyNanos());
        assertThat(l.maxMs()).isGreaterThanOrEqualTo(STALL_MS * 0.95);
        // and it paces: 60 requests at 100/s take at least 0.59 s
        assertThat(Duration.ofNanos(o.elapsedNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(590));
    }

    @Test
    void latencyPercentilesComeFromHdrHistogram() {
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = TimeUnit.MILLISECONDS.toNanos(i + 1);   // 1..1000 ms
        }
        Latency l = Latency.ofNanos(nanos);
        assertThat(l.samples()).isEqualTo(1000);
        assertThat(l.p50Ms()).isBetween(500.0, 500.0 * 1.001);
        assertThat(l.p99Ms()).isBetween(990.0, 990.0 * 1.001);
        assertThat(l.maxMs()).isBetween(1000.0, 1000.0 * 1.001);
        assertThat(Latency.ofNanos(new long[0]).p99Ms()).isNaN();
    }
}
