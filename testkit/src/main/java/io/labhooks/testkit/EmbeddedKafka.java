package io.labhooks.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) running inside the
 * current JVM, for tests and local runs.
 *
 * <p>The storage is formatted the way {@code kafka-storage format} does it (only if the data
 * directory is not formatted yet, so a restart on the same directory keeps topics and records), then
 * {@link KafkaRaftServer} is started. {@link Builder#start()} returns only once an {@link Admin}
 * client can describe the cluster (and sees the expected cluster id and node id {@value #NODE_ID}) and
 * list topics.
 *
 * <p>Both listeners bind to {@code 127.0.0.1} only, and the client listener is advertised as
 * {@code 127.0.0.1:<port>} rather than {@code localhost:<port>}: {@code localhost} may resolve to
 * {@code ::1} first (or only) on some hosts, where nothing listens. Clients can still bootstrap with
 * {@code localhost:<port>} wherever {@code localhost} resolves to {@code 127.0.0.1}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().start()) {
 *     kafka.createTopics(new NewTopic("events", 1, (short) 1));
 *     String bootstrap = kafka.bootstrapServers();   // "127.0.0.1:<port>"
 * }
 * }</pre>
 *
 * <p>Broker defaults suit a single node: every internal topic has replication factor 1 and min ISR 1
 * (so transactions and exactly-once work), internal topics have 1 partition, topic auto-creation is
 * off, {@code message.max.bytes} is 16 MiB and the log cleaner's dedupe buffer is 4 MiB instead of
 * 128 MiB. Any of these can be overridden with {@link Builder#brokerProperty(String, String)}; the
 * properties that wire up the node itself ({@link #MANAGED_PROPERTIES}) cannot.
 *
 * <p>Note that, like a real broker, Kafka's fatal-fault handler halts the JVM if the broker hits an
 * unrecoverable metadata error.
 */
public final class EmbeddedKafka implements KafkaCluster {

    /** The node id of the single combined broker/controller. */
    public static final int NODE_ID = 1;

    /** The address both listeners bind to and the client listener is advertised with. */
    public static final String HOST = "127.0.0.1";

    /** How long {@link Builder#start()} waits for the broker to answer an Admin client by default. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /** Broker properties derived from the port, data dir and node id; not overridable. */
    public static final Set<String> MANAGED_PROPERTIES = Set.of(
            "process.roles", "node.id", "broker.id",
            "listeners", "advertised.listeners", "listener.security.protocol.map",
            "controller.listener.names", "inter.broker.listener.name", "security.inter.broker.protocol",
            "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "log.dirs", "log.dir", "metadata.log.dir");

    /** The default broker properties; see the class comment. */
    public static final Map<String, String> DEFAULT_BROKER_PROPERTIES = defaultBrokerProperties();

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int MAX_START_ATTEMPTS = 3;
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, boolean ownsDataDir,
                          int port, int controllerPort, String clusterId) {
        this.server = server;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /** A builder with the defaults: free port, temporary data dir, random cluster id. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker with all defaults; same as {@code builder().start()}. */
    public static EmbeddedKafka start() {
        return builder().start();
    }

    /** {@code 127.0.0.1:<port>}, matching the advertised client listener. */
    @Override
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The client (PLAINTEXT) port. */
    public int port() {
        return port;
    }

    /** The KRaft controller port (always picked freely). */
    public int controllerPort() {
        return controllerPort;
    }

    /** The cluster id the storage was formatted with. */
    public String clusterId() {
        return clusterId;
    }

    /** The data directory ({@code log.dirs}); a temporary one unless one was given. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether {@link #close()} has been called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Creates the given topics and waits until the controller has accepted them.
     *
     * @throws IllegalStateException if the broker is closed or a topic cannot be created (e.g. it exists)
     */
    public void createTopics(NewTopic... topics) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("Embedded Kafka at " + bootstrapServers() + " is closed");
            }
        }
        try (Admin admin = Admin.create(adminConfig(ADMIN_TIMEOUT, "labhooks-embedded-kafka-create-topics"))) {
            admin.createTopics(List.of(topics)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topics " + topicNames(topics) + " on " + bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + topicNames(topics), e);
        }
    }

    /**
     * Shuts the broker down, waits for it, and deletes the data dir if it is a temporary one.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        RuntimeException failure = null;
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            failure = e;
        }
        if (ownsDataDir) {
            try {
                deleteRecursively(dataDir);
            } catch (IOException e) {
                UncheckedIOException deleteFailure =
                        new UncheckedIOException("Could not delete Kafka data dir " + dataDir, e);
                if (failure == null) {
                    failure = deleteFailure;
                } else {
                    failure.addSuppressed(deleteFailure);
                }
            }
        }
        LOG.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", controller port " + controllerPort
                + ", cluster " + clusterId + ", data dir " + dataDir + "]";
    }

    private Map<String, Object> adminConfig(Duration timeout, String clientId) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1, timeout.toMillis()));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, Math.min(10_000, timeout.toMillis())));
        return config;
    }

    /** Waits until an Admin client sees this very broker: our cluster id, node {@value #NODE_ID}. */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminConfig(timeout, "labhooks-embedded-kafka-readiness"))) {
            DescribeClusterResult cluster = admin.describeCluster();
            String seenClusterId = cluster.clusterId().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            Collection<Node> nodes = cluster.nodes().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            admin.listTopics().names().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            if (!clusterId.equals(seenClusterId) || nodes.stream().noneMatch(n -> n.id() == NODE_ID)) {
                throw new IllegalStateException("The broker answering at " + bootstrapServers()
                        + " is not ours: cluster id " + seenClusterId + ", nodes " + nodes
                        + " (expected cluster id " + clusterId + ", node " + NODE_ID + ")");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Embedded Kafka on port " + port + " (data dir " + dataDir
                    + ") was not ready within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for embedded Kafka on port " + port, e);
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static Map<String, String> defaultBrokerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(16 * 1024 * 1024));
        // The cleaner allocates this buffer eagerly on the heap; 128 MiB by default is a lot for a test JVM.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        return Map.copyOf(p);
    }

    private static Map<String, Object> brokerConfig(Map<String, String> overrides, Path dataDir,
                                                    int port, int controllerPort) {
        Map<String, Object> props = new LinkedHashMap<>(DEFAULT_BROKER_PROPERTIES);
        props.putAll(overrides);
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + port + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + port);
        props.put("listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put("log.dirs", dataDir.toString());
        return props;
    }

    /** The cluster id in {@code dataDir/meta.properties}, or empty if the dir is not formatted yet. */
    private static Optional<String> formattedClusterId(Path dataDir) throws IOException {
        MetaPropertiesEnsemble ensemble = new MetaPropertiesEnsemble.Loader()
                .addLogDirs(List.of(dataDir.toString()))
                .addMetadataLogDir(dataDir.toString())
                .load();
        if (!ensemble.errorLogDirs().isEmpty()) {
            throw new IOException("Cannot read " + MetaPropertiesEnsemble.META_PROPERTIES_NAME + " in " + dataDir);
        }
        if (ensemble.logDirProps().isEmpty()) {
            return Optional.empty();
        }
        if (ensemble.nodeId().isPresent() && ensemble.nodeId().getAsInt() != NODE_ID) {
            throw new IllegalStateException("Data dir " + dataDir + " belongs to node " + ensemble.nodeId().getAsInt()
                    + ", not to node " + NODE_ID);
        }
        return ensemble.clusterId();
    }

    /**
     * Formats the storage as {@code kafka-storage format --cluster-id <id> --config ...} does; also for the chaos
     * suite's child-process nodes ({@link KafkaNodeMain}).
     */
    static void format(KafkaConfig config, String clusterId) throws Exception {
        Set<String> directories = new TreeSet<>(config.logDirs());
        directories.add(config.metadataLogDir());
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setUnstableFeatureVersionsEnabled(config.unstableFeatureVersionsEnabled())
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(directories)
                    .run();
        }
        LOG.debug("kafka-storage format: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    private static int freePort(int avoid) throws IOException {
        InetAddress loopback = InetAddress.getByName(HOST);
        for (int i = 0; i < 10; i++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(loopback, 0));
                int candidate = socket.getLocalPort();
                if (candidate != avoid) {
                    return candidate;
                }
            }
        }
        throw new IOException("Could not find a free port on " + HOST);
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            LOG.debug("Port {} on {} is not bindable: {}", port, HOST, e.toString());
            return false;
        }
    }

    private static boolean isBindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void stopAfterFailedStart(KafkaRaftServer server, Throwable startFailure) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            startFailure.addSuppressed(e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    private static String topicNames(NewTopic... topics) {
        return Stream.of(topics).map(NewTopic::name).toList().toString();
    }

    /**
     * Configures and starts an {@link EmbeddedKafka}. Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private String clusterId;
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** The client port; 0 (the default) picks a free one. The controller port is always picked freely. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The data dir. {@code null} (the default) means a new temporary dir, deleted on close. A given
         * dir is created if missing, formatted only if not yet formatted, and kept on close.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * The cluster id to format a new data dir with (default: a random one). If the data dir is
         * already formatted with another cluster id, {@link #start()} fails.
         */
        public Builder clusterId(String clusterId) {
            this.clusterId = clusterId;
            return this;
        }

        /** Adds or overrides one broker property, e.g. {@code message.max.bytes}. */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (MANAGED_PROPERTIES.contains(key)) {
                throw new IllegalArgumentException("Broker property " + key
                        + " is managed by EmbeddedKafka; use port(int) / dataDir(Path) instead");
            }
            brokerProperties.put(key, value);
            return this;
        }

        /** Adds or overrides broker properties; see {@link #brokerProperty(String, String)}. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /**
         * How long to wait for the started broker to answer an Admin client (default 60 s). The
         * in-process startup itself is bounded by Kafka's own timeouts.
         */
        public Builder startupTimeout(Duration startupTimeout) {
            if (startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive, was " + startupTimeout);
            }
            this.startupTimeout = startupTimeout;
            return this;
        }

        /**
         * Formats the storage if needed, starts the broker and blocks until it is ready.
         *
         * @throws IllegalStateException if the broker does not start or does not become ready in time
         * @throws UncheckedIOException if the data dir cannot be created or read
         */
        public EmbeddedKafka start() {
            Path dir;
            boolean ownsDir = dataDir == null;
            try {
                dir = ownsDir
                        ? Files.createTempDirectory("labhooks-kafka-").toAbsolutePath()
                        : Files.createDirectories(dataDir.toAbsolutePath());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not create Kafka data dir " + dataDir, e);
            }
            try {
                return start(dir, ownsDir);
            } catch (RuntimeException | Error e) {
                if (ownsDir) {
                    try {
                        deleteRecursively(dir);
                    } catch (IOException deleteFailure) {
                        e.addSuppressed(deleteFailure);
                    }
                }
                throw e;
            }
        }

        private EmbeddedKafka start(Path dir, boolean ownsDir) {
            long startNanos = System.nanoTime();
            Optional<String> existingClusterId;
            try {
                existingClusterId = formattedClusterId(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read Kafka data dir " + dir, e);
            }
            if (existingClusterId.isPresent() && clusterId != null && !clusterId.equals(existingClusterId.get())) {
                throw new IllegalStateException("Data dir " + dir + " is formatted for cluster "
                        + existingClusterId.get() + ", not " + clusterId);
            }
            String effectiveClusterId = existingClusterId.orElseGet(
                    () -> clusterId != null ? clusterId : Uuid.randomUuid().toString());
            boolean formatted = existingClusterId.isPresent();

            for (int attempt = 1; ; attempt++) {
                int clientPort;
                int ctrlPort;
                try {
                    clientPort = port != 0 ? port : freePort(-1);
                    ctrlPort = freePort(clientPort);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                KafkaConfig config = new KafkaConfig(brokerConfig(brokerProperties, dir, clientPort, ctrlPort), false);
                if (!formatted) {
                    try {
                        format(config, effectiveClusterId);
                    } catch (Exception e) {
                        throw new IllegalStateException("Could not format Kafka data dir " + dir, e);
                    }
                    formatted = true;
                }
                KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
                try {
                    server.startup();
                } catch (RuntimeException e) {
                    stopAfterFailedStart(server, e);
                    boolean bindFailure = isBindFailure(e);
                    // A fixed client port that is taken stays taken; only a free-picked port is worth a retry.
                    boolean fixedPortTaken = bindFailure && port != 0 && !canBind(port);
                    if (bindFailure && !fixedPortTaken && attempt < MAX_START_ATTEMPTS) {
                        LOG.info("Embedded Kafka could not bind port {} or {} (attempt {}), retrying on other ports",
                                clientPort, ctrlPort, attempt);
                        continue;
                    }
                    throw new IllegalStateException("Embedded Kafka failed to start on " + HOST + ":" + clientPort
                            + (fixedPortTaken ? " (port already in use)" : "")
                            + " (controller port " + ctrlPort + ", data dir " + dir + ")", e);
                }
                EmbeddedKafka kafka = new EmbeddedKafka(server, dir, ownsDir, clientPort, ctrlPort, effectiveClusterId);
                try {
                    kafka.awaitReady(startupTimeout);
                } catch (RuntimeException e) {
                    try {
                        kafka.close();
                    } catch (RuntimeException closeFailure) {
                        e.addSuppressed(closeFailure);
                    }
                    throw e;
                }
                LOG.info("Embedded Kafka started in {} ms: {}",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), kafka);
                return kafka;
            }
        }
    }
}
