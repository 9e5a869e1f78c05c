package io.labhooks.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonSniffTest {
    @Test
    void recognisesJsonBodiesAndMediaTypes() {
        assertThat(WebhookHandler.looksLikeJson(" \n\t{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(WebhookHandler.looksLikeJson("[1]".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(WebhookHandler.looksLikeJson(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'})).isTrue();
        assertThat(WebhookHandler.looksLikeJson("a=1&b=2".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(WebhookHandler.looksLikeJson(new byte[0])).isFalse();
        assertThat(WebhookHandler.isJson("application/json; charset=utf-8")).isTrue();
        assertThat(WebhookHandler.isJson("application/cloudevents+json")).isTrue();
        assertThat(WebhookHandler.isJson("application/x-www-form-urlencoded")).isFalse();
        assertThat(WebhookHandler.isJson("text/plain")).isFalse();
    }
}
