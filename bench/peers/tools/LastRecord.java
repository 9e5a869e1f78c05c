import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints the newest record of a topic (by timestamp, over the last record of every partition):
 * key, value length, SHA-256 of the value, header names. For the peers' smoke test:
 *
 *   java -cp cli/target/labhooks.jar bench/peers/tools/LastRecord.java BOOTSTRAP [TOPIC]
 */
public class LastRecord {
    public static void main(String[] args) throws Exception {
        String topic = args.length > 1 ? args[1] : "labhooks.raw.v1";
        Map<String, Object> c = Map.of("bootstrap.servers", args[0], "enable.auto.commit", false,
                "key.deserializer", ByteArrayDeserializer.class, "value.deserializer", ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(parts);
            Map<TopicPartition, Long> ends = consumer.endOffsets(parts);
            int expected = 0;
            for (TopicPartition tp : parts) {
                long end = ends.get(tp);
                if (end > 0) {
                    consumer.seek(tp, end - 1);
                    expected++;
                } else {
                    consumer.seekToEnd(List.of(tp));
                }
            }
            List<ConsumerRecord<byte[], byte[]>> last = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() == ends.get(new TopicPartition(topic, r.partition())) - 1) {
                        last.add(r);
                        seen.add(r.partition());
                    }
                }
            }
            ConsumerRecord<byte[], byte[]> newest = last.stream().max((a, b) -> Long.compare(a.timestamp(), b.timestamp()))
                    .orElseThrow(() -> new IllegalStateException("no record in " + topic));
            List<String> headers = new ArrayList<>();
            for (Header h : newest.headers()) {
                headers.add(h.key());
            }
            System.out.println("partition=" + newest.partition() + " offset=" + newest.offset()
                    + " key=" + (newest.key() == null ? "null" : new String(newest.key(), java.nio.charset.StandardCharsets.UTF_8))
                    + " bytes=" + newest.value().length
                    + " sha256=" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(newest.value()))
                    + " headers=" + headers);
        }
    }
}
