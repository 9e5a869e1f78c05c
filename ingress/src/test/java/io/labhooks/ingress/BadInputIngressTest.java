package io.labhooks.ingress;

import static io.labhooks.ingress.RawHttp.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad input against the real ingress on a real broker, over real sockets: a raw {@link java.net.Socket} where an
 * HTTP client would refuse to send the input, {@link java.net.http.HttpClient} otherwise. Every input gets a 4xx,
 * a closed connection, or (when the body starts like JSON) a 200 with the exact bytes in the raw topic; never a 5xx
 * or a hang. After each test a good delivery still gets a 200 at once and {@code /health/live} answers.
 */
class BadInputIngressTest {
    private static final Logger LOG = LoggerFactory.getLogger(BadInputIngressTest.class);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
    /** How long a raw socket waits for the server: above the server's timeouts, below Flabs' 10 s limit. */
    static final Duration CLIENT_WAIT = Duration.ofSeconds(8);
    static final int LIMIT = 1 << 20;
    static final String TOKEN = "bad-input-bearer-5e1b";
    static final String YAML = """
            ingress: {host: 127.0.0.1, port: 0, read-timeout: 1s, idle-timeout: 2s, ack-timeout: 5s, io-threads: 2}
            sources:
              - {id: open, vendor: generic, auth: {type: none}, pointers: {event-type: /event, entity-id: /id}}
              - {id: small, vendor: generic, max-body-bytes: 4096, auth: {type: none}, pointers: {event-type: /event, entity-id: /id}}
              - {id: flabs, vendor: flabs, auth: {type: bearer, tokens: ["%s"]}}
            """.formatted(TOKEN);

