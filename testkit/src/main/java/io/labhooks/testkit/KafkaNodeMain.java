package io.labhooks.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * Runs one real Kafka node in this JVM until the process is killed (SIGTERM shuts it down cleanly, SIGKILL is a
 * crash). For the chaos tests, which run every part of the pipeline as its own OS process:
 *
 * <pre>
 * java -cp labhooks.jar io.labhooks.testkit.KafkaNodeMain --port P --data-dir D
 *     one combined broker + controller ({@link EmbeddedKafka}), restartable on the same data dir
 * java -cp labhooks.jar io.labhooks.testkit.KafkaNodeMain --role controller|broker --node-id N --port P
 *     --controller-port C --cluster-id ID --data-dir D [--prop key=value]...
 *     one node of a multi-node cluster: a dedicated controller (node id N, listening on P) or a broker
 *     (client port P) whose controller is node 1 at 127.0.0.1:C; every node is formatted with the same cluster id
 * </pre>
 *
 * Prints {@code KAFKA NODE READY <bootstrap>} on stdout once it started.
 */
public final class KafkaNodeMain {
    /** The line printed once the node runs. */
    public static final String READY = "KAFKA NODE READY";
    /** The node id of the dedicated controller in cluster mode. */
    public static final int CONTROLLER_ID = 1;

    private KafkaNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length || !args[i].startsWith("--")) {
                throw new IllegalArgumentException("usage: --name value pairs; bad at '" + args[i] + "'");
            }
            if (args[i].equals("--prop")) {
                String[] kv = args[i + 1].split("=", 2);
                props.put(kv[0], kv[1]);
            } else {
                opts.put(args[i].substring(2), args[i + 1]);
            }
        }
        int port = Integer.parseInt(require(opts, "port"));
        Path dataDir = Path.of(require(opts, "data-dir")).toAbsolutePath();
        CountDownLatch stopped = new CountDownLatch(1);
        String role = opts.getOrDefault("role", "combined");
        if (role.equals("combined")) {
            EmbeddedKafka.Builder b = EmbeddedKafka.builder().port(port).dataDir(dataDir).brokerProperties(props);
            if (opts.containsKey("cluster-id")) {
                b.clusterId(opts.get("cluster-id"));
            }
            EmbeddedKafka kafka = b.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kafka.close();
                stopped.countDown();
            }, "kafka-node-shutdown"));
            System.out.println(READY + " " + kafka.bootstrapServers());
        } else {
            int nodeId = Integer.parseInt(require(opts, "node-id"));
            int controllerPort = Integer.parseInt(require(opts, "controller-port"));
            String clusterId = require(opts, "cluster-id");
            KafkaRaftServer server = startNode(role, nodeId, port, controllerPort, clusterId, dataDir, props);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.shutdown();
                server.awaitShutdown();
                stopped.countDown();
            }, "kafka-node-shutdown"));
            System.out.println(READY + " " + EmbeddedKafka.HOST + ":" + port);
        }
        System.out.flush();
        stopped.await();
    }

    private static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    static KafkaRaftServer startNode(String role, int nodeId, int port, int controllerPort, String clusterId,
                                     Path dataDir, Map<String, String> overrides) throws Exception {
        if (!role.equals("controller") && !role.equals("broker")) {
            throw new IllegalArgumentException("--role must be combined, controller or broker, was " + role);
        }
        Map<String, Object> p = new LinkedHashMap<>(EmbeddedKafka.DEFAULT_BROKER_PROPERTIES);
        p.putAll(overrides);
        p.put("process.roles", role);
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", CONTROLLER_ID + "@" + EmbeddedKafka.HOST + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (role.equals("controller")) {
            p.put("listeners", "CONTROLLER://" + EmbeddedKafka.HOST + ":" + port);
        } else {
            p.put("listeners", "PLAINTEXT://" + EmbeddedKafka.HOST + ":" + port);
            p.put("advertised.listeners", "PLAINTEXT://" + EmbeddedKafka.HOST + ":" + port);
            p.put("inter.broker.listener.name", "PLAINTEXT");
        }
        p.put("log.dirs", dataDir.toString());
        Files.createDirectories(dataDir);
        KafkaConfig config = new KafkaConfig(p, false);
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            EmbeddedKafka.format(config, clusterId);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        return server;
    }
}
