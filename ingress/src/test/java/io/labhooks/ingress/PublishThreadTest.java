package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.ingress.publish.KafkaRawPublisher;
import io.labhooks.ingress.publish.RawDelivery;
import io.labhooks.ingress.publish.RawPublisher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a delivery is verified and published: on the connection's I/O thread when nothing on the way can block
 * it, else on a worker thread; and the answer either way, on a real broker.
 */
class PublishThreadTest {
    static final String YAML = """
            ingress: {host: 127.0.0.1, port: 0, ack-timeout: 5s}
            sources:
              - {id: coreone, vendor: coreone, max-body-bytes: 1048576, auth: {type: hmac-sha256, header: X-Coreone-Webhook-Hash, encoding: hex, secrets: ["s3cret"]}}
            """;

    static IngressOnBroker env;
    static YamlIngress f;
    /** The threads publish() was called on, in order. */
    static final List<String> threads = new CopyOnWriteArrayList<>();
    /** What the wrapper answers for publishesWithoutBlocking: the real publisher's answer, or false. */
    static final AtomicBoolean mayBlock = new AtomicBoolean();

    static RawPublisher recording(RawPublisher real) {
        return new ForwardingPublisher(real) {
            @Override
            public CompletableFuture<Path> publish(RawDelivery d) {
                threads.add(Thread.currentThread().getName());
                return real.publish(d);
            }

            @Override
            public boolean publishesWithoutBlocking(int bodyBytes) {
                return !mayBlock.get() && real.publishesWithoutBlocking(bodyBytes);
            }
        };
    }

    @BeforeAll
    static void start() throws Exception {
        env = IngressOnBroker.start(YAML, PublishThreadTest::recording);
        f = env.ingress();
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
    }

    @BeforeEach
    void reset() {
        mayBlock.set(false);
        threads.clear();
    }

    HttpResponse<String> post(byte[] body) throws Exception {
        return f.post("/hooks/coreone", body, "Content-Type", "application/json",
                "X-Coreone-Webhook-Hash", io.labhooks.ingress.auth.Hmac.sha256Hex(io.labhooks.config.Secret.of("s3cret"), body));
    }

    static byte[] json(int bytes) {
        StringBuilder b = new StringBuilder("{\"pad\":\"");
        while (b.length() < bytes - 2) {
            b.append('x');
        }
        return b.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    String lastThread() {
        assertThat(threads).isNotEmpty();
        return threads.get(threads.size() - 1);
    }

    @Test
    void beforeAnyAckThePublisherMayBlockAndAfterOneItWillNot() throws Exception {
        // a publisher of its own, which has acked nothing yet: the raw topic's metadata may still be missing
        try (KafkaRawPublisher fresh = new KafkaRawPublisher(f.config.kafka(), 1 << 20, Duration.ofSeconds(5),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            assertThat(fresh.publishesWithoutBlocking(2048)).isFalse();
        }
        // once one delivery was acked, the shared publisher's sends return at once
        assertThat(post(json(2048)).statusCode()).isEqualTo(200);
        assertThat(f.publisher.publishesWithoutBlocking(2048)).isTrue();
        // but not for a record the producer's buffer (32 MiB by default) could not take twice over
        assertThat(f.publisher.publishesWithoutBlocking(20 << 20)).isFalse();
    }

    @Test
    void aSmallBodyIsPublishedOnTheIoThreadWhenTheSendWillNotBlock() throws Exception {
        assertThat(post(json(2048)).statusCode()).isEqualTo(200); // an ack first, so that the metadata is cached
        threads.clear();
        HttpResponse<String> r = post(json(2048));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"accepted\"");
        assertThat(lastThread()).startsWith("XNIO-");
    }

    @Test
    void aSendThatMayBlockGoesToAWorkerThread() throws Exception {
        mayBlock.set(true);
        assertThat(post(json(2048)).statusCode()).isEqualTo(200);
        assertThat(lastThread()).startsWith("labhooks-ingress-worker-");
    }

    @Test
    void aBodyOverTheInlineLimitIsVerifiedAndPublishedOnAWorkerThread() throws Exception {
        assertThat(post(json(2048)).statusCode()).isEqualTo(200);
        threads.clear();
        assertThat(post(json(WebhookHandler.INLINE_MAX_BODY + 1)).statusCode()).isEqualTo(200);
        assertThat(lastThread()).startsWith("labhooks-ingress-worker-");
    }

    @Test
    void aBadSignatureIsRefusedOnEitherPath() throws Exception {
        assertThat(post(json(2048)).statusCode()).isEqualTo(200);
        threads.clear();
        byte[] body = json(2048);
        assertThat(f.post("/hooks/coreone", body, "Content-Type", "application/json", "X-Coreone-Webhook-Hash", "00").statusCode())
                .isEqualTo(401);
        mayBlock.set(true);
        assertThat(f.post("/hooks/coreone", body, "Content-Type", "application/json", "X-Coreone-Webhook-Hash", "00").statusCode())
                .isEqualTo(401);
        assertThat(threads).isEmpty();
    }
}