    static KafkaCluster kafka;
    static YamlIngress f;
    /** Cases per class, for docs/reliability.md. */
    static final Map<String, Integer> CASES = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaProvider.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.RAW, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        f = new YamlIngress(kafka.bootstrapServers(), YAML);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.get("/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (f != null) {
                String metrics = f.get("/metrics").body();
                assertThat(metrics).as("no request was answered 5xx").doesNotContainPattern("labhooks_ingress_requests_total\\{code=\"5");
                LOG.info("bad-input cases per class: {}", CASES);
            }
        } finally {
            if (f != null) {
                f.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    /** After every class of bad input: the worker pool and the IO threads still serve a good delivery at once. */
    @AfterEach
    void aGoodDeliveryStillGets200AtOnce() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> ok = f.post("/hooks/open", utf8("{\"good\":true}"), "Content-Type", "application/json");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(f.get("/health/live").statusCode()).isEqualTo(200);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void count(String cls, int n) {
        CASES.merge(cls, n, Integer::sum);
    }

    static RawHttp raw() {
        return new RawHttp(f.server.port(), CLIENT_WAIT);
    }

    /** A request head for {@code /hooks/open} with the given extra header lines (each ending in CRLF). */
    static String head(String path, String headerLines) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headerLines + "\r\n";
    }

    /** A refused request: a 4xx and the connection closed, or the connection closed without an answer; never a 5xx. */
    static void assertRefused(String what, RawHttp.Answer a) {
        assertThat(a.closed()).as("%s: the server closes the connection (got %s)", what, a.text()).isTrue();
        assertThat(a.statuses()).as("%s: answers", what).allSatisfy(s -> assertThat(s).isBetween(400, 499));
        assertThat(a.statuses().size()).as("%s: at most one answer: %s", what, a.text()).isLessThanOrEqualTo(1);
    }

    static HttpResponse<String> postOpen(byte[] body, String... headers) throws Exception {
        return f.post("/hooks/open", body, headers);
    }

    static String deliveryId(HttpResponse<String> r) {
        return r.headers().firstValue(Headers.HTTP_DELIVERY_ID).orElseThrow();
    }

    /** Asserts every accepted delivery is in the raw topic with exactly the bytes sent. */
    static void assertInRawTopicExactly(Map<String, byte[]> sentById) {
        if (sentById.isEmpty()) {
            return;
        }
        Map<String, byte[]> seen = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : IngressFixture.readRaw(kafka.bootstrapServers(), Integer.MAX_VALUE, Duration.ofSeconds(4))) {
            if (sentById.containsKey(r.key())) {
                seen.put(r.key(), r.value());
            }
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(sentById.keySet());
        sentById.forEach((id, body) -> assertThat(seen.get(id)).as("bytes of %s", id).isEqualTo(body));
    }

    // ---------------------------------------------------------------- random bytes, invalid UTF-8, NUL

    @Test
    void randomBytesAsTheWholeRequestAreRefused() throws Exception {
        Random r = new Random(20261201L);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[1 + r.nextInt(i % 10 == 0 ? 20_000 : 600)];
            r.nextBytes(b);
            inputs.add(b);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<RawHttp.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                byte[] b = inputs.get(i);
                boolean halfClose = i % 2 == 0;
                answers.add(pool.submit(() -> {
                    try (RawHttp c = raw()) {
                        c.sendTolerant(b);
                        if (halfClose) {
                            c.socket().shutdownOutput();
                        } else {
                            c.sendTolerant(ascii("\r\n\r\n"));
                        }
                        return c.answer();
                    }
                }));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertRefused("random request " + i, answers.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        count("random bytes as the request", inputs.size());
    }

    @Test
    void randomBytesAsTheBodyAre415UnlessTheyStartLikeJsonAndThenArrivePunctually() throws Exception {
        Random r = new Random(7L);
        Map<String, byte[]> accepted = new LinkedHashMap<>();
        int n = 300;
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[1 + r.nextInt(3000)];
            r.nextBytes(b);
            boolean jsonStart = i % 3 == 0;
            if (jsonStart) {
                b[0] = (byte) (i % 2 == 0 ? '{' : '[');
            } else if (b[0] == '{' || b[0] == '[' || b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n' || b[0] == (byte) 0xEF) {
                b[0] = 'x';
            }
            HttpResponse<String> resp = postOpen(b);
            if (jsonStart) {
                assertThat(resp.statusCode()).as("input %d", i).isEqualTo(200);
                accepted.put(deliveryId(resp), b);
            } else {
                assertThat(resp.statusCode()).as("input %d", i).isEqualTo(415);
            }
        }
        // Accepted bytes are kept exactly: the normalizer decides (BadInputTopologyTest: they go to the DLQ, not-json).
        assertInRawTopicExactly(accepted);
        count("random bytes as the body", n);
    }

    @Test
    void invalidUtf8AndNulBytes() throws Exception {
        Map<String, byte[]> accepted = new LinkedHashMap<>();
        byte[][] jsonStart = {
                {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'},           // bad continuation
                {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},    // overlong '/'
                {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}, // lone surrogate
                {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '}'},         // truncated sequence
                {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'},    // never valid
                {'{', '"', 'a', '"', ':', '"', 0, '"', '}'},                           // raw NUL in a string
                {'{', '}', 0, 0, 0},                                                   // trailing NULs
                {'[', 0, ']'},
        };
        for (byte[] b : jsonStart) {
            HttpResponse<String> resp = postOpen(b, "Content-Type", "application/json");
            assertThat(resp.statusCode()).isEqualTo(200);
            accepted.put(deliveryId(resp), b);
        }
        byte[][] notJson = {{0, '{', '}'}, {(byte) 0xFF, '{', '}'}, {(byte) 0xC3, 0x28}, {0}, {(byte) 0xFE, (byte) 0xFF, 0, '{'}};
        for (byte[] b : notJson) {
            assertThat(postOpen(b, "Content-Type", "application/json").statusCode()).isEqualTo(415);
        }
        assertInRawTopicExactly(accepted);

        // In the request head, where the client would refuse: NUL and invalid UTF-8 in the path and header values.
        String[] heads = {
                "POST /hooks/op\u0000en HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
                "POST /hooks/\u00c3\u0028 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
                "POST /hooks/open HTTP/1.1\r\nHost: x\r\nX-Coreone-Webhook-Type: a\u0000b\r\nContent-Length: 2\r\n\r\n{}",
                "POST /hooks/open HTTP/1.1\r\nHost: x\r\nX\u0000Y: 1\r\nContent-Length: 2\r\n\r\n{}",
                "POST /hooks/open HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u00ff\u00fe\r\nContent-Length: 2\r\n\r\n{}",
                "POST\u0000/hooks/open HTTP/1.1\r\nHost: x\r\n\r\n",
        };
        for (String h : heads) {
            try (RawHttp c = raw()) {
                RawHttp.Answer a = c.send(h + "").send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").answer();
                assertThat(a.closed()).as(h).isTrue();
                assertThat(a.statuses()).as(h).isNotEmpty().allSatisfy(s -> assertThat(s).isNotEqualTo(500).isLessThan(500));
            }
        }
        count("invalid UTF-8", 10);
        count("NUL bytes", 9);
    }

    // ---------------------------------------------------------------- sizes

    @Test
    void emptyBodyAndBodiesAtAndOverTheLimit() throws Exception {
        assertThat(postOpen(new byte[0], "Content-Type", "application/json").statusCode()).isEqualTo(415);
        byte[] atLimit = paddedJson(LIMIT);
        byte[] overLimit = paddedJson(LIMIT + 1);
        HttpResponse<String> ok = postOpen(atLimit, "Content-Type", "application/json");
        assertThat(ok.statusCode()).isEqualTo(200);
        // Over the limit by Content-Length: 413 before the body is read. Over a raw socket, because the JDK client
        // gives up on the answer when its write of the unread body fails as the server closes.
        try (RawHttp c = raw()) {
            c.send(head("/hooks/open", "Content-Type: application/json\r\nContent-Length: " + overLimit.length + "\r\n"));
            RawHttp.Answer a = c.sendTolerant(overLimit).answer();
            assertThat(a.status()).isEqualTo(413);
            assertRefused("limit + 1", a);
        }
        // chunked, where no Content-Length says so up front
        HttpResponse<String> okChunked = chunked("/hooks/open", atLimit);
        assertThat(okChunked.statusCode()).isEqualTo(200);
        assertThat(chunked("/hooks/open", overLimit).statusCode()).isEqualTo(413);
        // a source with its own small limit
        assertThat(f.post("/hooks/small", paddedJson(4096)).statusCode()).isEqualTo(200);
        assertThat(f.post("/hooks/small", paddedJson(4097)).statusCode()).isEqualTo(413);
        assertThat(chunked("/hooks/small", paddedJson(4097)).statusCode()).isEqualTo(413);
        assertInRawTopicExactly(Map.of(deliveryId(ok), atLimit, deliveryId(okChunked), atLimit));
        count("body size (0, limit, limit+1; CL and chunked)", 7);
    }

    @Test
    void aDeclaredHundredMegabyteBodyIs413AtOnceWithoutWaitingForIt() throws Exception {
        for (String path : List.of("/hooks/open", "/hooks/small")) {
            try (RawHttp c = raw()) {
                long t0 = System.nanoTime();
                c.send(head(path, "Content-Type: application/json\r\nContent-Length: 104857600\r\n"));
                c.sendTolerant(utf8("{\"x\":\"" + "a".repeat(1000)));
                RawHttp.Answer a = c.answer();
                assertThat(a.status()).isEqualTo(413);
                assertRefused("100 MB declared", a);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2)); // and 413, not the read timeout's 408
            }
        }
        // Chunked and never ending: cut at the limit, not after 100 MB.
        try (RawHttp c = raw()) {
            c.send(head("/hooks/small", "Transfer-Encoding: chunked\r\n"));
            byte[] chunk = ascii("400\r\n" + "{".repeat(1024) + "\r\n");
            for (int i = 0; i < 8; i++) {
                c.sendTolerant(chunk);
            }
            RawHttp.Answer a = c.answer();
            assertThat(a.status()).isEqualTo(413);
            assertRefused("endless chunked", a);
        }
        count("declared 100 MB / endless chunked", 3);
    }

    static byte[] paddedJson(int size) {
        String prefix = "{\"pad\":\"";
        String suffix = "\"}";
        return utf8(prefix + "a".repeat(size - prefix.length() - suffix.length()) + suffix);
    }

    static HttpResponse<String> chunked(String path, byte[] body) throws Exception {
        return f.http.send(HttpRequest.newBuilder(URI.create(f.base + path)).timeout(Duration.ofSeconds(9))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------- odd JSON (the normalizer decides)

    @Test
    void deepNestingDuplicateKeysAndHugeNumbersAreAcceptedByteForByte() throws Exception {
        Map<String, byte[]> sent = new LinkedHashMap<>();
        List<byte[]> bodies = List.of(
                utf8("[".repeat(100_000) + "]".repeat(100_000)),
                utf8("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)),
                utf8("[".repeat(100_000)),                              // deep and never closed
                utf8("{\"id\":1,\"id\":2,\"id\":{\"id\":3}}"),
                utf8("{\"n\":1e999999}"),
                utf8("{\"n\":-1e999999,\"m\":1e-999999}"),
                utf8("{\"n\":" + "9".repeat(5000) + "}"),
                utf8("{\"n\":NaN,\"m\":Infinity}"));
        for (byte[] b : bodies) {
            HttpResponse<String> r = postOpen(b, "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(200);
            sent.put(deliveryId(r), b);
        }
        assertInRawTopicExactly(sent);
        count("deep nesting / duplicate keys / huge numbers", bodies.size());
    }

    // ---------------------------------------------------------------- content types and encodings

    @Test
    void wrongContentTypesAre415AndAMissingOneIsSniffed() throws Exception {
        byte[] json = utf8("{\"ct\":1}");
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("text/plain", 415);
        expected.put("application/x-www-form-urlencoded", 415);
        expected.put("multipart/form-data; boundary=xyz", 415);
        expected.put("application/xml", 415);
        expected.put("application/jsonp", 415);
        expected.put("application/octet-stream", 415);
        expected.put(";;;", 415);
        expected.put("json", 415);
        expected.put("application/json", 200);
        expected.put("APPLICATION/JSON; charset=utf-8", 200);
        expected.put("application/vnd.flabs+json", 200);
        expected.put("text/json", 200);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            assertThat(postOpen(json, "Content-Type", e.getKey()).statusCode()).as(e.getKey()).isEqualTo(e.getValue());
        }
        // No Content-Type at all: the body is sniffed.
        assertThat(postOpen(json).statusCode()).isEqualTo(200);
        assertThat(postOpen(utf8("a=1&b=2")).statusCode()).isEqualTo(415);
        // An empty Content-Type value, only possible over a raw socket.
        try (RawHttp c = raw()) {
            RawHttp.Answer a = c.send(head("/hooks/open", "Content-Type: \r\nContent-Length: 2\r\nConnection: close\r\n") + "{}").answer();
            assertThat(a.status()).isEqualTo(415);
        }
        count("content type", expected.size() + 3);
    }

    @Test
    void contentEncodingIsRefusedWith415SoAGzipBombIsNeverInflated() throws Exception {
        byte[] bomb = gzipOfZeros(100L << 20); // 100 MiB of zeros in about 100 KiB
        assertThat(bomb.length).isLessThan(LIMIT);
        for (String enc : List.of("gzip", "GZIP", "deflate", "br", "x-gzip", "gzip, identity", "compress")) {
            HttpResponse<String> r = postOpen(bomb, "Content-Type", "application/json", "Content-Encoding", enc);
            assertThat(r.statusCode()).as(enc).isEqualTo(415);
            assertThat(r.body()).as(enc).contains("Content-Encoding");
        }
        // gzip'd JSON is refused just the same: the signature covers the bytes as sent, and vendors send plain JSON.
        byte[] gzJson = gzip(utf8("{\"zipped\":true}"));
        assertThat(postOpen(gzJson, "Content-Type", "application/json", "Content-Encoding", "gzip").statusCode()).isEqualTo(415);
        // identity is no encoding.
        assertThat(postOpen(utf8("{}"), "Content-Type", "application/json", "Content-Encoding", "identity").statusCode()).isEqualTo(200);
        // A gzip Transfer-Encoding (hop-by-hop) is not understood either: refused, never inflated.
        try (RawHttp c = raw()) {
            c.send(head("/hooks/open", "Transfer-Encoding: gzip, chunked\r\n"));
            c.sendTolerant(ascii(Integer.toHexString(bomb.length) + "\r\n"));
            c.sendTolerant(bomb);
            c.sendTolerant(ascii("\r\n0\r\n\r\n"));
            RawHttp.Answer a = c.answer();
            assertRefused("Transfer-Encoding: gzip", a);
        }
        count("Content-Encoding (gzip bomb and others)", 10);
    }

    static byte[] gzipOfZeros(long n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 16];
            for (long left = n; left > 0; left -= zeros.length) {
                gz.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- headers

    @Test
    void twoThousandHeadersOrAHugeHeaderAreRefused() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        try (RawHttp c = raw()) {
            c.sendTolerant(ascii(head("/hooks/open", many + "Content-Length: 2\r\n") + "{}"));
            RawHttp.Answer a = c.answer();
            assertRefused("2000 headers", a);
        }
        try (RawHttp c = raw()) {
            c.sendTolerant(ascii(head("/hooks/open", "X-Big: " + "a".repeat(100_000) + "\r\nContent-Length: 2\r\n") + "{}"));
            assertRefused("one 100 KB header", c.answer());
        }
        // Under the limit it is an ordinary delivery.
        StringBuilder some = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            some.append("X-H").append(i).append(": v\r\n");
        }
        try (RawHttp c = raw()) {
            RawHttp.Answer a = c.send(head("/hooks/open", some + "Content-Length: 2\r\nConnection: close\r\n") + "{}").answer();
            assertThat(a.status()).isEqualTo(200);
        }
        count("2,000 headers / one huge header", 3);
    }

    // ---------------------------------------------------------------- request smuggling

    @Test
    void ambiguousFramingIsRefusedWith400AndTheConnectionClosedSoNothingIsSmuggled() throws Exception {
        AtomicInteger k = new AtomicInteger();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("CL + TE", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n");
        cases.put("TE + CL", "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n");
        cases.put("CL + TE (TE with odd case)", "Content-Length: 4\r\nTransfer-Encoding: ChUnKeD\r\n");
        cases.put("negative CL", "Content-Length: -1\r\n");
        cases.put("negative CL, big", "Content-Length: -104857600\r\n");
        cases.put("signed CL", "Content-Length: +4\r\n");
        cases.put("hex CL", "Content-Length: 0x4\r\n");
        cases.put("CL not a number", "Content-Length: four\r\n");
        cases.put("CL overflows a long", "Content-Length: 99999999999999999999999\r\n");
        cases.put("two different CLs", "Content-Length: 4\r\nContent-Length: 90\r\n");
        cases.put("CL list", "Content-Length: 4, 90\r\n");
        cases.put("obs-fold on TE", "Content-Length: 4\r\nTransfer-Encoding:\r\n chunked\r\n");
        cases.put("TE not chunked", "Transfer-Encoding: identity\r\nContent-Length: 4\r\n");
        cases.put("TE chunked twice", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n");
        cases.put("TE xchunked", "Transfer-Encoding: xchunked\r\n");
        cases.put("TE with tab", "Transfer-Encoding:\tchunked\r\nContent-Length: 4\r\n");
        cases.put("space before colon", "Transfer-Encoding : chunked\r\nContent-Length: 4\r\n");
        cases.put("bad chunk size", "Transfer-Encoding: chunked\r\n");
        int n = 0;
        for (Map.Entry<String, String> e : cases.entrySet()) {
            String marker = "smuggled-" + k.incrementAndGet();
            String smuggledBody = "{\"" + marker + "\":1}";
            String smuggled = "POST /hooks/open HTTP/1.1\r\nHost: x\r\nContent-Length: " + smuggledBody.length() + "\r\n\r\n" + smuggledBody;
            String body = e.getKey().equals("bad chunk size") ? "zz\r\n{}\r\n0\r\n\r\n" + smuggled : "0\r\n\r\n" + smuggled;
            try (RawHttp c = raw()) {
                c.sendTolerant(ascii(head("/hooks/open", e.getValue()) + body));
                RawHttp.Answer a = c.answer();
                assertRefused(e.getKey(), a);
                assertThat(a.status()).as("%s: %s", e.getKey(), a.text()).isIn(400, 0);
            }
            n++;
        }
        // obs-fold on an ordinary header: Undertow unfolds it into one value (RFC 9112 section 5.2 allows that), so the
        // framing stays unambiguous: the 4 bytes "0\r\n\r" are the body (not JSON: 415, connection closed).
        // The same holds for a folded Content-Length. (A folded Transfer-Encoding meets the CL + TE refusal above.)
        for (String folded : List.of("X-Folded: a\r\n b\r\nContent-Length: 4\r\n", "Content-Length:\r\n 4\r\n")) {
            try (RawHttp c = raw()) {
                c.sendTolerant(ascii(head("/hooks/open", folded)
                        + "0\r\n\r\nPOST /hooks/open HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n{\"smuggled-0\":1}"));
                RawHttp.Answer a = c.answer();
                assertRefused(folded, a);
                assertThat(a.status()).as(folded).isIn(400, 415);
                n++;
            }
        }
        // Nothing that any framing could have smuggled reached the raw topic.
        for (ConsumerRecord<String, byte[]> r : IngressFixture.readRaw(kafka.bootstrapServers(), Integer.MAX_VALUE, Duration.ofSeconds(3))) {
            assertThat(new String(r.value(), StandardCharsets.ISO_8859_1)).doesNotContain("smuggled-");
        }
        count("request smuggling (CL+TE, negative/duplicate CL, obs-fold, bad TE)", n);
    }

    // ---------------------------------------------------------------- slow and idle clients

    @Test
    void headersDrippedAtOneBytePerSecondAreCutOffWithinTheReadTimeout() throws Exception {
        ScheduledExecutorService drip = Executors.newScheduledThreadPool(2);
        try {
            List<RawHttp> clients = new ArrayList<>();
            List<String> starts = List.of("P", "POST /hooks/open HTTP/1.1\r\n", "POST /hooks/open HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nX-Drip: ");
            try {
                for (String s : starts) {
                    RawHttp c = raw();
                    clients.add(c);
                    c.send(s);
                    byte[] more = ascii("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
                    AtomicInteger at = new AtomicInteger();
                    drip.scheduleAtFixedRate(() -> {
                        int i = at.getAndIncrement();
                        if (i < more.length) {
                            c.sendTolerant(new byte[] {more[i]});
                        }
                    }, 1, 1, TimeUnit.SECONDS);
                }
                long t0 = System.nanoTime();
                // Meanwhile others are served at once.
                for (int i = 0; i < 3; i++) {
                    long t1 = System.nanoTime();
                    assertThat(postOpen(utf8("{\"meanwhile\":" + i + "}")).statusCode()).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(2));
                }
                for (RawHttp c : clients) {
                    RawHttp.Answer a = c.answer();
                    assertThat(a.closed()).as("dripping client is cut off").isTrue();
                    assertThat(a.statuses()).allSatisfy(s -> assertThat(s).isEqualTo(408));
                }
                // read-timeout 1 s; the drip would take 40 s
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(READ_TIMEOUT.plusSeconds(5));
            } finally {
                for (RawHttp c : clients) {
                    c.close();
                }
            }
        } finally {
            drip.shutdownNow();
        }
        count("headers dripped at 1 B/s", 3);
    }

    @Test
    void fifteenHundredIdleConnectionsAreClosedWithinTheIdleTimeoutAndDoNotStarveOthers() throws Exception {
        int n = 1500;
        List<RawHttp> idle = new ArrayList<>(n);
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                idle.add(new RawHttp(f.server.port(), CLIENT_WAIT));
            }
            for (int i = 0; i < 3; i++) {
                long t1 = System.nanoTime();
                assertThat(postOpen(utf8("{\"besideIdle\":" + i + "}")).statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(2));
            }
            ExecutorService readers = Executors.newFixedThreadPool(32);
            try {
                Map<Boolean, Integer> closed = new ConcurrentHashMap<>();
                List<Future<?>> all = new ArrayList<>();
                for (RawHttp c : idle) {
                    all.add(readers.submit(() -> {
                        RawHttp.Answer a = c.answer();
                        closed.merge(a.closed() && a.statuses().stream().allMatch(s -> s == 408), 1, Integer::sum);
                    }));
                }
                for (Future<?> fu : all) {
                    fu.get(30, TimeUnit.SECONDS);
                }
                assertThat(closed).containsExactly(Map.entry(true, n));
            } finally {
                readers.shutdownNow();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(IDLE_TIMEOUT.plusSeconds(5));
        } finally {
            for (RawHttp c : idle) {
                c.close();
            }
        }
        count("idle connections", n);
    }

    @Test
    void manyBodiesThatNeverFinishAre408WithinTheReadTimeout() throws Exception {
        int n = 100;
        List<RawHttp> slow = new ArrayList<>(n);
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                RawHttp c = raw();
                slow.add(c);
                c.send(head("/hooks/open", "Content-Type: application/json\r\nContent-Length: 100\r\n") + "{\"partial\":");
            }
            assertThat(postOpen(utf8("{\"besideSlow\":1}")).statusCode()).isEqualTo(200);
            for (RawHttp c : slow) {
                RawHttp.Answer a = c.answer();
                assertThat(a.status()).isEqualTo(408);
                assertRefused("unfinished body", a);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(READ_TIMEOUT.plusSeconds(4));
        } finally {
            for (RawHttp c : slow) {
                c.close();
            }
        }
        count("bodies that never finish", n);
    }
}
