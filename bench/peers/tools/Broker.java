import io.labhooks.testkit.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A standalone single-node KRaft broker for the ingress peers: labhooks' own {@code EmbeddedKafka}
 * (testkit, inside cli/target/labhooks.jar) with nothing else running (no normalizer, no sink).
 * Run as a single-file program on the labhooks jar's classpath:
 *
 *   java -cp cli/target/labhooks.jar bench/peers/tools/Broker.java PORT DATA_DIR [TOPIC[,TOPIC...]] [PARTITIONS]
 *
 * PORT 0 picks a free one. Creates the topics (default labhooks.raw.v1; 3 partitions, replication 1),
 * prints "READY host:port" on stdout, and runs until SIGTERM / Ctrl-C. DATA_DIR is kept (delete it
 * yourself).
 */
public class Broker {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        String[] topics = (args.length > 2 ? args[2] : "labhooks.raw.v1").split(",");
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        EmbeddedKafka kafka = EmbeddedKafka.builder().port(port).dataDir(dir).start();
        kafka.createTopics(java.util.Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1))
                .toArray(NewTopic[]::new));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stop.countDown();
        }));
        System.out.println("READY " + kafka.bootstrapServers());
        System.out.flush();
        stop.await();
    }
}
