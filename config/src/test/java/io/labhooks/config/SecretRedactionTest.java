package io.labhooks.config;

import static io.labhooks.config.ConfigFixtures.ONE_SOURCE;
import static io.labhooks.config.ConfigFixtures.failure;
import static io.labhooks.config.ConfigFixtures.parse;
import static io.labhooks.config.ConfigFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Secrets never show in toString or in a ConfigException, whatever went wrong. */
class SecretRedactionTest {
    // Distinctive values, so that "does not contain" cannot pass by accident.
    private static final String HMAC_OLD = "hmac-old-Kx81";
    private static final String HMAC_NEW = "hmac-new-Lq92";
    private static final String BEARER = "bearer-Tok-Mz73";
    private static final String PATH_TOKEN = "path-Tok-Nw64";
    private static final String BASIC_PW = "basic-Pw-Pv55";
    private static final String KEYSTORE_PW = "keystore-Pw-Qu46";
    private static final String SINK_PW = "sink-Pw-Rt37";
    private static final String URL_PW = "url-Pw-Ss28";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"lh\" password=\"jaas-Pw-Tr19\";";
    private static final String TRUSTSTORE_PW = "truststore-Pw-Uq10";
    private static final String STREAMS_PW = "streams-Pw-Vp01";
    private static final List<String> ALL_SECRETS = List.of(HMAC_OLD, HMAC_NEW, BEARER, PATH_TOKEN, BASIC_PW, KEYSTORE_PW,
            SINK_PW, URL_PW, "jaas-Pw-Tr19", TRUSTSTORE_PW, STREAMS_PW);
    private static final Map<String, String> ENV = Map.ofEntries(
            Map.entry("HMAC_OLD", HMAC_OLD), Map.entry("HMAC_NEW", HMAC_NEW), Map.entry("BEARER", BEARER),
            Map.entry("PATH_TOKEN", PATH_TOKEN), Map.entry("BASIC_PW", BASIC_PW), Map.entry("KEYSTORE_PW", KEYSTORE_PW),
            Map.entry("SINK_PW", SINK_PW), Map.entry("URL_PW", URL_PW), Map.entry("JAAS", JAAS),
            Map.entry("TRUSTSTORE_PW", TRUSTSTORE_PW), Map.entry("STREAMS_PW", STREAMS_PW));

    @TempDir
    Path dir;

    private LabhooksConfig configWithEverySecret() throws IOException {
        Path keystore = Files.writeString(dir.resolve("ks.p12"), "not really a keystore");
        String yaml = """
                kafka:
                  bootstrap-servers: k:9092
                  properties:
                    security.protocol: SASL_SSL
                    sasl.jaas.config: "${JAAS}"
                    ssl.truststore.password: "${TRUSTSTORE_PW}"
                ingress:
                  tls: {keystore: %s, keystore-password: "${KEYSTORE_PW}"}
                sources:
                  - {id: hmac, vendor: coreone, auth: {type: hmac-sha256, header: X-Sig, secrets: ["${HMAC_OLD}", "${HMAC_NEW}"]}}
                  - {id: bearer, vendor: flabs, auth: {type: bearer, tokens: ["${BEARER}"]}}
                  - {id: path, vendor: confident, auth: {type: path-token, tokens: ["${PATH_TOKEN}"]}}
                  - {id: basic, vendor: lml, auth: {type: basic, users: [{username: lml-user, password: "${BASIC_PW}"}]}}
                normalizer: {properties: {ssl.key.password: "${STREAMS_PW}"}}
                sink:
                  jdbc-url: "jdbc:postgresql://db:5432/wh?user=lh&password=${URL_PW}&ssl=true"
                  username: lh
                  password: "${SINK_PW}"
                """.formatted(keystore);
        return parse(yaml, ENV);
    }

    private static void assertNoSecretIn(String text) {
        for (String secret : ALL_SECRETS) {
            assertThat(text).as("must not contain %s", secret).doesNotContain(secret);
        }
    }

    // ---- Secret ----

    @Test
    void secretToStringIsFourStars() {
        Secret s = Secret.of("hunter2");

        assertThat(s).hasToString("****");
        assertThat(String.valueOf(s)).isEqualTo("****");
        assertThat(List.of(s, Secret.of("other")).toString()).isEqualTo("[****, ****]");
    }

