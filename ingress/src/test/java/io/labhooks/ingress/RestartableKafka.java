package io.labhooks.ingress;

import io.labhooks.testkit.EmbeddedKafka;
import java.nio.file.Path;
import org.apache.kafka.clients.admin.NewTopic;

/** An embedded broker that can be stopped and started again on the same port and data dir: a Kafka outage. */
final class RestartableKafka implements AutoCloseable {
    private final Path dir;
    private final int port;
    private EmbeddedKafka kafka;

    RestartableKafka(Path dir) {
        this.dir = dir;
        this.kafka = EmbeddedKafka.builder().dataDir(dir).start();
        this.port = kafka.port();
    }

    String bootstrap() {
        return EmbeddedKafka.HOST + ":" + port;
    }

    void createTopics(NewTopic... topics) {
        kafka.createTopics(topics);
    }

    synchronized void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    synchronized void start() {
        if (kafka == null) {
            kafka = EmbeddedKafka.builder().port(port).dataDir(dir).start();
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }
}
