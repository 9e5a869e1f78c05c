package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.AuthType;
import io.labhooks.config.RateLimit;
import io.labhooks.config.Secret;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.ingress.auth.Hmac;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ingress over real HTTP against a real broker. */
class IngressServerTest {
    static final String COREONE_SECRET = "It's a Secret to Everybody";
    static final String FLABS_TOKEN = "flabs-token-7c1f";
    static final String BASIC_PASSWORD = "basic-pw-91";
    static final String PATH_TOKEN = "confident-path-3d2a";
    static final List<String> SECRETS = List.of(COREONE_SECRET, FLABS_TOKEN, BASIC_PASSWORD, PATH_TOKEN);

    static KafkaCluster kafka;
    static IngressFixture f;

    static List<SourceConfig> sources() {
        return List.of(
                SourceConfig.of("coreone", Vendor.COREONE, AuthConfig.hmac("X-Coreone-Webhook-Hash", AuthConfig.Encoding.HEX, "rotated-out", COREONE_SECRET)),
                SourceConfig.of("flabs", Vendor.FLABS, AuthConfig.bearer(FLABS_TOKEN)),
                SourceConfig.of("confident", Vendor.CONFIDENT, AuthConfig.pathToken(PATH_TOKEN)),
                SourceConfig.of("lml", Vendor.LML, new AuthConfig(AuthType.BASIC, null, null, null, null, null,
                        List.of(new AuthConfig.BasicUser("lml", Secret.of(BASIC_PASSWORD))))),
                new SourceConfig("small", Vendor.GENERIC, null, 1024, AuthConfig.none(), Optional.empty(), null),
                new SourceConfig("limited", Vendor.FLABS, null, 1 << 20, AuthConfig.bearer(FLABS_TOKEN),
                        Optional.of(new RateLimit(0.5, 2)), null),
                SourceConfig.of("load", Vendor.FLABS, AuthConfig.bearer(FLABS_TOKEN)));
    }

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaProvider.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.RAW, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        f = new IngressFixture(kafka.bootstrapServers(), sources(), Duration.ofSeconds(5), Duration.ofSeconds(2), 4096, Optional.empty());
        await().atMost(Duration.ofSeconds(30)).until(() -> f.get("/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) {
            f.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String sign(byte[] body) {
        return Hmac.sha256Hex(Secret.of(COREONE_SECRET), body);
    }

    static void assertNoLeak(HttpResponse<String> r) {
        String everything = r.body() + r.headers().map();
        for (String s : SECRETS) {
            assertThat(everything).doesNotContain(s);
        }
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.labhooks");
        assertThat(r.body().length()).isLessThan(200);
    }

    static String deliveryIdOf(HttpResponse<String> r) {
        return r.headers().firstValue(Headers.HTTP_DELIVERY_ID).orElseThrow();
    }

    static ConsumerRecord<String, byte[]> rawRecord(String deliveryId) {
        return IngressFixture.readRaw(kafka.bootstrapServers(), Integer.MAX_VALUE, Duration.ofSeconds(3)).stream()
                .filter(r -> r.key().equals(deliveryId)).findFirst().orElseThrow();
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void githubExampleSignatureIsAcceptedAndOneFlippedByteIsRejected() throws Exception {
        byte[] body = utf8("Hello, World!");
        // GitHub's example body is not JSON: a good signature passes auth and then meets the JSON check (415) ...
        HttpResponse<String> signed = f.post("/hooks/coreone", body, "X-Coreone-Webhook-Hash",
                "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
        assertThat(signed.statusCode()).isEqualTo(415);
        // ... and one flipped byte fails auth first (401).
        byte[] flippedExample = body.clone();
        flippedExample[0] ^= 0x01;
        assertThat(f.post("/hooks/coreone", flippedExample, "X-Coreone-Webhook-Hash",
                "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17").statusCode()).isEqualTo(401);
        byte[] json = utf8("{\"hello\":\"Hello, World!\"}");
        HttpResponse<String> ok = f.post("/hooks/coreone", json, "Content-Type", "application/json",
                "X-Coreone-Webhook-Hash", sign(json), "X-Coreone-Webhook-Type", "client/create");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(sign(body)).isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");

        byte[] flipped = json.clone();
        flipped[3] ^= 0x01;
        HttpResponse<String> bad = f.post("/hooks/coreone", flipped, "Content-Type", "application/json",
                "X-Coreone-Webhook-Hash", sign(json));
        assertThat(bad.statusCode()).isEqualTo(401);
        assertNoLeak(bad);
    }

    @Test
    void bodiesRoundTripByteForByteWithHeaders() throws Exception {
        String weird = "{ \"z\" : 1,\n\t\"a\":\"caf\u00e9 \\u00e9 \\ud83d\\ude00 \u6f22\u5b57 \ud83e\uddea\",  \"n\": 1.50e+01 ,\"k\":[ ]   }\r\n";
        byte[] body = utf8(weird);
        HttpResponse<String> r = f.post("/hooks/coreone", body, "Content-Type", "application/json; charset=utf-8",
                "X-Coreone-Webhook-Hash", sign(body), "X-Coreone-Webhook-Type", "accession/receive");
        assertThat(r.statusCode()).isEqualTo(200);
        String id = deliveryIdOf(r);
        assertThat(r.body()).isEqualTo("{\"status\":\"accepted\",\"delivery_id\":\"" + id + "\"}");

        ConsumerRecord<String, byte[]> rec = rawRecord(id);
        assertThat(rec.value()).isEqualTo(body);
        assertThat(header(rec, Headers.SOURCE)).isEqualTo("coreone");
        assertThat(header(rec, Headers.VENDOR)).isEqualTo("coreone");
        assertThat(header(rec, Headers.DELIVERY_ID)).isEqualTo(id);
        assertThat(header(rec, Headers.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
        assertThat(header(rec, Headers.COREONE_WEBHOOK_TYPE)).isEqualTo("accession/receive");
        long receivedAt = Long.parseLong(header(rec, Headers.RECEIVED_AT));
        assertThat(receivedAt).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
        assertThat(DeliveryIds.timestampOf(java.util.UUID.fromString(id))).isBetween(receivedAt - 1000, receivedAt + 1000);
    }

    @Test
    void everyAuthModeAcceptsGoodAndRejectsBadCredentials() throws Exception {
        byte[] body = utf8("{\"eventType\":\"bill.created\"}");
        assertThat(f.post("/hooks/flabs", body, "Authorization", "Bearer " + FLABS_TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> noBearer = f.post("/hooks/flabs", body);
        assertThat(noBearer.statusCode()).isEqualTo(401);
        assertNoLeak(noBearer);
        assertThat(f.post("/hooks/flabs", body, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);

        assertThat(f.post("/hooks/confident/" + PATH_TOKEN, body).statusCode()).isEqualTo(200);
        assertThat(f.post("/hooks/confident/wrong-token", body).statusCode()).isEqualTo(401);
        assertThat(f.post("/hooks/confident", body).statusCode()).isEqualTo(401);

        String good = "Basic " + Base64.getEncoder().encodeToString(utf8("lml:" + BASIC_PASSWORD));
        String bad = "Basic " + Base64.getEncoder().encodeToString(utf8("lml:nope"));
        assertThat(f.post("/hooks/lml", body, "Authorization", good).statusCode()).isEqualTo(200);
        HttpResponse<String> badBasic = f.post("/hooks/lml", body, "Authorization", bad);
        assertThat(badBasic.statusCode()).isEqualTo(401);
        assertThat(badBasic.body()).isEqualTo("{\"status\":\"error\",\"error\":\"unauthorized\"}");

        assertThat(f.post("/hooks/small", body).statusCode()).isEqualTo(200);
        assertThat(f.post("/hooks/coreone", body, "X-Coreone-Webhook-Hash", "00".repeat(32)).statusCode()).isEqualTo(401);
    }

    @Test
    void unknownSourceIs404() throws Exception {
        HttpResponse<String> r = f.post("/hooks/nobody", utf8("{}"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertNoLeak(r);
        assertThat(f.post("/hooks/", utf8("{}")).statusCode()).isEqualTo(404);
        assertThat(f.post("/hooks/flabs/extra", utf8("{}"), "Authorization", "Bearer " + FLABS_TOKEN).statusCode()).isEqualTo(404);
        assertThat(f.metrics()).contains("labhooks_ingress_requests_total{code=\"404\",source=\"unknown\",vendor=\"unknown\"}");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> r = f.get("/hooks/flabs");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertNoLeak(r);
    }

    @Test
    void bodyOverTheSourceLimitIs413WithContentLengthAndChunked() throws Exception {
        byte[] big = utf8("{\"x\":\"" + "a".repeat(2000) + "\"}");
        HttpResponse<String> r = f.post("/hooks/small", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertNoLeak(r);
        // chunked: no Content-Length, so the limit is enforced while reading
        HttpResponse<String> chunked = f.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.base + "/hooks/small"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(f.post("/hooks/small", utf8("{\"x\":1}")).statusCode()).isEqualTo(200);
    }

    @Test
    void nonJsonIs415() throws Exception {
        HttpResponse<String> form = f.post("/hooks/flabs", utf8("a=1"), "Authorization", "Bearer " + FLABS_TOKEN,
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isEqualTo(415);
        assertNoLeak(form);
        HttpResponse<String> sniffed = f.post("/hooks/flabs", utf8("hello"), "Authorization", "Bearer " + FLABS_TOKEN);
        assertThat(sniffed.statusCode()).isEqualTo(415);
    }

    @Test
    void rateLimitIs429WithRetryAfter() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(f.post("/hooks/limited", utf8("{}"), "Authorization", "Bearer " + FLABS_TOKEN));
        }
        assertThat(answers.get(0).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = answers.get(answers.size() - 1);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
        assertNoLeak(limited);
    }

    @Test
    void consecutiveFailuresGaugeCountsTheStreakAndResetsOnSuccess() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(f.post("/hooks/lml", utf8("{}"), "Authorization", "Bearer x").statusCode()).isEqualTo(401);
        }
        assertThat(f.metrics()).contains("labhooks_ingress_consecutive_failures{source=\"lml\"} 3.0");
        String good = "Basic " + Base64.getEncoder().encodeToString(utf8("lml:" + BASIC_PASSWORD));
        assertThat(f.post("/hooks/lml", utf8("{}"), "Authorization", good).statusCode()).isEqualTo(200);
        String m = f.metrics();
        assertThat(m).contains("labhooks_ingress_consecutive_failures{source=\"lml\"} 0.0");
        assertThat(m).contains("labhooks_ingress_requests_total{code=\"200\",source=\"lml\",vendor=\"lml\"}");
        assertThat(m).contains("labhooks_ingress_ack_seconds_bucket{path=\"kafka\",source=\"lml\"");
        assertThat(m).containsPattern("labhooks_ingress_last_success_timestamp_seconds\\{source=\"lml\"} 1\\.[0-9]+E9");
    }

    @Test
    void healthEndpoints() throws Exception {
        assertThat(f.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(f.get("/health/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> m = f.get("/metrics");
        assertThat(m.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(m.body()).contains("# TYPE labhooks_ingress_requests_total counter");
    }

    @Test
    void twoThousandConcurrentPostsAreEachInTheRawTopicExactlyOnce() throws Exception {
        int n = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        Map<String, Integer> statusById = new ConcurrentHashMap<>();
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    HttpResponse<String> r = f.post("/hooks/load", utf8("{\"eventType\":\"bill.created\",\"i\":" + k + "}"),
                            "Authorization", "Bearer " + FLABS_TOKEN, "Content-Type", "application/json");
                    if (r.statusCode() == 200) {
                        statusById.put(deliveryIdOf(r), k);
                    }
                    return r.statusCode();
                }));
            }
            Map<Integer, Long> codes = new HashMap<>();
            for (Future<Integer> fu : futures) {
                codes.merge(fu.get(60, TimeUnit.SECONDS), 1L, Long::sum);
            }
            assertThat(codes).containsExactly(Map.entry(200, (long) n));
        } finally {
            pool.shutdownNow();
        }
        assertThat(statusById).hasSize(n);
        List<ConsumerRecord<String, byte[]>> all = IngressFixture.readRaw(kafka.bootstrapServers(), Integer.MAX_VALUE, Duration.ofSeconds(10));
        Map<String, Long> perId = all.stream().filter(r -> header(r, Headers.SOURCE).equals("load"))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(perId.keySet()).containsExactlyInAnyOrderElementsOf(statusById.keySet());
        assertThat(perId.values()).allMatch(c -> c == 1L);
        for (ConsumerRecord<String, byte[]> r : all) {
            Integer k = statusById.get(r.key());
            if (k != null) {
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"eventType\":\"bill.created\",\"i\":" + k + "}");
            }
        }
    }

    @Test
    void aSlowClientDoesNotDelayOthersAndIsCutOffByTheReadTimeout() throws Exception {
        byte[] body = utf8("{\"slow\":true,\"pad\":\"" + "x".repeat(100) + "\"}");
        try (Socket slow = new Socket("127.0.0.1", f.server.port())) {
            slow.setSoTimeout(15_000);
            OutputStream out = slow.getOutputStream();
            out.write(utf8("POST /hooks/small HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n"));
            out.flush();
            long started = System.nanoTime();
            CompletableFuture<String> slowAnswer = CompletableFuture.supplyAsync(() -> dripAndRead(slow, body));
            // While it drips, other clients are served promptly.
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                assertThat(f.post("/hooks/small", utf8("{\"fast\":" + i + "}")).statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            }
            String answer = slowAnswer.get(20, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(answer).isEqualTo("HTTP/1.1 408");
            assertThat(took).isLessThan(Duration.ofSeconds(6)); // read timeout is 2 s; the drip would take over 100 s
        }
    }

    /** Sends one byte per second (in the background) and returns what the server answered, or "" if it closed. */
    private static String dripAndRead(Socket s, byte[] body) {
        ExecutorService dripper = Executors.newSingleThreadExecutor();
        try {
            dripper.submit(() -> {
                OutputStream out = s.getOutputStream();
                for (byte b : body) {
                    out.write(b);
                    out.flush();
                    TimeUnit.SECONDS.sleep(1); // the slow client under test: it drips by design
                }
                return null;
            });
            InputStream in = s.getInputStream();
            byte[] buf = in.readNBytes(12);
            return new String(buf, StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            return "";
        } finally {
            dripper.shutdownNow();
        }
    }

    @Test
    void gracefulShutdownFinishesInFlightRequests() throws Exception {
        IngressFixture own = new IngressFixture(kafka.bootstrapServers(), sources(), Duration.ofSeconds(5), Duration.ofSeconds(5), 64, Optional.empty());
        byte[] body = utf8("{\"inflight\":true}");
        try (Socket s = new Socket("127.0.0.1", own.server.port())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(utf8("POST /hooks/small HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n"));
            out.write(body, 0, 5);
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> own.server != null && inFlight(own) == 1);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(own::close);
            // new connections are refused or answered 503 while it drains; the in-flight one finishes
            out.write(body, 5, body.length - 5);
            out.flush();
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 200");
            closing.get(20, TimeUnit.SECONDS);
        } finally {
            own.close();
        }
    }

    private static int inFlight(IngressFixture fx) throws Exception {
        String m = fx.metrics();
        return m.lines().filter(l -> l.startsWith("labhooks_ingress_in_flight ")).findFirst()
                .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).orElse(-1);
    }

    static <T> Map<T, Long> count(List<T> xs) {
        return xs.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }
}
