package io.labhooks.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every config key and every rule across keys, each declared once: path, type, default, checks and one line
 * of doc. {@link ConfigLoader} reads through these declarations; the README's configuration reference is
 * rendered from them ({@link #referenceMarkdown()}) and a test fails when the two differ.
 */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    // ---- kafka ----

    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\s\\[\\]]+):(\\d{1,5})");

    public static final Key<Void> KAFKA = Key.mapping("kafka", "{}", "How to reach Kafka.");
    public static final Key<String> KAFKA_BOOTSTRAP_SERVERS = Key.string("kafka.bootstrap-servers", "localhost:9092",
                    "Comma-separated host:port list of the Kafka brokers.")
            .check(ConfigKeys::isHostPortList,
                    v -> "must be a comma-separated list of host:port (port 1-65535), was '" + v + "'");
    public static final Key<Map<String, String>> KAFKA_PROPERTIES = Key.properties("kafka.properties",
                    "Passed to every Kafka client (security.protocol, sasl.*, ssl.*); credential-like values are redacted.")
            .check(p -> !p.containsKey("bootstrap.servers"), p -> "set bootstrap.servers with kafka.bootstrap-servers, not in properties");

    // ---- topics ----

    public static final Key<Void> TOPICS = Key.mapping("topics", "{}", "The topics that labhooks topics creates.");
    public static final Key<Integer> TOPICS_PARTITIONS = Key.integer("topics.partitions", 6, 1, 10_000,
            "Partitions of each of the four topics.");
    public static final Key<Integer> TOPICS_REPLICATION_FACTOR = Key.integer("topics.replication-factor", 1, 1, 32,
            "Replication factor of the topics; min.insync.replicas is min(2, this).");

    // ---- ingress ----

    public static final Key<Void> INGRESS = Key.mapping("ingress", "{}", "The HTTP receiver.");
    public static final Key<String> INGRESS_HOST = Key.string("ingress.host", "0.0.0.0", "The address to bind.");
    public static final Key<Integer> INGRESS_PORT = Key.integer("ingress.port", 8080, 0, 65535,
            "Plain HTTP port, also serving /health/* and /metrics; 0 picks a free one.");
    public static final Key<IngressConfig.AckMode> INGRESS_ACK = Key.choice("ingress.ack",
            choices("kafka", IngressConfig.AckMode.KAFKA, "spool", IngressConfig.AckMode.SPOOL), IngressConfig.AckMode.KAFKA,
            "kafka: answer 200 after Kafka acked; spool: after the spool fsync'd, always (the forwarder then sends it to Kafka).");
    public static final Key<Duration> INGRESS_ACK_TIMEOUT = Key.duration("ingress.ack-timeout", "2s",
                    "How long a request waits for Kafka's ack before the record goes to the spool (ack: kafka); under 10s.")
            .check(d -> d.compareTo(IngressConfig.RESPONSE_LIMIT) < 0,
                    d -> "must be under 10s: senders such as Flabs give up on a response after 10 s");
    public static final Key<Void> INGRESS_SPOOL = Key.mapping("ingress.spool", "{}", "The disk spool used while Kafka cannot take a record.");
    public static final Key<Path> INGRESS_SPOOL_DIR = Key.path("ingress.spool.dir", "data/spool", "The spool's directory.");
    public static final Key<Long> INGRESS_SPOOL_MAX_BYTES = Key.size("ingress.spool.max-bytes", "1GiB", 1L << 20, Long.MAX_VALUE,
            "The most the spool may hold.");
    public static final Key<Integer> INGRESS_MAX_IN_FLIGHT = Key.integer("ingress.max-in-flight", 512, 1, 100_000,
            "Requests handled at once; more are answered 503 with Retry-After at once.");
    public static final Key<Duration> INGRESS_READ_TIMEOUT = Key.duration("ingress.read-timeout", "5s",
                    "The headers, then the body, must each arrive within this; at most 10s.")
            .check(d -> d.compareTo(IngressConfig.RESPONSE_LIMIT) <= 0, d -> "must be at most 10s, the senders' response limit");
    public static final Key<Duration> INGRESS_IDLE_TIMEOUT = Key.duration("ingress.idle-timeout", "60s",
            "An idle keep-alive connection is closed after this.");
    public static final Key<Duration> INGRESS_SHUTDOWN_TIMEOUT = Key.duration("ingress.shutdown-timeout", "20s",
            "How long a graceful shutdown waits for in-flight requests.");
    public static final Key<Integer> INGRESS_IO_THREADS = Key.integer("ingress.io-threads", 0, 0, 1024,
            "Undertow IO threads; 0 means one per core.");
    public static final Key<Void> INGRESS_TLS = Key.mapping("ingress.tls", "none",
            "Optional HTTPS listener (HTTP/1.1): PEM certificate and private-key, or a PKCS12 keystore.");
    public static final Key<Integer> TLS_PORT = Key.integer("ingress.tls.port", 8443, 0, 65535, "The HTTPS port.");
    public static final Key<Path> TLS_CERTIFICATE = Key.path("ingress.tls.certificate", null, "PEM certificate chain.");
    public static final Key<Path> TLS_PRIVATE_KEY = Key.path("ingress.tls.private-key", null, "PKCS#8 PEM private key.");
    public static final Key<Path> TLS_KEYSTORE = Key.path("ingress.tls.keystore", null, "PKCS12 keystore, instead of PEM.");
    public static final Key<Secret> TLS_KEYSTORE_PASSWORD = Key.secret("ingress.tls.keystore-password", "The keystore's password.");

    public static final Rule TLS_PEM_OR_PKCS12 = new Rule("ingress.tls",
            "Either certificate and private-key (PEM) or keystore (PKCS12), not both; every file named must be readable.", n -> {
        Path cert = n.get(TLS_CERTIFICATE);
        Path key = n.get(TLS_PRIVATE_KEY);
        Path keystore = n.get(TLS_KEYSTORE);
        boolean pem = cert != null || key != null;
        if (pem && keystore != null) {
            n.sectionProblem("set either certificate and private-key (PEM) or keystore (PKCS12), not both");
        } else if (!pem && keystore == null) {
            n.sectionProblem("needs certificate and private-key (PEM) or keystore (PKCS12)");
        } else if (pem && (cert == null || key == null)) {
            n.problem(cert == null ? TLS_CERTIFICATE : TLS_PRIVATE_KEY, "is required with PEM");
        } else {
            Map<Key<Path>, Path> files = new LinkedHashMap<>();
            files.put(TLS_CERTIFICATE, cert);
            files.put(TLS_PRIVATE_KEY, key);
            files.put(TLS_KEYSTORE, keystore);
            files.forEach((k, p) -> {
                if (p != null && !Files.isReadable(p)) {
                    n.problem(k, "cannot read file " + p);
                }
            });
        }
    });

    // ---- sources ----

    /** A source id: it appears in URLs, metrics and the CloudEvents source. */
    public static final Pattern SOURCE_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    public static final long MAX_BODY_LIMIT = 64L << 20;

    public static final Key<Void> SOURCES = Key.list("sources", "required", "The webhook senders; at least one.");
    public static final Key<String> SOURCE_ID_KEY = Key.requiredString("sources[].id",
                    "Reached at POST /hooks/{id}; lower-case letters, digits, '-' and '_', at most 63.")
            .check(id -> SOURCE_ID.matcher(id).matches(),
                    id -> "must be lower-case letters, digits, '-' or '_' (at most 63), was '" + id + "'");
    public static final Key<Vendor> SOURCE_VENDOR = Key.choice("sources[].vendor", Vendor.byId(), null, "Which adapter reads the deliveries.");
    public static final Key<ZoneId> SOURCE_TIMEZONE = Key.parsed("sources[].timezone", "time zone id", "UTC", ZoneId::of,
            tz -> "is not a time zone id such as UTC or America/Denver: '" + tz + "'", "The zone of vendor timestamps that carry no offset.");
    public static final Key<Long> SOURCE_MAX_BODY_BYTES = Key.size("sources[].max-body-bytes", "1MiB", 1, MAX_BODY_LIMIT,
            "Larger bodies are answered 413.");
    public static final Key<Void> SOURCE_AUTH = Key.mapping("sources[].auth", "required",
            "How the sender proves who it is; {type: none} accepts anyone (logged as a warning).");
    public static final Key<Void> SOURCE_RATE_LIMIT = Key.mapping("sources[].rate-limit", "none",
            "Optional token bucket; over it, 429 with Retry-After.");
    public static final Key<Double> RATE_LIMIT_RPS = Key.requiredPositiveNumber("sources[].rate-limit.requests-per-second",
            "Sustained requests per second.");
    public static final Key<Integer> RATE_LIMIT_BURST = Key.integer("sources[].rate-limit.burst", "requests-per-second, rounded up",
            1, 1_000_000, "Requests allowed at once above the sustained rate.");
    public static final Key<Void> SOURCE_POINTERS = Key.mapping("sources[].pointers", "none",
            "JSON Pointers into the body: for vendor generic, and CoreOne's id and version.");
    public static final Key<String> POINTER_EVENT_TYPE = pointer("sources[].pointers.event-type", "The event type (generic: required).");
    public static final Key<String> POINTER_ENTITY_TYPE = pointer("sources[].pointers.entity-type", "The entity type.");
    public static final Key<String> POINTER_ENTITY_ID = pointer("sources[].pointers.entity-id", "The entity id (generic: required).");
    public static final Key<String> POINTER_VERSION = pointer("sources[].pointers.version", "The version; else the receipt time.");

    public static final Key<AuthType> AUTH_TYPE = Key.choice("sources[].auth.type", AuthType.byId(), null, "The auth mode.");
    public static final Key<String> AUTH_HEADER = Key.string("sources[].auth.header", null,
            "hmac-sha256: the header carrying the signature, e.g. X-Coreone-Webhook-Hash.");
    public static final Key<AuthConfig.Encoding> AUTH_ENCODING = Key.choice("sources[].auth.encoding",
            choices("hex", AuthConfig.Encoding.HEX, "base64", AuthConfig.Encoding.BASE64), AuthConfig.Encoding.HEX,
            "hmac-sha256: how the digest is written.");
    public static final Key<String> AUTH_PREFIX = Key.string("sources[].auth.prefix", "", "hmac-sha256: text before the digest, e.g. sha256=.");
    public static final Key<List<Secret>> AUTH_SECRETS = Key.secrets("sources[].auth.secrets", "hmac-sha256: the HMAC keys (several, to rotate).");
    public static final Key<List<Secret>> AUTH_TOKENS = Key.secrets("sources[].auth.tokens", "bearer and path-token: the accepted tokens.");
    public static final Key<Void> AUTH_USERS = Key.list("sources[].auth.users", "[]", "basic: the accepted users.");
    public static final Key<String> USER_NAME = Key.requiredString("sources[].auth.users[].username", "The user name.");
    public static final Key<Secret> USER_PASSWORD = Key.requiredSecret("sources[].auth.users[].password", "The password.");

    public static final Rule SOURCES_REQUIRED = new Rule("sources", "At least one source.", n -> {
        if (n.emptyList(SOURCES)) {
            n.problem(SOURCES, "is required: list at least one source");
        }
    });
    public static final Rule UNIQUE_SOURCE_IDS = new Rule("sources", "Source ids are unique.", n -> {
        Set<String> seen = new HashSet<>();
        for (ConfigNode item : n.items(SOURCES)) {
            String id = item.get(SOURCE_ID_KEY);
            if (id != null && !seen.add(id)) {
                item.problem(SOURCE_ID_KEY, "'" + id + "' is already used by an earlier source");
            }
        }
    });
    public static final Rule AUTH_REQUIRED = new Rule("sources[]", "auth is required.", n -> {
        if (!n.has(SOURCE_AUTH)) {
            n.problem(SOURCE_AUTH, "is required (use {type: none} to accept unauthenticated deliveries)");
        }
    });
    public static final Rule POINTERS_FOR_COREONE_AND_GENERIC = new Rule("sources[]",
            "pointers only for vendors coreone and generic; generic needs pointers.event-type and pointers.entity-id.", n -> {
        Vendor vendor = n.get(SOURCE_VENDOR);
        ConfigNode p = n.child(SOURCE_POINTERS);
        if (n.has(SOURCE_POINTERS) && vendor != null && vendor != Vendor.GENERIC && vendor != Vendor.COREONE) {
            n.problem(SOURCE_POINTERS, "is only used by vendors coreone and generic, not " + vendor.id());
        }
        if (vendor == Vendor.GENERIC && p.clean() && (isBlank(p.get(POINTER_ENTITY_ID)) || isBlank(p.get(POINTER_EVENT_TYPE)))) {
            n.problem(SOURCE_POINTERS, "vendor generic needs pointers.event-type and pointers.entity-id");
        }
    });

    /** Which auth types use which keys; a key set for another type is a mistake worth reporting. */
    private static final Map<Key<?>, Set<AuthType>> AUTH_KEYS_BY_TYPE = authKeysByType();

    public static final Rule AUTH_KEYS_MATCH_TYPE = new Rule("sources[].auth",
            "header, encoding, prefix and secrets are for hmac-sha256, tokens for bearer and path-token, users for basic; "
                    + "each type needs its own (hmac-sha256: header and a secret).", n -> {
        AuthType type = n.get(AUTH_TYPE);
        if (type == null) {
            return;
        }
        AUTH_KEYS_BY_TYPE.forEach((key, types) -> {
            if (!types.contains(type) && n.has(key)) {
                n.problem(key, "is not used by auth type " + type.id());
            }
        });
        switch (type) {
            case HMAC_SHA256 -> {
                if (isBlank(n.get(AUTH_HEADER))) {
                    n.problem(AUTH_HEADER, "is required for hmac-sha256 (e.g. X-Coreone-Webhook-Hash)");
                }
                if (n.emptyList(AUTH_SECRETS)) {
                    n.problem(AUTH_SECRETS, "needs at least one secret for hmac-sha256");
                }
            }
            case BEARER, PATH_TOKEN -> {
                if (n.emptyList(AUTH_TOKENS)) {
                    n.problem(AUTH_TOKENS, "needs at least one token for " + type.id());
                }
            }
            case BASIC -> {
                if (n.emptyList(AUTH_USERS)) {
                    n.problem(AUTH_USERS, "needs at least one {username, password} for basic");
                }
            }
            case NONE -> { }
        }
    });

    // ---- normalizer ----

    /** Streams settings that have their own keys; setting them in normalizer.properties too would be ambiguous. */
    private static final Map<String, String> NORMALIZER_OWN_KEYS = ordered(
            "bootstrap.servers", "kafka.bootstrap-servers",
            "application.id", "normalizer.application-id",
            "state.dir", "normalizer.state-dir",
            "num.standby.replicas", "normalizer.standby-replicas");

    public static final Key<Void> NORMALIZER = Key.mapping("normalizer", "{}", "The Kafka Streams normalizer.");
    public static final Key<String> NORMALIZER_APPLICATION_ID = Key.string("normalizer.application-id", "labhooks-normalizer",
                    "The Kafka Streams application id (and consumer group).")
            .check(id -> id.matches("[A-Za-z0-9._-]+"), id -> "may hold only letters, digits, '.', '_' and '-', was '" + id + "'");
    public static final Key<Path> NORMALIZER_STATE_DIR = Key.path("normalizer.state-dir", "data/streams", "The Streams state directory.");
    public static final Key<Duration> NORMALIZER_DEDUPE_RETENTION = Key.duration("normalizer.dedupe-retention", "14d",
            "How long event ids are remembered; longer than any vendor's retry window.");
    public static final Key<Integer> NORMALIZER_STANDBY_REPLICAS = Key.integer("normalizer.standby-replicas", 0, 0, 10,
            "Standby replicas of the dedupe store.");
    public static final Key<Map<String, String>> NORMALIZER_PROPERTIES = Key.properties("normalizer.properties",
                    "Passed to Kafka Streams (e.g. commit.interval.ms); credential-like values are redacted. Unless set here or in kafka.properties, "
                            + "num.stream.threads is the number of cores and the producer uses compression.type lz4 and batch.size 262144.")
            .check(p -> ownKeyIn(p) == null, p -> "set " + ownKeyIn(p) + " with " + NORMALIZER_OWN_KEYS.get(ownKeyIn(p)) + ", not in properties");

    // ---- sink ----

    public static final Key<Void> SINK = Key.mapping("sink", "{}", "The JDBC warehouse sink.");
    public static final Key<String> SINK_JDBC_URL = Key.string("sink.jdbc-url", "jdbc:sqlite:data/warehouse.db",
                    "The warehouse: jdbc:postgresql://host:5432/db or jdbc:sqlite:file; password= in it is redacted.")
            .check(url -> JdbcDatabase.of(url).isPresent(), url -> JdbcDatabase.REQUIREMENT);
    public static final Key<String> SINK_USERNAME = Key.string("sink.username", null, "The database user.");
    public static final Key<Secret> SINK_PASSWORD = Key.secret("sink.password", "The database password.");
    public static final Key<String> SINK_GROUP_ID = Key.string("sink.group-id", "labhooks-sink", "The sink's consumer group.");
    public static final Key<Integer> SINK_BATCH_SIZE = Key.integer("sink.batch-size", 1000, 1, 100_000,
            "Records per poll and per database transaction, at most.");
    public static final Key<Duration> SINK_POLL_TIMEOUT = Key.duration("sink.poll-timeout", "500ms", "The consumer's poll timeout.");

    /** Every key, in reference order. */
    public static final List<Key<?>> ALL = List.of(
            KAFKA, KAFKA_BOOTSTRAP_SERVERS, KAFKA_PROPERTIES,
            TOPICS, TOPICS_PARTITIONS, TOPICS_REPLICATION_FACTOR,
            INGRESS, INGRESS_HOST, INGRESS_PORT, INGRESS_ACK, INGRESS_ACK_TIMEOUT, INGRESS_SPOOL, INGRESS_SPOOL_DIR, INGRESS_SPOOL_MAX_BYTES,
            INGRESS_MAX_IN_FLIGHT, INGRESS_READ_TIMEOUT, INGRESS_IDLE_TIMEOUT, INGRESS_SHUTDOWN_TIMEOUT, INGRESS_IO_THREADS,
            INGRESS_TLS, TLS_PORT, TLS_CERTIFICATE, TLS_PRIVATE_KEY, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD,
            SOURCES, SOURCE_ID_KEY, SOURCE_VENDOR, SOURCE_TIMEZONE, SOURCE_MAX_BODY_BYTES,
            SOURCE_AUTH, AUTH_TYPE, AUTH_HEADER, AUTH_ENCODING, AUTH_PREFIX, AUTH_SECRETS, AUTH_TOKENS, AUTH_USERS, USER_NAME, USER_PASSWORD,
            SOURCE_RATE_LIMIT, RATE_LIMIT_RPS, RATE_LIMIT_BURST,
            SOURCE_POINTERS, POINTER_EVENT_TYPE, POINTER_ENTITY_TYPE, POINTER_ENTITY_ID, POINTER_VERSION,
            NORMALIZER, NORMALIZER_APPLICATION_ID, NORMALIZER_STATE_DIR, NORMALIZER_DEDUPE_RETENTION, NORMALIZER_STANDBY_REPLICAS, NORMALIZER_PROPERTIES,
            SINK, SINK_JDBC_URL, SINK_USERNAME, SINK_PASSWORD, SINK_GROUP_ID, SINK_BATCH_SIZE, SINK_POLL_TIMEOUT);

    /** Every rule across keys, in reference order. */
    public static final List<Rule> RULES = List.of(TLS_PEM_OR_PKCS12, SOURCES_REQUIRED, UNIQUE_SOURCE_IDS, AUTH_REQUIRED,
            POINTERS_FOR_COREONE_AND_GENERIC, AUTH_KEYS_MATCH_TYPE);

    /** The first key of {@code props} that has its own normalizer key, or null. */
    private static String ownKeyIn(Map<String, String> props) {
        return NORMALIZER_OWN_KEYS.keySet().stream().filter(props::containsKey).findFirst().orElse(null);
    }

    private static Map<Key<?>, Set<AuthType>> authKeysByType() {
        Map<Key<?>, Set<AuthType>> m = new LinkedHashMap<>();
        m.put(AUTH_HEADER, EnumSet.of(AuthType.HMAC_SHA256));
        m.put(AUTH_ENCODING, EnumSet.of(AuthType.HMAC_SHA256));
        m.put(AUTH_PREFIX, EnumSet.of(AuthType.HMAC_SHA256));
        m.put(AUTH_SECRETS, EnumSet.of(AuthType.HMAC_SHA256));
        m.put(AUTH_TOKENS, EnumSet.of(AuthType.BEARER, AuthType.PATH_TOKEN));
        m.put(AUTH_USERS, EnumSet.of(AuthType.BASIC));
        return m;
    }

    private static Key<String> pointer(String path, String doc) {
        return Key.string(path, null, doc).check(p -> p.isEmpty() || p.startsWith("/"),
                p -> "must be a JSON Pointer starting with '/', was '" + p + "'");
    }

    private static boolean isHostPortList(String servers) {
        for (String hp : servers.split(",", -1)) {
            Matcher m = HOST_PORT.matcher(hp.trim());
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Choices in this order, so that "must be one of [...]" reads the same on every run (Map.of's order is not). */
    private static <T> Map<String, T> choices(String id1, T v1, String id2, T v2) {
        return ordered(id1, v1, id2, v2);
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, T> ordered(Object... pairs) {
        Map<String, T> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (T) pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    // ---- the reference ----

    /** The configuration reference as Markdown: one table row per key, then the rules across keys. */
    public static String referenceMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | type | default | description |\n|---|---|---|---|\n");
        for (Key<?> k : ALL) {
            sb.append("| `").append(k.path()).append("` | ").append(cell(k.type())).append(" | ")
                    .append(k.defaultIsValue() ? "`" + cell(k.defaultText()) + "`" : cell(k.defaultText()))
                    .append(" | ").append(cell(k.doc())).append(" |\n");
        }
        sb.append("\nRules across keys:\n\n");
        for (Rule r : RULES) {
            sb.append("- `").append(r.section()).append("`: ").append(r.doc()).append('\n');
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
