package io.labhooks.ingress;

import static org.awaitility.Awaitility.await;

import io.labhooks.ingress.publish.RawPublisher;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.KafkaCluster;
import io.labhooks.testkit.KafkaProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** A broker from {@link KafkaProvider} with the raw topic, and a ready {@link YamlIngress} on it; closes both. */
record IngressOnBroker(KafkaCluster kafka, YamlIngress ingress) implements AutoCloseable {

    static IngressOnBroker start(String yaml, UnaryOperator<RawPublisher> wrap) throws Exception {
        KafkaCluster kafka = KafkaProvider.start();
        try {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.RAW, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            YamlIngress f = new YamlIngress(kafka.bootstrapServers(), yaml, wrap);
            IngressOnBroker env = new IngressOnBroker(kafka, f);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> f.get("/health/ready").statusCode() == 200);
            } catch (RuntimeException | Error e) {
                env.close();
                throw e;
            }
            return env;
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            ingress.close();
        } finally {
            kafka.close();
        }
    }
}
