package io.labhooks.ingress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain {@link Socket} for requests that an HTTP client would refuse to send (smuggling framings, NUL bytes,
 * thousands of headers). {@link #answer()} reads until the server closes the connection or the read times out.
 */
final class RawHttp implements AutoCloseable {
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

    private final Socket socket;

    RawHttp(int port, Duration readTimeout) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) readTimeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    RawHttp send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    RawHttp send(String s) throws IOException {
        return send(ascii(s));
    }

    /**
     * Writes as much of {@code bytes} as the server takes; a server that answered and closed early makes the
     * write fail, which is a fine outcome for a request it refused.
     */
    RawHttp sendTolerant(byte[] bytes) {
        try {
            send(bytes);
        } catch (IOException e) {
            // the server closed the connection while the request was being written (it answered early)
            return this;
        }
        return this;
    }

    Socket socket() {
        return socket;
    }

    /** What the server sent until it closed the connection (or until the read timed out: {@link Answer#closed()} false). */
    Answer answer() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        try {
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(b)) >= 0; ) {
                buf.write(b, 0, n);
            }
            return new Answer(buf.toString(StandardCharsets.ISO_8859_1), true);
        } catch (SocketTimeoutException e) {
            return new Answer(buf.toString(StandardCharsets.ISO_8859_1), false);
        } catch (IOException e) {
            // connection reset: the server closed without reading all we sent; that counts as closed
            return new Answer(buf.toString(StandardCharsets.ISO_8859_1), true);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The bytes the server sent on one connection. */
    record Answer(String text, boolean closed) {
        /** Every status line's code, in order (pipelined answers show as several). */
        List<Integer> statuses() {
            List<Integer> out = new ArrayList<>();
            Matcher m = STATUS.matcher(text);
            while (m.find()) {
                out.add(Integer.parseInt(m.group(1)));
            }
            return out;
        }

        /** The first status, or 0 if the server closed without answering. */
        int status() {
            List<Integer> s = statuses();
            return s.isEmpty() ? 0 : s.get(0);
        }
    }
}