    @Test
    void secretRevealsItsValueAndUtf8Bytes() {
        Secret s = Secret.of("pässwörd");

        assertThat(s.reveal()).isEqualTo("pässwörd");
        assertThat(s.bytes()).isEqualTo("pässwörd".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void secretMatchesEqualBytes() {
        assertThat(Secret.of("tok-123").matches("tok-123".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Secret.of("pässwörd").matches("pässwörd".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tok-124", "tok-12", "tok-1234", "TOK-123", "", " tok-123"})
    void secretDoesNotMatchDifferentBytes(String presented) {
        assertThat(Secret.of("tok-123").matches(presented.getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void secretDoesNotMatchNull() {
        assertThat(Secret.of("tok-123").matches(null)).isFalse();
    }

    @Test
    void secretsAreEqualByValueAndHashAlike() {
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b")).isNotEqualTo("a");
        assertThat(Secret.of("a").hashCode()).isEqualTo(Secret.of("b").hashCode());
    }

    @Test
    void emptyOrNullSecretIsRejected() {
        assertThatThrownBy(() -> Secret.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- toString of the records ----

    @Test
    void authConfigToStringHidesSecretsTokensAndPasswords() throws IOException {
        LabhooksConfig c = configWithEverySecret();

        for (SourceConfig s : c.sources()) {
            String text = s.auth().toString();
            assertNoSecretIn(text);
            assertThat(text).contains(s.auth().type().name());
        }
        assertThat(c.source("hmac").orElseThrow().auth().toString()).contains("secrets=[****, ****]", "header=X-Sig");
        assertThat(c.source("basic").orElseThrow().auth().toString()).contains("username=lml-user", "password=****");
    }

    @Test
    void sourceConfigToStringHidesCredentials() throws IOException {
        for (SourceConfig s : configWithEverySecret().sources()) {
            assertNoSecretIn(s.toString());
            assertThat(s.toString()).contains("id=" + s.id());
        }
    }

    @Test
    void wholeConfigToStringHidesEverySecret() throws IOException {
        LabhooksConfig c = configWithEverySecret();
        String text = c.toString();

        assertNoSecretIn(text);
        assertThat(text).contains("sasl.jaas.config=****", "ssl.truststore.password=****", "ssl.key.password=****",
                "keystorePassword=****", "password=****", "security.protocol=SASL_SSL", "jdbc:postgresql://db:5432/wh");
        // the values are still there for the code that needs them
        assertThat(c.kafka().properties()).containsEntry("sasl.jaas.config", JAAS);
        assertThat(c.ingress().tls().orElseThrow().keystorePassword().reveal()).isEqualTo(KEYSTORE_PW);
        assertThat(c.sink().password().reveal()).isEqualTo(SINK_PW);
    }

    @Test
    void kafkaAndNormalizerToStringRedactSensitivePropertyKeys() {
        KafkaConfig k = new KafkaConfig("k:9092", Map.of("sasl.jaas.config", "jaas-Pw-Tr19", "ssl.keystore.key", STREAMS_PW,
                "sasl.oauthbearer.token.endpoint.url", "https://idp/token", "ssl.truststore.password", TRUSTSTORE_PW, "linger.ms", "5"));
        NormalizerConfig n = new NormalizerConfig("app", Path.of("s"), Duration.ofDays(1), 0, Map.of("ssl.key.password", SINK_PW));

        assertNoSecretIn(k.toString());
        assertNoSecretIn(n.toString());
        assertThat(k.toString()).contains("linger.ms=5");
    }

    // ---- ConfigException never contains a secret ----

    @Test
    void unknownKeyNextToSecretsDoesNotLeakThem() {
        ConfigException e = failure(source("{id: a, vendor: coreone, auth: {type: hmac-sha256, header: X-Sig, "
                + "secrets: [\"${HMAC_OLD}\"], secret: [\"${HMAC_NEW}\"], tokens: [\"${BEARER}\"]}}"), ENV);

        assertThat(e.problems()).containsExactly(
                "sources[0].auth.tokens: is not used by auth type hmac-sha256",
                "sources[0].auth.secret: unknown key (did you mean 'secrets'?)");
        assertNoSecretIn(e.getMessage());
    }

    @Test
    void problemsInsideSecretFieldsDoNotLeakTheValues() {
        String yaml = """
                kafka: {properties: {sasl.jaas.config: ["${JAAS}"]}}
                ingress: {tls: {keystore-password: "${KEYSTORE_PW}"}}
                sources:
                  - {id: a, vendor: flabs, auth: {type: bearer, tokens: [{t: "${BEARER}"}]}}
                  - {id: b, vendor: lml, auth: {type: basic, users: [{username: u, password: ["${BASIC_PW}"]}]}}
                  - {id: c, vendor: coreone, auth: {type: hmac-sha256, secrets: ["${HMAC_OLD}", ""]}}
                sink: {password: {value: "${SINK_PW}"}, jdbc-url: "jdbc:mysql://db?password=${URL_PW}"}
                """;

        ConfigException e = failure(yaml, ENV);

        assertThat(e.problems()).extracting(ConfigFixtures::pathOf).containsExactlyInAnyOrder(
                "kafka.properties.sasl.jaas.config", "ingress.tls", "sources[0].auth.tokens[0]",
                "sources[1].auth.users[0].password", "sources[2].auth.header", "sources[2].auth.secrets[1]",
                "sink.password", "sink.jdbc-url");
        assertNoSecretIn(e.getMessage());
    }

    @Test
    void missingVariableInTheSameValueAsASecretDoesNotLeakIt() {
        ConfigException e = failure(ONE_SOURCE + "sink: {jdbc-url: \"jdbc:postgresql://db/wh?password=${URL_PW}&user=${PG_USER}\"}\n", ENV);

        assertThat(e.problems()).singleElement().asString().contains("PG_USER");
        assertNoSecretIn(e.getMessage());
    }

    @Test
    void malformedReferenceNextToASecretDoesNotLeakIt() {
        ConfigException e = failure(source("{id: a, vendor: flabs, auth: {type: bearer, tokens: [\"" + BEARER + "${SUFFIX\"]}}"), ENV);

        assertThat(e.problems()).singleElement().asString().startsWith("sources[0].auth.tokens[0]: has a malformed");
        assertNoSecretIn(e.getMessage());
    }

    @Test
    void yamlSyntaxErrorDoesNotQuoteTheLineHoldingAnInlineSecret() {
        String yaml = "sources:\n  - {id: a, vendor: flabs, auth: {type: bearer, tokens: [" + BEARER + ": oops: x]}}\n";

        ConfigException e = failure(yaml);

        assertThat(e.problems()).singleElement().asString().startsWith("not valid YAML at line 2");
        assertNoSecretIn(e.getMessage());
        assertThat(e.getMessage()).as("no quoted source line, not even a truncated one").doesNotContain("bearer-", "tokens: [");
    }

    @Test
    void yamlSyntaxErrorOnTheLineAfterAnInlineSecretDoesNotQuoteIt() {
        String yaml = "sources:\n  - id: a\n    auth: {type: bearer, tokens: [\"" + BEARER + "\"]\n  bad: [\n";

        ConfigException e = failure(yaml);

        assertThat(e.problems()).singleElement().asString().startsWith("not valid YAML at line 3");
        assertNoSecretIn(e.getMessage());
        assertThat(e.getMessage()).as("no quoted source line, not even a truncated one").doesNotContain("bearer-", "tokens: [");
    }

    @Test
    void duplicateKeyErrorDoesNotQuoteTheSecret() {
        ConfigException e = failure(source("{id: a, vendor: flabs, auth: {type: bearer, tokens: [" + BEARER + "], tokens: [" + PATH_TOKEN + "]}}"));

        assertThat(e.problems()).singleElement().asString().contains("Duplicate field 'tokens'");
        assertNoSecretIn(e.getMessage());
    }

    // ---- the sink URL ----

    @Test
    void redactedUrlMasksThePasswordParameter() {
        SinkConfig s = new SinkConfig("jdbc:postgresql://db:5432/wh?user=lh&password=" + URL_PW + "&ssl=true", "lh", null, "g", 1,
                Duration.ofSeconds(1));

        assertThat(s.redactedUrl()).isEqualTo("jdbc:postgresql://db:5432/wh?user=lh&password=****&ssl=true");
        assertNoSecretIn(s.toString());
        assertThat(s.jdbcUrl()).contains(URL_PW);
    }

    @Test
    void redactedUrlMasksEveryPasswordLikeParameterCaseInsensitively() {
        SinkConfig s = new SinkConfig("jdbc:postgresql://db/wh;PASSWORD=" + URL_PW + ";sslpassword=" + KEYSTORE_PW, null, null, "g", 1,
                Duration.ofSeconds(1));

        assertThat(s.redactedUrl()).isEqualTo("jdbc:postgresql://db/wh;PASSWORD=****;sslpassword=****");
    }

    @Test
    void redactedUrlLeavesAUrlWithoutPasswordAlone() {
        SinkConfig s = new SinkConfig("jdbc:sqlite:./data/warehouse.db", null, null, "g", 1, Duration.ofSeconds(1));

        assertThat(s.redactedUrl()).isEqualTo("jdbc:sqlite:./data/warehouse.db");
    }
}
