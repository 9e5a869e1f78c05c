import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Prints the number of records in a topic (sum of the partitions' end offsets; the peers' topics are
 * never compacted or truncated during a run):
 *
 *   java -cp cli/target/labhooks.jar bench/peers/tools/RecordCount.java BOOTSTRAP [TOPIC]
 */
public class RecordCount {
    public static void main(String[] args) throws Exception {
        String topic = args.length > 1 ? args[1] : "labhooks.raw.v1";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", args[0]))) {
            List<TopicPartition> parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            long n = admin.listOffsets(parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get().values().stream().mapToLong(r -> r.offset()).sum();
            System.out.println(n);
        }
    }
}
