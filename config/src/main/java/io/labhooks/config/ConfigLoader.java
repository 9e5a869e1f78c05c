package io.labhooks.config;

import static io.labhooks.config.ConfigKeys.*;

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
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static io.labhooks.config.ConfigKeys.*;
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

    // ---- reading: every value through its declaration in ConfigKeys ----

    private static LabhooksConfig read(ConfigNode top, List<String> problems) {
        KafkaConfig kafka = kafka(top.child(KAFKA));
        TopicsConfig topics = topics(top.child(TOPICS));
        IngressConfig ingress = ingress(top.child(INGRESS));
        List<SourceConfig> sources = top.objects(SOURCES, ConfigLoader::source);
        top.check(SOURCES_REQUIRED, UNIQUE_SOURCE_IDS);
        NormalizerConfig normalizer = normalizer(top.child(NORMALIZER));
        SinkConfig sink = sink(top.child(SINK));
        top.finish();
        if (!problems.isEmpty()) {
            return null;
        }
        return new LabhooksConfig(kafka, topics, ingress, sources, normalizer, sink);
    }

    private static KafkaConfig kafka(ConfigNode n) {
        String bootstrap = n.get(KAFKA_BOOTSTRAP_SERVERS);
        Map<String, String> props = n.get(KAFKA_PROPERTIES);
        n.finish();
        return new KafkaConfig(bootstrap, props);
    }

    private static TopicsConfig topics(ConfigNode n) {
        int partitions = n.get(TOPICS_PARTITIONS);
        int rf = n.get(TOPICS_REPLICATION_FACTOR);
        n.finish();
        return new TopicsConfig(partitions, (short) rf);
    }

    private static IngressConfig ingress(ConfigNode n) {
        String host = n.get(INGRESS_HOST);
        int port = n.get(INGRESS_PORT);
        IngressConfig.AckMode ack = n.get(INGRESS_ACK);
        Duration ackTimeout = n.get(INGRESS_ACK_TIMEOUT);
        ConfigNode spoolNode = n.child(INGRESS_SPOOL);
        SpoolConfig spool = new SpoolConfig(spoolNode.get(INGRESS_SPOOL_DIR), spoolNode.get(INGRESS_SPOOL_MAX_BYTES));
        spoolNode.finish();
        int maxInFlight = n.get(INGRESS_MAX_IN_FLIGHT);
        Duration readTimeout = n.get(INGRESS_READ_TIMEOUT);
        Duration idleTimeout = n.get(INGRESS_IDLE_TIMEOUT);
        Duration shutdownTimeout = n.get(INGRESS_SHUTDOWN_TIMEOUT);
        int ioThreads = n.get(INGRESS_IO_THREADS);
        Optional<TlsConfig> tls = n.has(INGRESS_TLS) ? tls(n.child(INGRESS_TLS)) : Optional.empty();
        n.finish();
        return built(n, () -> new IngressConfig(host, port, ack, ackTimeout, spool, maxInFlight,
                readTimeout, idleTimeout, shutdownTimeout, ioThreads, tls));
    }

    private static Optional<TlsConfig> tls(ConfigNode n) {
        int port = n.get(TLS_PORT);
        Path cert = n.get(TLS_CERTIFICATE);
        Path key = n.get(TLS_PRIVATE_KEY);
        Path keystore = n.get(TLS_KEYSTORE);
        Secret password = n.get(TLS_KEYSTORE_PASSWORD);
        n.finish();
        n.check(TLS_PEM_OR_PKCS12);
        return Optional.ofNullable(built(n, () -> new TlsConfig(port, cert, key, keystore, password)));
    }

    private static SourceConfig source(ConfigNode n) {
        String id = n.get(SOURCE_ID_KEY);
        Vendor vendor = n.get(SOURCE_VENDOR);
        ZoneId zone = n.get(SOURCE_TIMEZONE);
        long maxBody = n.get(SOURCE_MAX_BODY_BYTES);
        AuthConfig auth = n.has(SOURCE_AUTH) ? auth(n.child(SOURCE_AUTH)) : null;
        Optional<RateLimit> rate = Optional.empty();
        if (n.has(SOURCE_RATE_LIMIT)) {
            ConfigNode r = n.child(SOURCE_RATE_LIMIT);
            Double rps = r.get(RATE_LIMIT_RPS);
            Integer burst = r.get(RATE_LIMIT_BURST);
            r.finish();
            if (rps != null) {
                rate = Optional.of(new RateLimit(rps, burst != null ? burst : Math.max(1, (int) Math.ceil(rps))));
            }
        }
        Pointers pointers = Pointers.DEFAULTS;
        if (n.has(SOURCE_POINTERS)) {
            ConfigNode p = n.child(SOURCE_POINTERS);
            pointers = new Pointers(p.get(POINTER_EVENT_TYPE), p.get(POINTER_ENTITY_TYPE), p.get(POINTER_ENTITY_ID), p.get(POINTER_VERSION));
            p.finish();
        }
        n.check(AUTH_REQUIRED, POINTERS_FOR_COREONE_AND_GENERIC);
        n.finish();
        if (id == null || vendor == null || auth == null) {
            return null;
        }
        Optional<RateLimit> rl = rate;
        Pointers ptr = pointers;
        return built(n, () -> new SourceConfig(id, vendor, zone, maxBody, auth, rl, ptr));
    }

    private static AuthConfig auth(ConfigNode n) {
        AuthType type = n.get(AUTH_TYPE);
        String header = n.get(AUTH_HEADER);
        AuthConfig.Encoding enc = n.get(AUTH_ENCODING);
        String prefix = n.get(AUTH_PREFIX);
        List<Secret> secrets = n.get(AUTH_SECRETS);
        List<Secret> tokens = n.get(AUTH_TOKENS);
        List<AuthConfig.BasicUser> users = n.objects(AUTH_USERS, u -> {
            String name = u.get(USER_NAME);
            Secret pw = u.get(USER_PASSWORD);
            u.finish();
            return name == null || pw == null ? null : new AuthConfig.BasicUser(name, pw);
        });
        n.check(AUTH_KEYS_MATCH_TYPE);
        n.finish();
        if (type == null) {
            return null;
        }
        return built(n, () -> new AuthConfig(type, header, enc, prefix, secrets, tokens, users));
    }

    private static NormalizerConfig normalizer(ConfigNode n) {
        String appId = n.get(NORMALIZER_APPLICATION_ID);
        Path stateDir = n.get(NORMALIZER_STATE_DIR);
        Duration retention = n.get(NORMALIZER_DEDUPE_RETENTION);
        int standbys = n.get(NORMALIZER_STANDBY_REPLICAS);
        Map<String, String> props = n.get(NORMALIZER_PROPERTIES);
        n.finish();
        return built(n, () -> new NormalizerConfig(appId, stateDir, retention, standbys, props));
    }

    private static SinkConfig sink(ConfigNode n) {
        String url = n.get(SINK_JDBC_URL);
        String user = n.get(SINK_USERNAME);
        Secret password = n.get(SINK_PASSWORD);
        String groupId = n.get(SINK_GROUP_ID);
        int batch = n.get(SINK_BATCH_SIZE);
        Duration poll = n.get(SINK_POLL_TIMEOUT);
        n.finish();
        return built(n, () -> new SinkConfig(url, user, password, groupId, batch, poll));
    }

    /**
     * Builds a record unless a problem was already found under {@code n}: its values may then be defaults
     * standing in for rejected ones. The records check no config rule (those are in {@link ConfigKeys}),
     * so a clean node always builds.
     */
    private static <T> T built(ConfigNode n, Supplier<T> build) {
        return n.clean() ? build.get() : null;
    }
}
