package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyBufferTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBodyOfTheDeclaredLengthIsTheBufferItselfNotACopy() {
        WebhookHandler.BodyBuffer b = new WebhookHandler.BodyBuffer(11);
        b.write(bytes("{\"a\":"));
        b.write(bytes("12345}"));
        byte[] body = b.toBytes();
        assertThat(body).isEqualTo(bytes("{\"a\":12345}"));
        assertThat(b.toBytes()).as("no copy at the end").isSameAs(body);
    }

    @Test
    void aChunkedOrMisdeclaredBodyGrowsAndIsCutToSize() {
        WebhookHandler.BodyBuffer chunked = new WebhookHandler.BodyBuffer(4);
        for (int i = 0; i < 100; i++) {
            chunked.write(bytes("0123456789"));
        }
        assertThat(chunked.size()).isEqualTo(1000);
        assertThat(chunked.toBytes()).hasSize(1000).startsWith(bytes("0123456789")).endsWith(bytes("0123456789"));

        WebhookHandler.BodyBuffer shorter = new WebhookHandler.BodyBuffer(100);
        shorter.write(bytes("{}"));
        assertThat(shorter.toBytes()).isEqualTo(bytes("{}"));

        assertThat(new WebhookHandler.BodyBuffer(0).toBytes()).isEmpty();
    }
}
