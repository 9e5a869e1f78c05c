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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load client's HTTP/1.1 parsing against a scripted server: Content-Length, chunked, Connection: close. */
class LoadClientTest {
    private static final int BODY = 600;
    private ServerSocket server;
    private ExecutorService threads;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads = Executors.newCachedThreadPool();
        threads.submit(() -> {
            while (!server.isClosed()) {
                Socket s = server.accept();
                connections.incrementAndGet();
                threads.submit(() -> serve(s));
            }
            return null;
        });
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    /** Answers in turn: 200 with Content-Length, 200 chunked, 503 with Connection: close. */
    private Void serve(Socket s) throws IOException {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                if (!skipRequest(in)) {
                    return null;
                }
                int n = requests.getAndIncrement();
                String response = switch (n % 3) {
                    case 0 -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 21\r\n\r\n{\"status\":\"accepted\"}";
                    case 1 -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n";
                    default -> "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy";
                };
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (n % 3 == 2) {
                    return null;
                }
            }
        }
    }

    /** Reads headers up to the blank line, then the body of Content-Length bytes; false at end of stream. */
    static boolean skipRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.append((char) b);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return in.readNBytes(length).length == length;
    }

    @Test
    void parsesContentLengthChunkedAndReconnectsAfterClose() throws Exception {
        try (LoadClient client = new LoadClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                "/hooks/x", Map.of("Authorization", "Bearer t"), new Payloads(BODY), 1, Duration.ofSeconds(10))) {
            LoadClient.Outcome o = client.run(0, 9);

            assertThat(o.requests()).isEqualTo(9);
            assertThat(o.ioErrors()).as("I/O errors: %s", o.firstErrors()).isZero();
            assertThat(o.ok()).isEqualTo(6);
            assertThat(o.nonOk()).containsExactlyEntriesOf(Map.of(503, 3));
            assertThat(o.latencyNanos()).hasSize(9);
            assertThat(connections.get()).as("a new connection after each Connection: close").isEqualTo(3);
            assertThat(o.firstErrors()).isEqualTo(List.of());
        }
    }
}
