import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Prints "TOPIC COUNT" per topic: the number of records (sum of the partitions' end offsets; the peers'
 * topics are never compacted or truncated during a run):
 *
 *   java -cp cli/target/labhooks.jar bench/peers/tools/RecordCount.java BOOTSTRAP [TOPIC[,TOPIC...]]
 */
public class RecordCount {
    public static void main(String[] args) throws Exception {
        String[] topics = (args.length > 1 ? args[1] : "labhooks.raw.v1").split(",");
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", args[0]))) {
            for (String topic : topics) {
                List<TopicPartition> parts = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                        .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
                long n = admin.listOffsets(parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                        .all().get().values().stream().mapToLong(r -> r.offset()).sum();
                System.out.println(topic + " " + n);
            }
        }
    }
}
