package io.labhooks.testkit.sim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fake webhook receiver on a real port: the JDK's HTTP server, answering each request with the status its
 * {@link Responder} picks, and remembering every request it got.
 */
final class SimReceiver implements AutoCloseable {
    /** A request as received; header names in lower case. */
    record Request(int number, String method, String path, Map<String, String> headers, byte[] body, long atNanos) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Picks the status for a request ({@code number} counts from 1); may block to play a slow server. */
    interface Responder {
        int status(Request request) throws InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Responder responder;
    private final List<Request> requests = new ArrayList<>();

    private SimReceiver(Responder responder) throws IOException {
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static SimReceiver start(Responder responder) throws IOException {
        return new SimReceiver(responder);
    }

    /** Always answers {@code status}. */
    static SimReceiver answering(int status) throws IOException {
        return new SimReceiver(r -> status);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        Request r;
        synchronized (this) {
            r = new Request(requests.size() + 1, ex.getRequestMethod(), ex.getRequestURI().getRawPath(), headers, body,
                    System.nanoTime());
            requests.add(r);
        }
        int status;
        try {
            status = responder.status(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 503;
        }
        byte[] answer = ("{\"status\":" + status + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            // after a client timeout this throws: the JDK server then closes the exchange itself
            ex.sendResponseHeaders(status, answer.length);
            ex.getResponseBody().write(answer);
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
