package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.labhooks.config.Secret;
import io.labhooks.ingress.auth.Hmac;
import io.labhooks.ingress.publish.RawDelivery;
import io.labhooks.ingress.publish.RawPublisher;
import io.labhooks.schemas.Headers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the ingress writes to its log and to the raw topic's headers, captured with a Logback {@link
 * ch.qos.logback.core.read.ListAppender} at DEBUG: bad tokens, bad signatures and unexpected failures never put a
 * secret, a token, a signature or an {@code Authorization} value there, and auth failures are rate-limited.
 * (TLS errors: {@link IngressTlsTest}.)
 */
class IngressLogSecurityTest {
    static final String HMAC_SECRET = "hmac-secret-Q7v2-never-logged";
    static final String BEARER = "bearer-token-K9x4-never-logged";
    static final String PATH_TOKEN = "path-token-M3z8-never-logged";
    static final String BASIC_PASSWORD = "basic-pw-R5t1-never-logged";
    static final String BAD_BEARER = "attacker-bearer-W2q6";
    static final String BAD_PATH_TOKEN = "attacker-path-token-J8c3";
    static final String BAD_BASIC = "attacker-basic-pw-H4n7";
    static final String BOOM = "inject-a-failure";
    static final String YAML = """
            ingress: {host: 127.0.0.1, port: 0, read-timeout: 2s, ack-timeout: 5s}
            sources:
              - {id: coreone, vendor: coreone, auth: {type: hmac-sha256, header: X-Coreone-Webhook-Hash, encoding: hex, secrets: ["%s"]}}
              - {id: flabs, vendor: flabs, auth: {type: bearer, tokens: ["%s"]}}
              - {id: confident, vendor: confident, auth: {type: path-token, tokens: ["%s"]}}
              - {id: lml, vendor: lml, auth: {type: basic, users: [{username: lml, password: "%s"}]}}
            """.formatted(HMAC_SECRET, BEARER, PATH_TOKEN, BASIC_PASSWORD);

    static IngressOnBroker env;
    static YamlIngress f;
    LogCapture logs;
    /** Everything that must never show in a log line or a raw-topic header; signatures are added as they are made. */
    final List<String> secrets = new ArrayList<>(List.of(HMAC_SECRET, BEARER, PATH_TOKEN, BASIC_PASSWORD, BAD_BEARER, BAD_PATH_TOKEN,
            BAD_BASIC, b64("lml:" + BASIC_PASSWORD), b64("lml:" + BAD_BASIC)));

    /** Fails a publish, synchronously, when the body asks for it: an unexpected failure deep in a request. */
    static RawPublisher failing(RawPublisher real) {
        return new ForwardingPublisher(real) {
            @Override
            public CompletableFuture<Path> publish(RawDelivery d) {
                if (new String(d.body(), StandardCharsets.UTF_8).contains(BOOM)) {
                    throw new IllegalStateException("injected failure");
                }
                return real.publish(d);
            }
        };
    }

