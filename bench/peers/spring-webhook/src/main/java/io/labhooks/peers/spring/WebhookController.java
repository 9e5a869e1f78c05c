package io.labhooks.peers.spring;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /hooks/{source}}: the body bytes to Kafka, 200 once the broker acked the record. */
@RestController
public class WebhookController {
    private final KafkaTemplate<String, byte[]> kafka;
    private final String topic;

    public WebhookController(KafkaTemplate<String, byte[]> kafka, @Value("${webhook.topic}") String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    @PostMapping(path = "/hooks/{source}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, String> receive(@PathVariable String source, @RequestBody byte[] body)
            throws InterruptedException, ExecutionException {
        kafka.send(topic, UUID.randomUUID().toString(), body).get();
        return Map.of("status", "accepted");
    }
}
