package io.labhooks.cli;

import io.labhooks.config.LabhooksConfig;
import io.labhooks.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/** Creates the pipeline's topics, or checks that existing ones have the partitions and configs they need. */
final class TopicsAdmin implements AutoCloseable {
    static final long RECORD_OVERHEAD = 64 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A topic as the pipeline needs it. */
    record Spec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    }

    /** What {@link #ensure} found and did. {@code problems} are left for the operator to fix. */
    record Report(List<String> created, List<String> altered, List<String> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Admin admin;

    TopicsAdmin(LabhooksConfig config) {
        Map<String, Object> p = new HashMap<>(config.kafka().properties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "labhooks-topics");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        this.admin = Admin.create(p);
    }

    static List<Spec> specs(LabhooksConfig config) {
        int parts = config.topics().partitions();
        short rf = config.topics().replicationFactor();
        String minIsr = Integer.toString(Math.min(2, rf));
        long body = config.largestBodyLimit();
        String rawMax = Long.toString(body + RECORD_OVERHEAD);
        // canonical events carry the vendor payload plus the flattened results: allow four times the body
        String eventMax = Long.toString(Math.max(4 * body, 2L << 20) + RECORD_OVERHEAD);
        return List.of(
                new Spec(Topics.RAW, parts, rf, ordered(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(7).toMillis()),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, rawMax,
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)),
                new Spec(Topics.EVENTS, parts, rf, ordered(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, "-1",
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, eventMax,
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)),
                new Spec(Topics.ENTITIES, parts, rf, ordered(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, eventMax,
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)),
                new Spec(Topics.DLQ, parts, rf, ordered(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(Duration.ofDays(30).toMillis()),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, eventMax,
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * Creates missing topics. For existing ones, reports partition or replication differences (never changed
     * automatically: keys would move) and, with {@code apply}, sets configs that differ.
     */
    Report ensure(List<Spec> specs, boolean apply) throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<String> created = new ArrayList<>();
        List<String> altered = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<NewTopic> toCreate = new ArrayList<>();
        for (Spec s : specs) {
            if (!existing.contains(s.name())) {
                toCreate.add(new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()));
            }
        }
        if (!toCreate.isEmpty()) {
            admin.createTopics(toCreate).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            toCreate.forEach(t -> created.add(t.name()));
        }
        List<Spec> toCheck = specs.stream().filter(s -> existing.contains(s.name())).toList();
        if (toCheck.isEmpty()) {
            return new Report(created, altered, problems);
        }
        Map<String, TopicDescription> described = admin.describeTopics(toCheck.stream().map(Spec::name).toList())
                .allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<ConfigResource> resources = toCheck.stream().map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> alter = new LinkedHashMap<>();
        for (Spec s : toCheck) {
            TopicDescription d = described.get(s.name());
            if (d.partitions().size() < s.partitions()) {
                problems.add(s.name() + ": has " + d.partitions().size() + " partitions, config asks for " + s.partitions()
                        + " (increase by hand with kafka-topics --alter if you accept that keys move)");
            }
            int rf = d.partitions().get(0).replicas().size();
            if (rf < s.replicationFactor()) {
                problems.add(s.name() + ": replication factor " + rf + ", config asks for " + s.replicationFactor());
            }
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, s.name());
            Config actual = configs.get(res);
            List<AlterConfigOp> ops = new ArrayList<>();
            for (Map.Entry<String, String> want : s.configs().entrySet()) {
                ConfigEntry have = actual.get(want.getKey());
                String value = have == null ? null : have.value();
                if (!want.getValue().equals(value) && !satisfies(want.getKey(), value, want.getValue())) {
                    if (apply) {
                        ops.add(new AlterConfigOp(new ConfigEntry(want.getKey(), want.getValue()), AlterConfigOp.OpType.SET));
                    } else {
                        problems.add(s.name() + ": " + want.getKey() + " is " + value + ", needs " + want.getValue()
                                + " (run with --apply to set it)");
                    }
                }
            }
            if (!ops.isEmpty()) {
                alter.put(res, ops);
                ops.forEach(o -> altered.add(s.name() + ": " + o.configEntry().name() + "=" + o.configEntry().value()));
            }
        }
        if (!alter.isEmpty()) {
            admin.incrementalAlterConfigs(alter).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        return new Report(created, altered, problems);
    }

    /** A larger max.message.bytes than needed is fine. */
    private static boolean satisfies(String key, String have, String want) {
        if (have == null) {
            return false;
        }
        if (key.equals(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)) {
            try {
                return Long.parseLong(have) >= Long.parseLong(want);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