    @BeforeAll
    static void start() throws Exception {
        env = IngressOnBroker.start(YAML, IngressLogSecurityTest::failing);
        f = env.ingress();
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    @BeforeEach
    void capture() {
        logs = new LogCapture("io.labhooks", "io.undertow", "org.xnio");
    }

    @AfterEach
    void noSecretInAnyLogLine() {
        try {
            List<String> lines = logs.lines();
            for (String line : lines) {
                for (String s : secrets) {
                    assertThat(line).as("a log line").doesNotContain(s);
                }
                assertThat(line).doesNotContainIgnoringCase("authorization:").doesNotContainIgnoringCase("Bearer ")
                        .doesNotContain("Basic ");
            }
        } finally {
            logs.close();
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    List<ILoggingEvent> authWarnings(String source) {
        return logs.events().stream().filter(e -> e.getLevel() == Level.WARN)
                .filter(e -> e.getFormattedMessage().startsWith("source " + source + ": rejected a delivery"))
                .toList();
    }

    @Test
    void badCredentialsOfEveryModeAreLoggedWithoutTheCredentialAndAtMostOncePerSourcePerWindow() throws Exception {
        byte[] body = utf8("{\"eventType\":\"bill.created\"}");
        for (int i = 0; i < 25; i++) {
            assertThat(f.post("/hooks/flabs", body, "Authorization", "Bearer " + BAD_BEARER + i).statusCode()).isEqualTo(401);
            assertThat(f.post("/hooks/confident/" + BAD_PATH_TOKEN + i, body).statusCode()).isEqualTo(401);
            assertThat(f.post("/hooks/lml", body, "Authorization", "Basic " + b64("lml:" + BAD_BASIC)).statusCode()).isEqualTo(401);
            byte[] signed = utf8("{\"id\":" + i + "}");
            String wrongSig = Hmac.sha256Hex(Secret.of("not-the-secret"), signed);
            secrets.add(wrongSig);
            assertThat(f.post("/hooks/coreone", signed, "X-Coreone-Webhook-Hash", wrongSig).statusCode()).isEqualTo(401);
        }
        assertThat(f.post("/hooks/flabs", body).statusCode()).isEqualTo(401);
        for (String source : List.of("flabs", "confident", "lml", "coreone")) {
            List<ILoggingEvent> warns = authWarnings(source);
            assertThat(warns).as("one WARN for %s in the window, the rest suppressed", source).hasSize(1);
            assertThat(warns.get(0).getFormattedMessage()).contains("401").contains("127.0.0.1");
        }
        assertThat(f.get("/metrics").body())
                .contains("labhooks_ingress_requests_total{code=\"401\",source=\"flabs\",vendor=\"flabs\"} 26.0");
    }

    @Test
    void goodDeliveriesLeaveNoSecretInTheLogNorInTheRawTopicHeaders() throws Exception {
        byte[] body = utf8("{\"id\":\"good\",\"updated_at\":\"2024-05-01T10:00:00Z\"}");
        String sig = Hmac.sha256Hex(Secret.of(HMAC_SECRET), body);
        secrets.add(sig);
        List<String> ids = new ArrayList<>();
        for (HttpResponse<String> r : List.of(
                f.post("/hooks/coreone", body, "X-Coreone-Webhook-Hash", sig, "X-Coreone-Webhook-Type", "client/update"),
                f.post("/hooks/flabs", body, "Authorization", "Bearer " + BEARER),
                f.post("/hooks/confident/" + PATH_TOKEN, body),
                f.post("/hooks/lml", body, "Authorization", "Basic " + b64("lml:" + BASIC_PASSWORD)))) {
            assertThat(r.statusCode()).isEqualTo(200);
            ids.add(r.headers().firstValue(Headers.HTTP_DELIVERY_ID).orElseThrow());
        }
        List<ConsumerRecord<String, byte[]>> records = IngressFixture.readRaw(env.kafka().bootstrapServers(), Integer.MAX_VALUE, Duration.ofSeconds(4))
                .stream().filter(r -> ids.contains(r.key())).toList();
        assertThat(records).hasSize(4);
        Set<String> allowed = Set.of(Headers.SOURCE, Headers.VENDOR, Headers.RECEIVED_AT, Headers.DELIVERY_ID, Headers.CONTENT_TYPE,
                Headers.COREONE_WEBHOOK_TYPE);
        for (ConsumerRecord<String, byte[]> r : records) {
            for (Header h : r.headers()) {
                assertThat(allowed).as("header %s", h.key()).contains(h.key());
                String v = new String(h.value(), StandardCharsets.UTF_8);
                for (String s : secrets) {
                    assertThat(v).doesNotContain(s);
                }
            }
        }
    }

    @Test
    void anUnexpectedFailureIsA500AndItsLogLineRedactsThePathToken() throws Exception {
        HttpResponse<String> r = f.post("/hooks/confident/" + PATH_TOKEN, utf8("{\"x\":\"" + BOOM + "\"}"));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"error\":\"internal error\"}");
        List<ILoggingEvent> errors = logs.events().stream().filter(e -> e.getLevel() == Level.ERROR).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).getFormattedMessage()).isEqualTo("unexpected failure handling POST /hooks/confident/***");
        assertThat(errors.get(0).getThrowableProxy().getMessage()).isEqualTo("injected failure");
        // and the server goes on
        assertThat(f.post("/hooks/confident/" + PATH_TOKEN, utf8("{\"after\":1}")).statusCode()).isEqualTo(200);
    }

    @Test
    void redactedPathKeepsTheSourceAndHidesEverythingAfterIt() {
        assertThat(IngressServer.redactedPath("/hooks/confident/" + PATH_TOKEN)).isEqualTo("/hooks/confident/***");
        assertThat(IngressServer.redactedPath("/hooks/confident/a/b")).isEqualTo("/hooks/confident/***");
        assertThat(IngressServer.redactedPath("/hooks/flabs")).isEqualTo("/hooks/flabs");
        assertThat(IngressServer.redactedPath("/metrics")).isEqualTo("/metrics");
    }
}
