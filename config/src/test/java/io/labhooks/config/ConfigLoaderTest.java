package io.labhooks.config;

import static io.labhooks.config.ConfigFixtures.ONE_SOURCE;
import static io.labhooks.config.ConfigFixtures.failure;
import static io.labhooks.config.ConfigFixtures.onlyProblem;
import static io.labhooks.config.ConfigFixtures.parse;
import static io.labhooks.config.ConfigFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DESIGN.md example, defaults, and ${ENV} substitution. */
class ConfigLoaderTest {
    private static final Map<String, String> EXAMPLE_ENV = Map.of(
            "COREONE_SECRET", "coreone-hmac-key-7Q",
            "CONFIDENT_TOKEN", "confident-path-token-3X",
            "FLABS_TOKEN", "flabs-bearer-9Z",
            "LML_TOKEN", "lml-bearer-4K");

    static Path designExample() {
        try {
            return Path.of(ConfigLoaderTest.class.getResource("/config/design-example.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the DESIGN.md example ----

    @Test
    void designExampleParsesWithTheExpectedValues() {
        LabhooksConfig c = ConfigLoader.load(designExample(), EXAMPLE_ENV);

        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.kafka().properties()).isEmpty();
        assertThat(c.topics()).isEqualTo(new TopicsConfig(6, (short) 1));

        IngressConfig in = c.ingress();
        assertThat(in.port()).isEqualTo(8080);
        assertThat(in.ack()).isEqualTo(IngressConfig.AckMode.KAFKA);
        assertThat(in.ackTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(in.spool()).isEqualTo(new SpoolConfig(Path.of("./data/spool"), 1L << 30));

        assertThat(c.sources()).extracting(SourceConfig::id).containsExactly("coreone", "confident", "flabs", "lml");
        assertThat(c.sources()).extracting(SourceConfig::vendor)
                .containsExactly(Vendor.COREONE, Vendor.CONFIDENT, Vendor.FLABS, Vendor.LML);
        assertThat(c.sources()).extracting(s -> s.auth().type())
                .containsExactly(AuthType.HMAC_SHA256, AuthType.PATH_TOKEN, AuthType.BEARER, AuthType.BEARER);

        AuthConfig coreone = c.source("coreone").orElseThrow().auth();
        assertThat(coreone.header()).isEqualTo("X-Coreone-Webhook-Hash");
        assertThat(coreone.encoding()).isEqualTo(AuthConfig.Encoding.HEX);
        assertThat(coreone.secrets()).extracting(Secret::reveal).containsExactly("coreone-hmac-key-7Q");
        assertThat(c.source("confident").orElseThrow().auth().tokens()).extracting(Secret::reveal)
                .containsExactly("confident-path-token-3X");
        assertThat(c.source("flabs").orElseThrow().auth().tokens()).extracting(Secret::reveal).containsExactly("flabs-bearer-9Z");
        assertThat(c.source("lml").orElseThrow().auth().tokens()).extracting(Secret::reveal).containsExactly("lml-bearer-4K");
        assertThat(c.source("confident").orElseThrow().timezone()).isEqualTo(ZoneId.of("UTC"));

        assertThat(c.normalizer().applicationId()).isEqualTo("labhooks-normalizer");
        assertThat(c.normalizer().stateDir()).isEqualTo(Path.of("./data/streams"));
        assertThat(c.normalizer().dedupeRetention()).isEqualTo(Duration.ofDays(14));

        assertThat(c.sink().jdbcUrl()).isEqualTo("jdbc:sqlite:./data/warehouse.db");
        assertThat(c.sink().batchSize()).isEqualTo(1000);
    }

    @Test
    void designExampleGetsTheDocumentedDefaultsForWhatItLeavesOut() {
        LabhooksConfig c = ConfigLoader.load(designExample(), EXAMPLE_ENV);

        IngressConfig in = c.ingress();
        assertThat(in.host()).isEqualTo("0.0.0.0");
        assertThat(in.maxInFlight()).isEqualTo(512);
        assertThat(in.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(in.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(in.shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(in.ioThreads()).isZero();
        assertThat(in.tls()).isEmpty();

        for (SourceConfig s : c.sources()) {
            assertThat(s.maxBodyBytes()).as(s.id()).isEqualTo(1L << 20);
            assertThat(s.timezone()).as(s.id()).isEqualTo(ZoneId.of("UTC"));
            assertThat(s.rateLimit()).as(s.id()).isEmpty();
            assertThat(s.pointers()).as(s.id()).isEqualTo(Pointers.DEFAULTS);
        }
        assertThat(c.source("coreone").orElseThrow().auth().prefix()).isEmpty();
        assertThat(c.largestBodyLimit()).isEqualTo(1L << 20);

        assertThat(c.normalizer().standbyReplicas()).isZero();
        assertThat(c.normalizer().properties()).isEmpty();
        assertThat(c.sink().username()).isNull();
        assertThat(c.sink().password()).isNull();
        assertThat(c.sink().groupId()).isEqualTo("labhooks-sink");
        assertThat(c.sink().pollTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void designExampleTakesKafkaBootstrapServersFromTheEnvironmentWhenSet() {
        Map<String, String> env = new java.util.HashMap<>(EXAMPLE_ENV);
        env.put("KAFKA_BOOTSTRAP_SERVERS", "broker-1:9092,broker-2:9093");

        LabhooksConfig c = ConfigLoader.load(designExample(), env);

        assertThat(c.kafka().bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9093");
    }

    @Test
    void designExampleWithoutItsSecretsReportsEveryMissingVariable() {
        ConfigException e = catchConfigException(() -> ConfigLoader.load(designExample(), Map.of()));

        assertThat(e.problems()).as("one problem per unset variable, no follow-on 'must be a non-empty string'").containsExactly(
                "sources[0].auth.secrets[0]: environment variable COREONE_SECRET is not set (use ${COREONE_SECRET:-default} for a default)",
                "sources[1].auth.tokens[0]: environment variable CONFIDENT_TOKEN is not set (use ${CONFIDENT_TOKEN:-default} for a default)",
                "sources[2].auth.tokens[0]: environment variable FLABS_TOKEN is not set (use ${FLABS_TOKEN:-default} for a default)",
                "sources[3].auth.tokens[0]: environment variable LML_TOKEN is not set (use ${LML_TOKEN:-default} for a default)");
        assertThat(e.getMessage()).startsWith(designExample().toString() + ": ");
    }

    @Test
    void minimalConfigGetsDefaultsForEverySection() {
        LabhooksConfig c = parse(ONE_SOURCE);

        assertThat(c.kafka()).isEqualTo(new KafkaConfig("localhost:9092", Map.of()));
        assertThat(c.topics()).isEqualTo(new TopicsConfig(6, (short) 1));
        assertThat(c.ingress().port()).isEqualTo(8080);
        assertThat(c.ingress().ack()).isEqualTo(IngressConfig.AckMode.KAFKA);
        assertThat(c.ingress().ackTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.ingress().spool()).isEqualTo(new SpoolConfig(Path.of("data", "spool"), 1L << 30));
        assertThat(c.normalizer().applicationId()).isEqualTo("labhooks-normalizer");
        assertThat(c.normalizer().stateDir()).isEqualTo(Path.of("data", "streams"));
        assertThat(c.normalizer().dedupeRetention()).isEqualTo(Duration.ofDays(14));
        assertThat(c.sink().jdbcUrl()).isEqualTo("jdbc:sqlite:data/warehouse.db");
        assertThat(c.sink().batchSize()).isEqualTo(1000);
    }

    @Test
    void fullConfigWithEveryOptionalKeyParses(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path cert = java.nio.file.Files.writeString(dir.resolve("tls.crt"), "cert");
        Path key = java.nio.file.Files.writeString(dir.resolve("tls.key"), "key");
        String yaml = """
                kafka: {bootstrap-servers: "[::1]:9092, kafka-0.kafka:9093", properties: {security.protocol: SASL_SSL, linger.ms: 5}}
                topics: {partitions: 12, replication-factor: 3}
                ingress:
                  host: 127.0.0.1
                  port: 0
                  ack: SPOOL
                  ack-timeout: 9999ms
                  max-in-flight: 64
                  read-timeout: 10s
                  idle-timeout: 2m
                  shutdown-timeout: 1h
                  io-threads: 4
                  spool: {dir: /var/spool/labhooks, max-bytes: 512MiB}
                  tls: {port: 8443, certificate: %s, private-key: %s}
                sources:
                  - id: generic_1
                    vendor: GENERIC
                    timezone: America/Denver
                    max-body-bytes: 64MiB
                    auth: {type: hmac-sha256, header: X-Sig, encoding: base64, prefix: "sha256=", secrets: [old-key, new-key]}
                    rate-limit: {requests-per-second: 2.5, burst: 10}
                    pointers: {event-type: /type, entity-type: /kind, entity-id: /data/id, version: /data/rev}
                  - id: basic-src
                    vendor: lml
                    auth: {type: basic, users: [{username: lml, password: pw-one}]}
                    rate-limit: {requests-per-second: 2.5}
                  - {id: open, vendor: confident, auth: {type: none}}
                normalizer: {application-id: lh.norm_1, standby-replicas: 1, properties: {commit.interval.ms: 100}}
                sink: {jdbc-url: "jdbc:postgresql://db:5432/wh", username: lh, password: pg-pw, group-id: g1, batch-size: 100000, poll-timeout: 1s}
                """.formatted(cert, key);

        LabhooksConfig c = parse(yaml);

        assertThat(c.kafka().properties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("linger.ms", "5");
        assertThat(c.topics()).isEqualTo(new TopicsConfig(12, (short) 3));
        assertThat(c.ingress().ack()).isEqualTo(IngressConfig.AckMode.SPOOL);
        assertThat(c.ingress().ackTimeout()).isEqualTo(Duration.ofMillis(9999));
        assertThat(c.ingress().readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.ingress().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.ingress().shutdownTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(c.ingress().spool().maxBytes()).isEqualTo(512L << 20);
        assertThat(c.ingress().tls()).hasValueSatisfying(t -> {
            assertThat(t.isPem()).isTrue();
            assertThat(t.certificate()).isEqualTo(cert);
            assertThat(t.privateKey()).isEqualTo(key);
            assertThat(t.port()).isEqualTo(8443);
        });

        SourceConfig g = c.source("generic_1").orElseThrow();
        assertThat(g.vendor()).isEqualTo(Vendor.GENERIC);
        assertThat(g.timezone()).isEqualTo(ZoneId.of("America/Denver"));
        assertThat(g.maxBodyBytes()).isEqualTo(64L << 20);
        assertThat(g.auth().encoding()).isEqualTo(AuthConfig.Encoding.BASE64);
        assertThat(g.auth().prefix()).isEqualTo("sha256=");
        assertThat(g.auth().secrets()).extracting(Secret::reveal).containsExactly("old-key", "new-key");
        assertThat(g.rateLimit()).contains(new RateLimit(2.5, 10));
        assertThat(g.pointers()).isEqualTo(new Pointers("/type", "/kind", "/data/id", "/data/rev"));
        assertThat(c.source("basic-src").orElseThrow().auth().users())
                .singleElement().satisfies(u -> {
                    assertThat(u.username()).isEqualTo("lml");
                    assertThat(u.password().reveal()).isEqualTo("pw-one");
                });
        assertThat(c.source("basic-src").orElseThrow().rateLimit()).as("burst defaults to ceil(rps)").contains(new RateLimit(2.5, 3));
        assertThat(c.source("open").orElseThrow().auth()).isEqualTo(AuthConfig.none());
        assertThat(c.largestBodyLimit()).isEqualTo(64L << 20);

        assertThat(c.normalizer().applicationId()).isEqualTo("lh.norm_1");
        assertThat(c.normalizer().standbyReplicas()).isEqualTo(1);
        assertThat(c.normalizer().properties()).containsEntry("commit.interval.ms", "100");
        assertThat(c.sink().username()).isEqualTo("lh");
        assertThat(c.sink().password().reveal()).isEqualTo("pg-pw");
        assertThat(c.sink().groupId()).isEqualTo("g1");
        assertThat(c.sink().batchSize()).isEqualTo(100_000);
        assertThat(c.sink().pollTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    // ---- ${ENV} substitution ----

    @Test
    void variableIsTakenFromTheSuppliedMap() {
        LabhooksConfig c = parse(ONE_SOURCE + "kafka: {bootstrap-servers: \"${BOOT}\"}\n", Map.of("BOOT", "kafka:29092"));

        assertThat(c.kafka().bootstrapServers()).isEqualTo("kafka:29092");
    }

    @Test
    void severalReferencesInOneValueAreAllSubstituted() {
        LabhooksConfig c = parse(ONE_SOURCE + "sink: {jdbc-url: \"jdbc:postgresql://${PG_HOST}:${PG_PORT:-5432}/${PG_DB}?ssl=true\"}\n",
                Map.of("PG_HOST", "db.internal", "PG_DB", "warehouse"));

        assertThat(c.sink().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/warehouse?ssl=true");
    }

    @Test
    void defaultIsUsedWhenTheVariableIsNotSet() {
        LabhooksConfig c = parse(ONE_SOURCE + "kafka: {bootstrap-servers: \"${BOOT:-localhost:19092}\"}\n", Map.of());

        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:19092");
    }

    @Test
    void variableWinsOverItsDefault() {
        LabhooksConfig c = parse(ONE_SOURCE + "kafka: {bootstrap-servers: \"${BOOT:-localhost:19092}\"}\n", Map.of("BOOT", "k:1"));

        assertThat(c.kafka().bootstrapServers()).isEqualTo("k:1");
    }

    @Test
    void emptyVariableFallsBackToTheDefaultLikeTheShell() {
        LabhooksConfig c = parse(ONE_SOURCE + "kafka: {bootstrap-servers: \"${BOOT:-localhost:19092}\"}\n", Map.of("BOOT", ""));

        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:19092");
    }

    @Test
    void emptyDefaultGivesAnEmptyValue() {
        LabhooksConfig c = parse(ONE_SOURCE + "sink: {password: \"${PG_PASSWORD:-}\"}\n", Map.of());

        assertThat(c.sink().password()).as("an empty password means none").isNull();
    }

    @Test
    void substitutedStringIsParsedByTheFieldsOwnRules() {
        LabhooksConfig c = parse(ONE_SOURCE + "ingress: {port: \"${PORT}\", ack-timeout: \"${ACK:-3s}\"}\n", Map.of("PORT", "9090"));

        assertThat(c.ingress().port()).isEqualTo(9090);
        assertThat(c.ingress().ackTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void missingVariableWithoutDefaultNamesTheKeyPathAndTheVariable() {
        String problem = onlyProblem(ONE_SOURCE + "sink: {jdbc-url: \"${WAREHOUSE_URL}\"}\n",
                "sink.jdbc-url", "environment variable WAREHOUSE_URL is not set");

        assertThat(problem).contains("${WAREHOUSE_URL:-default}");
    }

    @Test
    void missingVariableNextToAPresentSecretDoesNotLeakTheSecret() {
        ConfigException e = failure(source("{id: a, vendor: flabs, auth: {type: bearer, tokens: [\"${TOKEN_PART_1}${TOKEN_PART_2}\"]}}"),
                Map.of("TOKEN_PART_1", "tok-first-half-QQ"));

        assertThat(e.problems()).containsExactly(
                "sources[0].auth.tokens[0]: environment variable TOKEN_PART_2 is not set (use ${TOKEN_PART_2:-default} for a default)");
        assertThat(e.getMessage()).doesNotContain("tok-first-half-QQ").doesNotContain("TOKEN_PART_1");
    }

    @Test
    void everyMissingVariableIsReported() {
        ConfigException e = failure(ONE_SOURCE + "kafka: {bootstrap-servers: \"${BOOT}\"}\nsink: {jdbc-url: \"${URL}\", password: \"${PW}\"}\n");

        assertThat(e.problems()).extracting(ConfigFixtures::pathOf)
                .contains("kafka.bootstrap-servers", "sink.jdbc-url", "sink.password");
        assertThat(e.getMessage()).contains("BOOT", "URL", "PW");
    }

    @Test
    void theRealEnvironmentIsNeverConsulted() {
        assertThat(System.getenv("PATH")).as("precondition: PATH is set in the real environment").isNotNull();

        onlyProblem(ONE_SOURCE + "normalizer: {application-id: \"${PATH}\"}\n",
                "normalizer.application-id", "environment variable PATH is not set");
    }

    @Test
    void substitutedValuesAreNotReparsedAsYaml() {
        String tricky = "p: q # {not: a map} [nor, a list] &anchor *alias ${NOT_A_REF} \\n 'quoted' \"dq\" $1 \\\\";
        LabhooksConfig c = parse(source("{id: a, vendor: flabs, auth: {type: bearer, tokens: [\"${TOKEN}\"]}}"),
                Map.of("TOKEN", tricky, "NOT_A_REF", "expanded"));

        assertThat(c.sources().get(0).auth().tokens()).extracting(Secret::reveal).containsExactly(tricky);
    }

    @Test
    void substitutedValueCannotTurnIntoAListOrMapping() {
        ConfigException e = failure("sources: ${SOURCES}\n", Map.of("SOURCES", "[{id: a, vendor: flabs, auth: {type: none}}]"));

        assertThat(e.problems()).containsExactly("sources: must be a list");
    }

    @Test
    void keysAreNotSubstituted() {
        ConfigException e = failure(ONE_SOURCE + "ingress: {\"${KEY}\": 8080}\n", Map.of("KEY", "port"));

        assertThat(e.problems()).singleElement().asString().startsWith("ingress.${KEY}: unknown key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"${TOKEN:default}", "${TOKEN", "abc${", "${1TOKEN}", "${TO-KEN}", "${}", "${TOKEN:-${OTHER}}"})
    void malformedReferenceIsAnErrorInsteadOfALiteralValue(String value) {
        ConfigException e = failure(source("{id: a, vendor: flabs, auth: {type: bearer, tokens: [\"" + value + "\"]}}"),
                Map.of("TOKEN", "tok-value-RR", "OTHER", "x"));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("sources[0].auth.tokens[0]: ")
                .containsAnyOf("malformed ${...} reference", "nested ${...} references");
        assertThat(e.getMessage()).doesNotContain("tok-value-RR");
    }

    @Test
    void dollarSignWithoutBraceIsLiteral() {
        LabhooksConfig c = parse(source("{id: a, vendor: flabs, auth: {type: bearer, tokens: [\"$TOKEN and $ and {x}\"]}}"),
                Map.of("TOKEN", "no"));

        assertThat(c.sources().get(0).auth().tokens().get(0).reveal()).isEqualTo("$TOKEN and $ and {x}");
    }

    private static ConfigException catchConfigException(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, call);
        assertThat(e).isNotNull();
        return e;
    }
}
