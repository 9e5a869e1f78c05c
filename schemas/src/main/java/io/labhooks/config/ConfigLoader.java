package io.labhooks.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML config: substitutes {@code ${ENV}} and {@code ${ENV:-default}} in values, rejects
 * unknown keys, validates every value, and throws one {@link ConfigException} listing every problem
 * with its key path. Secret values never appear in a problem.
 */
public final class ConfigLoader {
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final long MAX_CONFIG_BYTES = 1L << 20;
    private static final long MAX_BODY_LIMIT = 64L << 20;
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\s\\[\\]]+):(\\d{1,5})");
    /** Streams settings that have their own keys; setting them in normalizer.properties too would be ambiguous. */
    private static final Map<String, String> NORMALIZER_OWN_KEYS = Map.of(
            "bootstrap.servers", "kafka.bootstrap-servers",
            "application.id", "normalizer.application-id",
            "state.dir", "normalizer.state-dir",
            "num.standby.replicas", "normalizer.standby-replicas");

    private ConfigLoader() {
    }

    public static LabhooksConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new ConfigException(file.toString(), List.of("the file is larger than 1 MiB"));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("no such file"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        return parse(text, file.toString(), env);
    }

    public static LabhooksConfig parse(String yaml, String origin, Map<String, String> env) {
        JsonNode root;
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory().rebuild().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
        try (JsonParser parser = mapper.createParser(yaml)) {
            root = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw new ConfigException(origin, List.of("holds more than one YAML document (---); put the whole config in one"));
            }
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ConfigException(origin, List.of("not valid YAML" + where + ": " + withoutSnippets(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new ConfigException(origin, List.of("cannot read: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = new ObjectMapper().createObjectNode();
        }
        substitute(root, "", env, problems);
        ConfigNode top = new ConfigNode(root, "", problems);
        LabhooksConfig config = read(top, problems);
        if (!problems.isEmpty() || config == null) {
            throw new ConfigException(origin, problems.isEmpty() ? List.of("invalid config") : problems);
        }
        return config;
    }

    /**
     * SnakeYAML's messages quote the offending source lines (indented) under each "in 'reader', line ..."
     * mark; those lines may hold an inline secret. Keep only the unindented description lines.
     */
    private static String withoutSnippets(String message) {
        if (message == null) {
            return "syntax error";
        }
        StringBuilder out = new StringBuilder();
        for (String line : message.split("\\R")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                out.append(out.length() == 0 ? "" : "; ").append(line.strip());
            }
        }
        return out.length() == 0 ? "syntax error" : out.toString();
    }

    // ---- ${ENV} substitution, on values only (never on keys, never re-parsed as YAML) ----

    private static void substitute(JsonNode node, String path, Map<String, String> env, List<String> problems) {
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            it.forEachRemaining(entries::add);
            for (Map.Entry<String, JsonNode> e : entries) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getValue().isTextual()) {
                    obj.set(e.getKey(), new TextNode(expand(e.getValue().asText(), p, env, problems)));
                } else {
                    substitute(e.getValue(), p, env, problems);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                String p = path + "[" + i + "]";
                if (arr.get(i).isTextual()) {
                    arr.set(i, new TextNode(expand(arr.get(i).asText(), p, env, problems)));
                } else {
                    substitute(arr.get(i), p, env, problems);
                }
            }
        }
    }

    private static String expand(String value, String path, Map<String, String> env, List<String> problems) {
        // "${" outside a well-formed reference (a typo such as ${X:default} or ${X) would otherwise stay
        // in the value literally, e.g. as a guessable secret). The value itself is not quoted: it may be one.
        if (ENV_REF.matcher(value).replaceAll("").contains("${")) {
            problems.add(path + ": has a malformed ${...} reference; write ${NAME} or ${NAME:-default}");
            return value;
        }
        Matcher m = ENV_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(2) != null && m.group(2).contains("${")) {
                problems.add(path + ": nested ${...} references are not supported");
                return value;
            }
            String v = env.get(m.group(1));
            if (v == null || (v.isEmpty() && m.group(2) != null)) {
                v = m.group(2);
            }
            if (v == null) {
                problems.add(path + ": environment variable " + m.group(1) + " is not set (use ${" + m.group(1) + ":-default} for a default)");
                v = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    // ---- reading ----

    private static LabhooksConfig read(ConfigNode top, List<String> problems) {
        KafkaConfig kafka = kafka(top.child("kafka"));
        TopicsConfig topics = topics(top.child("topics"));
        IngressConfig ingress = ingress(top.child("ingress"));
        Set<String> ids = new HashSet<>();
        List<SourceConfig> sources = top.objects("sources", n -> source(n, ids));
        if (top.emptyList("sources")) {
            top.problem("sources", "is required: list at least one source");
        }
        NormalizerConfig normalizer = normalizer(top.child("normalizer"));
        SinkConfig sink = sink(top.child("sink"));
        top.finish();
        if (!problems.isEmpty()) {
            return null;
        }
        return new LabhooksConfig(kafka, topics, ingress, sources, normalizer, sink);
    }

    private static KafkaConfig kafka(ConfigNode n) {
        String bootstrap = n.string("bootstrap-servers", "localhost:9092");
        for (String hp : bootstrap.split(",", -1)) {
            Matcher m = HOST_PORT.matcher(hp.trim());
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
                n.problem("bootstrap-servers", "must be a comma-separated list of host:port (port 1-65535), was '" + bootstrap + "'");
                break;
            }
        }
        Map<String, String> props = n.stringMap("properties");
        if (props.containsKey("bootstrap.servers")) {
            n.problem("properties", "set bootstrap.servers with kafka.bootstrap-servers, not in properties");
        }
        n.finish();
        return new KafkaConfig(bootstrap, props);
    }

    private static TopicsConfig topics(ConfigNode n) {
        int partitions = n.integer("partitions", 6, 1, 10_000);
        int rf = n.integer("replication-factor", 1, 1, 32);
        n.finish();
        return new TopicsConfig(partitions, (short) rf);
    }

    private static IngressConfig ingress(ConfigNode n) {
        String host = n.string("host", "0.0.0.0");
        int port = n.integer("port", 8080, 0, 65535);
        IngressConfig.AckMode ack = n.choice("ack", IngressConfig.AckMode.KAFKA,
                choices("kafka", IngressConfig.AckMode.KAFKA, "spool", IngressConfig.AckMode.SPOOL));
        Duration ackTimeout = n.duration("ack-timeout", Duration.ofSeconds(2));
        if (ackTimeout.compareTo(IngressConfig.RESPONSE_LIMIT) >= 0) {
            n.problem("ack-timeout", "must be under 10s: senders such as Flabs give up on a response after 10 s");
            ackTimeout = Duration.ofSeconds(2);
        }
        ConfigNode spoolNode = n.child("spool");
        SpoolConfig spool = new SpoolConfig(spoolNode.pathValue("dir", Path.of("data", "spool")),
                spoolNode.bytes("max-bytes", 1L << 30, 1L << 20, Long.MAX_VALUE));
        spoolNode.finish();
        int maxInFlight = n.integer("max-in-flight", 512, 1, 100_000);
        Duration readTimeout = n.duration("read-timeout", Duration.ofSeconds(5));
        if (readTimeout.compareTo(IngressConfig.RESPONSE_LIMIT) > 0) {
            n.problem("read-timeout", "must be at most 10s, the senders' response limit");
            readTimeout = Duration.ofSeconds(5);
        }
        Duration idleTimeout = n.duration("idle-timeout", Duration.ofSeconds(60));
        Duration shutdownTimeout = n.duration("shutdown-timeout", Duration.ofSeconds(20));
        int ioThreads = n.integer("io-threads", 0, 0, 1024);
        Optional<TlsConfig> tls = Optional.empty();
        if (n.has("tls")) {
            tls = tls(n.child("tls"));
        }
        n.finish();
        Duration ackT = ackTimeout;
        Duration readT = readTimeout;
        Optional<TlsConfig> tlsC = tls;
        return guard(n, null, () -> new IngressConfig(host, port, ack, ackT, spool, maxInFlight,
                readT, idleTimeout, shutdownTimeout, ioThreads, tlsC));
    }

    private static Optional<TlsConfig> tls(ConfigNode n) {
        int port = n.integer("port", 8443, 0, 65535);
        Path cert = n.pathValue("certificate", null);
        Path key = n.pathValue("private-key", null);
        Path keystore = n.pathValue("keystore", null);
        Secret password = n.secret("keystore-password");
        n.finish();
        boolean pem = cert != null || key != null;
        if (pem && keystore != null) {
            n.problem(null, "set either certificate and private-key (PEM) or keystore (PKCS12), not both");
            return Optional.empty();
        }
        if (!pem && keystore == null) {
            n.problem(null, "needs certificate and private-key (PEM) or keystore (PKCS12)");
            return Optional.empty();
        }
        if (pem && (cert == null || key == null)) {
            n.problem(cert == null ? "certificate" : "private-key", "is required with PEM");
            return Optional.empty();
        }
        for (Path p : new Path[] {cert, key, keystore}) {
            if (p != null && !Files.isReadable(p)) {
                n.problem(p == cert ? "certificate" : p == key ? "private-key" : "keystore", "cannot read file " + p);
            }
        }
        return Optional.ofNullable(guard(n, null, () -> new TlsConfig(port, cert, key, keystore, password)));
    }

    private static SourceConfig source(ConfigNode n, Set<String> idsSoFar) {
        String id = n.requiredString("id");
        if (id != null && !SourceConfig.ID.matcher(id).matches()) {
            n.problem("id", "must be lower-case letters, digits, '-' or '_' (at most 63), was '" + id + "'");
        } else if (id != null && !idsSoFar.add(id)) {
            n.problem("id", "'" + id + "' is already used by an earlier source");
        }
        Vendor vendor = n.choice("vendor", null, Vendor.byId());
        ZoneId zone = ZoneId.of("UTC");
        String tz = n.string("timezone", null);
        if (tz != null) {
            try {
                zone = ZoneId.of(tz);
            } catch (DateTimeException e) {
                n.problem("timezone", "is not a time zone id such as UTC or America/Denver: '" + tz + "'");
            }
        }
        long maxBody = n.bytes("max-body-bytes", SourceConfig.DEFAULT_MAX_BODY_BYTES, 1, MAX_BODY_LIMIT);
        AuthConfig auth = n.has("auth") ? auth(n.child("auth")) : null;
        if (!n.has("auth")) {
            n.problem("auth", "is required (use {type: none} to accept unauthenticated deliveries)");
        }
        Optional<RateLimit> rate = Optional.empty();
        if (n.has("rate-limit")) {
            ConfigNode r = n.child("rate-limit");
            double rps = r.decimal("requests-per-second", 0, 0);
            if (!r.has("requests-per-second")) {
                r.problem("requests-per-second", "is required");
            }
            int burst = r.integer("burst", Math.max(1, (int) Math.ceil(rps)), 1, 1_000_000);
            r.finish();
            rate = rps > 0 ? Optional.of(new RateLimit(rps, burst)) : Optional.empty();
        }
        Pointers pointers = Pointers.DEFAULTS;
        boolean pointersOk = true;
        if (n.has("pointers")) {
            ConfigNode p = n.child("pointers");
            String[] vals = new String[4];
            String[] keys = {"event-type", "entity-type", "entity-id", "version"};
            for (int i = 0; i < keys.length; i++) {
                vals[i] = p.string(keys[i], null);
                if (vals[i] != null && !vals[i].isEmpty() && !vals[i].startsWith("/")) {
                    p.problem(keys[i], "must be a JSON Pointer starting with '/', was '" + vals[i] + "'");
                    vals[i] = null;
                }
            }
            p.finish();
            pointersOk = p.clean();
            pointers = new Pointers(vals[0], vals[1], vals[2], vals[3]);
            if (vendor != null && vendor != Vendor.GENERIC && vendor != Vendor.COREONE) {
                n.problem("pointers", "is only used by vendors coreone and generic, not " + vendor.id());
            }
        }
        if (vendor == Vendor.GENERIC && pointersOk && (isBlank(pointers.entityId()) || isBlank(pointers.eventType()))) {
            n.problem("pointers", "vendor generic needs pointers.event-type and pointers.entity-id");
        }
        n.finish();
        if (id == null || vendor == null || auth == null) {
            return null;
        }
        ZoneId z = zone;
        Optional<RateLimit> rl = rate;
        Pointers ptr = pointers;
        return guard(n, null, () -> new SourceConfig(id, vendor, z, maxBody, auth, rl, ptr));
    }

    private static AuthConfig auth(ConfigNode n) {
        AuthType type = n.choice("type", null, AuthType.byId());
        String header = n.string("header", null);
        AuthConfig.Encoding enc = n.choice("encoding", AuthConfig.Encoding.HEX,
                choices("hex", AuthConfig.Encoding.HEX, "base64", AuthConfig.Encoding.BASE64));
        String prefix = n.string("prefix", "");
        List<Secret> secrets = n.secrets("secrets");
        List<Secret> tokens = n.secrets("tokens");
        List<AuthConfig.BasicUser> users = n.objects("users", u -> {
            String name = u.requiredString("username");
            Secret pw = u.requiredSecret("password");
            u.finish();
            return name == null || pw == null ? null : new AuthConfig.BasicUser(name, pw);
        });
        if (type == null) {
            n.finish();
            return null;
        }
        Map<String, Boolean> used = new LinkedHashMap<>();
        used.put("header", type == AuthType.HMAC_SHA256);
        used.put("encoding", type == AuthType.HMAC_SHA256);
        used.put("prefix", type == AuthType.HMAC_SHA256);
        used.put("secrets", type == AuthType.HMAC_SHA256);
        used.put("tokens", type == AuthType.BEARER || type == AuthType.PATH_TOKEN);
        used.put("users", type == AuthType.BASIC);
        for (Map.Entry<String, Boolean> e : used.entrySet()) {
            if (!e.getValue() && n.has(e.getKey())) {
                n.problem(e.getKey(), "is not used by auth type " + type.id());
            }
        }
        switch (type) {
            case HMAC_SHA256 -> {
                if (header == null || header.isBlank()) {
                    n.problem("header", "is required for hmac-sha256 (e.g. X-Coreone-Webhook-Hash)");
                }
                if (n.emptyList("secrets")) {
                    n.problem("secrets", "needs at least one secret for hmac-sha256");
                }
            }
            case BEARER, PATH_TOKEN -> {
                if (n.emptyList("tokens")) {
                    n.problem("tokens", "needs at least one token for " + type.id());
                }
            }
            case BASIC -> {
                if (n.emptyList("users")) {
                    n.problem("users", "needs at least one {username, password} for basic");
                }
            }
            case NONE -> { }
        }
        n.finish();
        return guard(n, null, () -> new AuthConfig(type, header, enc, prefix, secrets, tokens, users));
    }

    private static NormalizerConfig normalizer(ConfigNode n) {
        String appId = n.string("application-id", "labhooks-normalizer");
        if (!appId.matches("[A-Za-z0-9._-]+")) {
            n.problem("application-id", "may hold only letters, digits, '.', '_' and '-', was '" + appId + "'");
        }
        Path stateDir = n.pathValue("state-dir", Path.of("data", "streams"));
        Duration retention = n.duration("dedupe-retention", Duration.ofDays(14));
        int standbys = n.integer("standby-replicas", 0, 0, 10);
        Map<String, String> props = n.stringMap("properties");
        NORMALIZER_OWN_KEYS.forEach((prop, own) -> {
            if (props.containsKey(prop)) {
                n.problem("properties", "set " + prop + " with " + own + ", not in properties");
            }
        });
        n.finish();
        return guard(n, null, () -> new NormalizerConfig(appId, stateDir, retention, standbys, props));
    }

    private static SinkConfig sink(ConfigNode n) {
        String url = n.string("jdbc-url", "jdbc:sqlite:data/warehouse.db");
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:sqlite:")) {
            n.problem("jdbc-url", "must be a jdbc:postgresql: or jdbc:sqlite: URL");
        }
        String user = n.string("username", null);
        Secret password = n.secret("password");
        String groupId = n.string("group-id", "labhooks-sink");
        int batch = n.integer("batch-size", 1000, 1, 100_000);
        Duration poll = n.duration("poll-timeout", Duration.ofMillis(500));
        n.finish();
        return guard(n, null, () -> new SinkConfig(url, user, password, groupId, batch, poll));
    }

    /** Two choices in this order, so that "must be one of [...]" reads the same on every run (Map.of's order is not). */
    private static <T> Map<String, T> choices(String id1, T v1, String id2, T v2) {
        Map<String, T> m = new LinkedHashMap<>();
        m.put(id1, v1);
        m.put(id2, v2);
        return m;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * Builds a record unless a problem was already found under {@code n} (the record's own checks would
     * only repeat it); a compact-constructor rejection becomes a problem instead of an exception.
     */
    private static <T> T guard(ConfigNode n, String key, Supplier<T> build) {
        if (!n.clean()) {
            return null;
        }
        try {
            return build.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            n.problem(key, e.getMessage());
            return null;
        }
    }
}
