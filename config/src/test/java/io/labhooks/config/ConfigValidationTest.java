package io.labhooks.config;

import static io.labhooks.config.ConfigFixtures.ONE_SOURCE;
import static io.labhooks.config.ConfigFixtures.failure;
import static io.labhooks.config.ConfigFixtures.onlyProblem;
import static io.labhooks.config.ConfigFixtures.parse;
import static io.labhooks.config.ConfigFixtures.pathOf;
import static io.labhooks.config.ConfigFixtures.problems;
import static io.labhooks.config.ConfigFixtures.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per validation rule of {@link ConfigLoader} and {@link ConfigNode}; each checks the key path. */
class ConfigValidationTest {

    @Nested
    class UnknownKeys {
        @Test
        void unknownTopLevelKeyIsAnErrorWithASuggestion() {
            onlyProblem(ONE_SOURCE + "kafak: {bootstrap-servers: 'k:9092'}\n", "kafak", "unknown key (did you mean 'kafka'?)");
        }

        @Test
        void unknownKeyInANestedMappingNamesItsFullPath() {
            onlyProblem(ONE_SOURCE + "ingress: {spool: {dir: /tmp/s, max-byte: 1GiB}}\n",
                    "ingress.spool.max-byte", "unknown key (did you mean 'max-bytes'?)");
        }

        @Test
        void unknownKeyInAListItemNamesItsIndexedPath() {
            List<String> problems = problems("""
                    sources:
                      - {id: a, vendor: flabs, auth: {type: bearer, tokens: [t1]}}
                      - {id: b, vendor: lml, auth: {type: bearer, tokenz: [t2]}}
                    """);

            assertThat(problems).containsExactlyInAnyOrder(
                    "sources[1].auth.tokenz: unknown key (did you mean 'tokens'?)",
                    "sources[1].auth.tokens: needs at least one token for bearer");
        }

        @Test
        void unknownKeyInASourceIsReportedAtTheSourceLevel() {
            onlyProblem(source("{id: a, vendor: flabs, time-zone: UTC, auth: {type: none}}"),
                    "sources[0].time-zone", "unknown key (did you mean 'timezone'?)");
        }

        @Test
        void unknownKeyWithNoCloseMatchListsTheKnownKeys() {
            onlyProblem(ONE_SOURCE + "topics: {colour: blue}\n", "topics.colour", "unknown key (known keys: partitions, replication-factor)");
        }

        @Test
        void keysAreCaseSensitive() {
            onlyProblem(ONE_SOURCE + "ingress: {Port: 8080}\n", "ingress.Port", "unknown key (did you mean 'port'?)");
        }
    }

    @Nested
    class Yaml {
        @Test
        void invalidYamlIsReportedWithLineAndColumn() {
            List<String> problems = problems("sources:\n  - {id: a, vendor: flabs\nsink: [\n");

            assertThat(problems).singleElement().asString().matches("not valid YAML at line \\d+, column \\d+: .+");
        }

        @Test
        void duplicateKeyIsAnErrorNotLastOneWins() {
            List<String> problems = problems(ONE_SOURCE + "sink: {batch-size: 10}\nsink: {batch-size: 20}\n");

            assertThat(problems).singleElement().asString().startsWith("not valid YAML at line").contains("Duplicate field 'sink'");
        }

        @Test
        void duplicateKeyInsideAListItemIsAnError() {
            List<String> problems = problems(source("{id: a, vendor: flabs, auth: {type: none}, auth: {type: bearer, tokens: [t]}}"));

            assertThat(problems).singleElement().asString().contains("Duplicate field 'auth'");
        }

        @Test
        void secondYamlDocumentIsAnErrorNotIgnored() {
            List<String> problems = problems(ONE_SOURCE + "---\nsink: {batch-size: 10}\n");

            assertThat(problems).containsExactly("holds more than one YAML document (---); put the whole config in one");
        }

        @Test
        void topLevelThatIsNotAMappingIsOneProblem() {
            assertThat(problems("- just\n- a list\n")).containsExactly("(top level): must be a mapping of keys to values");
        }
    }

    @Nested
    class Types {
        @Test
        void listWhereAScalarIsExpected() {
            onlyProblem(ONE_SOURCE + "ingress: {port: [8080, 8081]}\n", "ingress.port", "must be a single value, not a list");
        }

        @Test
        void mappingWhereAScalarIsExpected() {
            onlyProblem(ONE_SOURCE + "sink: {jdbc-url: {url: 'jdbc:sqlite:x'}}\n", "sink.jdbc-url", "must be a single value, not a mapping");
        }

        @Test
        void scalarWhereAMappingIsExpectedIsOneProblemWithoutFollowOns() {
            onlyProblem(ONE_SOURCE + "ingress: {tls: true}\n", "ingress.tls", "must be a mapping of keys to values");
        }

        @Test
        void scalarWhereAListIsExpected() {
            onlyProblem("sources: flabs\n", "sources", "must be a list");
        }

        @Test
        void listItemThatIsNotAMapping() {
            onlyProblem("sources: [flabs]\n", "sources[0]", "must be a mapping of keys to values");
        }

        @Test
        void textWhereAWholeNumberIsExpected() {
            onlyProblem(ONE_SOURCE + "topics: {partitions: six}\n", "topics.partitions", "must be a whole number, was 'six'");
        }

        @Test
        void fractionWhereAWholeNumberIsExpected() {
            onlyProblem(ONE_SOURCE + "sink: {batch-size: 10.5}\n", "sink.batch-size", "must be a whole number");
        }

        @Test
        void textWhereANumberIsExpected() {
            onlyProblem(source("{id: a, vendor: flabs, auth: {type: none}, rate-limit: {requests-per-second: fast}}"),
                    "sources[0].rate-limit.requests-per-second", "must be a number, was 'fast'");
        }

        @Test
        void propertiesThatAreNotAMapping() {
            onlyProblem(ONE_SOURCE + "kafka: {properties: [a, b]}\n", "kafka.properties", "must be a mapping of names to values");
        }

        @Test
        void propertyWithANestedValue() {
            onlyProblem(ONE_SOURCE + "kafka: {properties: {linger.ms: [5]}}\n", "kafka.properties.linger.ms", "must be a single value");
        }

        @Test
        void propertyWithoutAValue() {
            onlyProblem(ONE_SOURCE + "kafka:\n  properties:\n    ssl.truststore.type:\n", "kafka.properties.ssl.truststore.type", "must be a single value");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0123", "1e3", "yes", "~", "0x1F", "12345"})
        void secretThatYamlReadsAsANonStringMustBeQuoted(String unquoted) {
            onlyProblem(source("{id: a, vendor: flabs, auth: {type: bearer, tokens: [" + unquoted + "]}}"),
                    "sources[0].auth.tokens[0]", "must be a string; quote it");
        }

        @Test
        void singleSecretThatYamlReadsAsANumberMustBeQuoted() {
            onlyProblem(ONE_SOURCE + "sink: {password: 0123}\n", "sink.password", "must be a string; quote it");
        }

        @Test
        void quotedNumericSecretIsKeptVerbatim() {
            LabhooksConfig c = parse(source("{id: a, vendor: flabs, auth: {type: bearer, tokens: [\"0123\"]}}"));

            assertThat(c.sources().get(0).auth().tokens().get(0).reveal()).isEqualTo("0123");
        }
    }

    @Nested
    class Values {
        @Test
        void integerOutOfRange() {
            onlyProblem(ONE_SOURCE + "ingress: {port: 70000}\n", "ingress.port", "must be between 0 and 65535, was 70000");
        }

        @Test
        void integerBelowRange() {
            onlyProblem(ONE_SOURCE + "topics: {replication-factor: 0}\n", "topics.replication-factor", "must be between 1 and 32, was 0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2", "2 seconds", "2S", "-1s", "1.5s", "PT2S", "two"})
        void badDuration(String value) {
            onlyProblem(ONE_SOURCE + "ingress: {idle-timeout: '" + value + "'}\n",
                    "ingress.idle-timeout", "must be a duration like 500ms, 2s, 5m, 1h or 14d, was '" + value + "'");
        }

        @Test
        void zeroDuration() {
            onlyProblem(ONE_SOURCE + "ingress: {shutdown-timeout: 0s}\n", "ingress.shutdown-timeout", "must be above zero");
        }

        @ParameterizedTest
        @ValueSource(strings = {"99999999999999999999s", "999999999999999d"})
        void durationTooLargeIsAProblemNotACrash(String value) {
            onlyProblem(ONE_SOURCE + "normalizer: {dedupe-retention: " + value + "}\n", "normalizer.dedupe-retention", "is too large");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1TiB", "lots", "1.5GiB", "-1", "1 GiB extra"})
        void badSize(String value) {
            onlyProblem(ONE_SOURCE + "ingress: {spool: {max-bytes: '" + value + "'}}\n",
                    "ingress.spool.max-bytes", "must be a size like 65536, 512KiB, 1MiB or 1GiB");
        }

        @Test
        void sizeBelowItsMinimum() {
            onlyProblem(ONE_SOURCE + "ingress: {spool: {max-bytes: 512KiB}}\n", "ingress.spool.max-bytes", "must be between 1048576 and");
        }

        @Test
        void sizeThatOverflows() {
            onlyProblem(ONE_SOURCE + "ingress: {spool: {max-bytes: 99999999999999GiB}}\n", "ingress.spool.max-bytes", "is too large");
        }

        @Test
        void sizeUnitsArePowersOf1024AndCaseInsensitive() {
            LabhooksConfig c = parse(source("{id: a, vendor: flabs, max-body-bytes: 512kb, auth: {type: none}}")
                    + "ingress: {spool: {max-bytes: 2g}}\n");

            assertThat(c.sources().get(0).maxBodyBytes()).isEqualTo(512L * 1024);
            assertThat(c.ingress().spool().maxBytes()).isEqualTo(2L << 30);
        }
    }

    @Nested
    class Kafka {
        @ParameterizedTest
        @ValueSource(strings = {"localhost", "localhost:", ":9092", "host:0", "host:99999", "a:1,,b:2", "a:1,", "host name:9092", "http://k:9092", ""})
        void badBootstrapServers(String value) {
            onlyProblem("kafka: {bootstrap-servers: '" + value + "'}\n" + ONE_SOURCE,
                    "kafka.bootstrap-servers", "must be a comma-separated list of host:port");
        }

        @Test
        void goodBootstrapServersIncludingIpv6AndSpaces() {
            LabhooksConfig c = parse("kafka: {bootstrap-servers: 'kafka-0.kafka.svc:9092, 10.0.0.7:9093,[::1]:9094'}\n" + ONE_SOURCE);

            assertThat(c.kafka().bootstrapServers()).isEqualTo("kafka-0.kafka.svc:9092, 10.0.0.7:9093,[::1]:9094");
        }

        @Test
        void bootstrapServersInsidePropertiesIsAnError() {
            onlyProblem("kafka: {properties: {bootstrap.servers: 'k:9092'}}\n" + ONE_SOURCE,
                    "kafka.properties", "set bootstrap.servers with kafka.bootstrap-servers");
        }
    }

    @Nested
    class Ingress {
        @Test
        void ackMustBeKafkaOrSpool() {
            onlyProblem(ONE_SOURCE + "ingress: {ack: disk}\n", "ingress.ack", "must be one of [kafka, spool], was 'disk'");
        }

        @Test
        void ackTimeoutOfTenSecondsOrMoreIsAnError() {
            onlyProblem(ONE_SOURCE + "ingress: {ack-timeout: 10s}\n", "ingress.ack-timeout", "must be under 10s");
        }

        @Test
        void ackTimeoutJustUnderTenSecondsIsAccepted() {
            assertThat(parse(ONE_SOURCE + "ingress: {ack-timeout: 9999ms}\n").ingress().ackTimeout()).hasMillis(9999);
        }

        @Test
        void readTimeoutOverTenSecondsIsAnError() {
            onlyProblem(ONE_SOURCE + "ingress: {read-timeout: 10001ms}\n", "ingress.read-timeout", "must be at most 10s");
        }

        @Test
        void readTimeoutOfExactlyTenSecondsIsAccepted() {
            assertThat(parse(ONE_SOURCE + "ingress: {read-timeout: 10s}\n").ingress().readTimeout()).hasSeconds(10);
        }

        @Test
        void maxInFlightBelowOne() {
            onlyProblem(ONE_SOURCE + "ingress: {max-in-flight: 0}\n", "ingress.max-in-flight", "must be between 1 and 100000");
        }
    }

    @Nested
    class Tls {
        @TempDir
        Path dir;

        private Path file(String name) throws IOException {
            return Files.writeString(dir.resolve(name), name);
        }

        private String tls(String mapping) {
            return ONE_SOURCE + "ingress: {tls: " + mapping + "}\n";
        }

        @Test
        void bothPemAndKeystoreIsAnError() throws IOException {
            onlyProblem(tls("{certificate: %s, private-key: %s, keystore: %s}".formatted(file("c.pem"), file("k.pem"), file("ks.p12"))),
                    "ingress.tls", "set either certificate and private-key (PEM) or keystore (PKCS12), not both");
        }

        @Test
        void neitherPemNorKeystoreIsAnError() {
            onlyProblem(tls("{port: 8443}"), "ingress.tls", "needs certificate and private-key (PEM) or keystore (PKCS12)");
        }

        @Test
        void unreadableFileIsAnError() {
            Path missing = dir.resolve("no-such.p12");
            onlyProblem(tls("{keystore: " + missing + ", keystore-password: pw}"), "ingress.tls.keystore", "cannot read file " + missing);
        }

        @Test
        void everyUnreadablePemFileIsReported() {
            List<String> problems = problems(tls("{certificate: %s, private-key: %s}".formatted(dir.resolve("c"), dir.resolve("k"))));

            assertThat(problems).extracting(ConfigFixtures::pathOf).containsExactly("ingress.tls.certificate", "ingress.tls.private-key");
        }

        @Test
        void certificateWithoutPrivateKeyIsAnError() throws IOException {
            onlyProblem(tls("{certificate: " + file("c.pem") + "}"), "ingress.tls.private-key", "is required with PEM");
        }

        @Test
        void privateKeyWithoutCertificateIsAnError() throws IOException {
            onlyProblem(tls("{private-key: " + file("k.pem") + "}"), "ingress.tls.certificate", "is required with PEM");
        }

        @Test
        void readableKeystoreIsAccepted() throws IOException {
            Path ks = file("ks.p12");
            TlsConfig t = parse(tls("{port: 9443, keystore: " + ks + ", keystore-password: \"changeit\"}")).ingress().tls().orElseThrow();

            assertThat(t.isPem()).isFalse();
            assertThat(t.requireKeystore()).isEqualTo(ks);
            assertThat(t.keystorePassword().reveal()).isEqualTo("changeit");
            assertThat(t.port()).isEqualTo(9443);
        }
    }

    @Nested
    class Sources {
        @Test
        void missingSourcesIsAnError() {
            onlyProblem("kafka: {bootstrap-servers: 'k:9092'}\n", "sources", "is required: list at least one source");
        }

        @Test
        void emptySourcesListIsAnError() {
            onlyProblem("sources: []\n", "sources", "is required: list at least one source");
        }

        @Test
        void nullSourcesIsAnError() {
            onlyProblem("sources:\n", "sources", "is required: list at least one source");
        }

        @Test
        void sourceIdMissing() {
            onlyProblem(source("{vendor: flabs, auth: {type: none}}"), "sources[0].id", "is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Flabs", "-flabs", "_flabs", "fl abs", "flabs!", "fläbs",
                "a234567890123456789012345678901234567890123456789012345678901234"})
        void sourceIdWithAnInvalidPattern(String id) {
            onlyProblem(source("{id: '" + id + "', vendor: flabs, auth: {type: none}}"),
                    "sources[0].id", "must be lower-case letters, digits, '-' or '_' (at most 63), was '" + id + "'");
        }

        @Test
        void sourceIdOf63CharactersIsAccepted() {
            String id = "a".repeat(63);
            assertThat(parse(source("{id: " + id + ", vendor: flabs, auth: {type: none}}")).source(id)).isPresent();
        }

        @Test
        void duplicatedSourceIdNamesTheLaterSource() {
            List<String> problems = problems("""
                    sources:
                      - {id: lab, vendor: flabs, auth: {type: none}}
                      - {id: other, vendor: lml, auth: {type: none}}
                      - {id: lab, vendor: confident, auth: {type: none}}
                    """);

            assertThat(problems).containsExactly("sources[2].id: 'lab' is already used by an earlier source");
        }

        @Test
        void vendorMissing() {
            onlyProblem(source("{id: a, auth: {type: none}}"), "sources[0].vendor", "is required; one of [confident, coreone, lml, flabs, generic]");
        }

        @Test
        void vendorUnknown() {
            onlyProblem(source("{id: a, vendor: labcorp, auth: {type: none}}"), "sources[0].vendor",
                    "must be one of [confident, coreone, lml, flabs, generic], was 'labcorp'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Mars/Olympus", "EST5", "utc+25", ""})
        void badTimezone(String tz) {
            onlyProblem(source("{id: a, vendor: confident, timezone: '" + tz + "', auth: {type: none}}"),
                    "sources[0].timezone", "is not a time zone id");
        }

        @Test
        void maxBodyBytesOver64MiB() {
            onlyProblem(source("{id: a, vendor: flabs, max-body-bytes: 65MiB, auth: {type: none}}"),
                    "sources[0].max-body-bytes", "must be between 1 and 67108864 bytes, was 65MiB");
        }

        @Test
        void maxBodyBytesOfZero() {
            onlyProblem(source("{id: a, vendor: flabs, max-body-bytes: 0, auth: {type: none}}"),
                    "sources[0].max-body-bytes", "must be between 1 and 67108864 bytes");
        }

        @Test
        void authMissing() {
            onlyProblem(source("{id: a, vendor: flabs}"), "sources[0].auth", "is required (use {type: none}");
        }

        @Test
        void authThatIsNotAMapping() {
            onlyProblem(source("{id: a, vendor: flabs, auth: bearer}"), "sources[0].auth", "must be a mapping of keys to values");
        }
    }

    @Nested
    class Auth {
        private String auth(String mapping) {
            return source("{id: a, vendor: coreone, auth: " + mapping + "}");
        }

        @Test
        void authTypeMissing() {
            onlyProblem(auth("{tokens: [t]}"), "sources[0].auth.type", "is required; one of [hmac-sha256, bearer, basic, path-token, none]");
        }

        @Test
        void authTypeUnknown() {
            onlyProblem(auth("{type: oauth2}"), "sources[0].auth.type",
                    "must be one of [hmac-sha256, bearer, basic, path-token, none], was 'oauth2'");
        }

        @Test
        void hmacWithoutHeader() {
            onlyProblem(auth("{type: hmac-sha256, secrets: [k]}"), "sources[0].auth.header", "is required for hmac-sha256");
        }

        @Test
        void hmacWithoutSecrets() {
            onlyProblem(auth("{type: hmac-sha256, header: X-Sig}"), "sources[0].auth.secrets", "needs at least one secret for hmac-sha256");
        }

        @Test
        void hmacWithAnEmptySecretsList() {
            onlyProblem(auth("{type: hmac-sha256, header: X-Sig, secrets: []}"), "sources[0].auth.secrets", "needs at least one secret");
        }

        @Test
        void hmacEncodingMustBeHexOrBase64() {
            onlyProblem(auth("{type: hmac-sha256, header: X-Sig, encoding: base32, secrets: [k]}"),
                    "sources[0].auth.encoding", "must be one of [hex, base64], was 'base32'");
        }

        @Test
        void bearerWithoutTokens() {
            onlyProblem(auth("{type: bearer}"), "sources[0].auth.tokens", "needs at least one token for bearer");
        }

        @Test
        void pathTokenWithoutTokens() {
            onlyProblem(auth("{type: path-token, tokens: []}"), "sources[0].auth.tokens", "needs at least one token for path-token");
        }

        @Test
        void basicWithoutUsers() {
            onlyProblem(auth("{type: basic}"), "sources[0].auth.users", "needs at least one {username, password} for basic");
        }

        @Test
        void basicUserWithoutPassword() {
            onlyProblem(auth("{type: basic, users: [{username: u1, password: p1}, {username: u2}]}"),
                    "sources[0].auth.users[1].password", "is required");
        }

        @Test
        void basicUserWithAnEmptyPassword() {
            onlyProblem(auth("{type: basic, users: [{username: u1, password: ''}]}"), "sources[0].auth.users[0].password", "is required");
        }

        @Test
        void basicUserWithoutUsername() {
            onlyProblem(auth("{type: basic, users: [{password: p1}]}"), "sources[0].auth.users[0].username", "is required");
        }

        @Test
        void basicUserWithAnUnknownKey() {
            onlyProblem(auth("{type: basic, users: [{username: u, password: p, pasword: q}]}"),
                    "sources[0].auth.users[0].pasword", "unknown key (did you mean 'password'?)");
        }

        @Test
        void tokensAreNotUsedByHmac() {
            onlyProblem(auth("{type: hmac-sha256, header: X-Sig, secrets: [k], tokens: [t]}"),
                    "sources[0].auth.tokens", "is not used by auth type hmac-sha256");
        }

        @Test
        void secretsAreNotUsedByBearer() {
            onlyProblem(auth("{type: bearer, tokens: [t], secrets: [k]}"), "sources[0].auth.secrets", "is not used by auth type bearer");
        }

        @Test
        void usersAreNotUsedByPathToken() {
            onlyProblem(auth("{type: path-token, tokens: [t], users: [{username: u, password: p}]}"),
                    "sources[0].auth.users", "is not used by auth type path-token");
        }

        @Test
        void everyHmacOnlyKeyIsReportedForNone() {
            List<String> problems = problems(auth("{type: none, header: X-Sig, encoding: hex, prefix: 'sha256=', secrets: [k]}"));

            assertThat(problems).containsExactly(
                    "sources[0].auth.header: is not used by auth type none",
                    "sources[0].auth.encoding: is not used by auth type none",
                    "sources[0].auth.prefix: is not used by auth type none",
                    "sources[0].auth.secrets: is not used by auth type none");
        }

        @Test
        void emptySecretInAList() {
            onlyProblem(auth("{type: hmac-sha256, header: X-Sig, secrets: [k1, '']}"), "sources[0].auth.secrets[1]", "must be a non-empty string");
        }

        @Test
        void emptyTokenFromTheEnvironment() {
            ConfigException e = failure(auth("{type: bearer, tokens: [\"${TOKEN}\"]}"), Map.of("TOKEN", ""));

            assertThat(e.problems()).containsExactly("sources[0].auth.tokens[0]: must be a non-empty string");
        }

        @Test
        void secretListItemThatIsAMapping() {
            onlyProblem(auth("{type: bearer, tokens: [{value: t}]}"), "sources[0].auth.tokens[0]", "must be a string");
        }

        @Test
        void secretsThatAreNotAList() {
            onlyProblem(auth("{type: hmac-sha256, header: X-Sig, secrets: k}"), "sources[0].auth.secrets", "must be a list");
        }
    }

    @Nested
    class RateLimits {
        private String rateLimit(String mapping) {
            return source("{id: a, vendor: flabs, auth: {type: none}, rate-limit: " + mapping + "}");
        }

        @Test
        void rateLimitWithoutRequestsPerSecond() {
            onlyProblem(rateLimit("{burst: 5}"), "sources[0].rate-limit.requests-per-second", "is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "-0.5", "NaN", "Infinity", "-Infinity"})
        void nonPositiveOrNonFiniteRequestsPerSecond(String rps) {
            onlyProblem(rateLimit("{requests-per-second: " + rps + "}"), "sources[0].rate-limit.requests-per-second", "must be a number above 0.0");
        }

        @Test
        void burstBelowOne() {
            onlyProblem(rateLimit("{requests-per-second: 5, burst: 0}"), "sources[0].rate-limit.burst", "must be between 1 and 1000000");
        }
    }

    @Nested
    class JsonPointers {
        @ParameterizedTest
        @CsvSource({"event-type, type", "entity-type, kind", "entity-id, data/id", "version, '#/rev'"})
        void pointerNotStartingWithSlash(String key, String pointer) {
            onlyProblem(source("{id: a, vendor: coreone, auth: {type: none}, pointers: {" + key + ": '" + pointer + "'}}"),
                    "sources[0].pointers." + key, "must be a JSON Pointer starting with '/', was '" + pointer + "'");
        }

        @Test
        void badPointerOnGenericIsReportedOnceNotAlsoAsMissing() {
            onlyProblem(source("{id: a, vendor: generic, auth: {type: none}, pointers: {event-type: type, entity-id: /id}}"),
                    "sources[0].pointers.event-type", "must be a JSON Pointer starting with '/'");
        }

        @Test
        void genericVendorWithoutPointers() {
            onlyProblem(source("{id: a, vendor: generic, auth: {type: none}}"),
                    "sources[0].pointers", "vendor generic needs pointers.event-type and pointers.entity-id");
        }

        @Test
        void genericVendorWithoutEntityIdPointer() {
            onlyProblem(source("{id: a, vendor: generic, auth: {type: none}, pointers: {event-type: /type}}"),
                    "sources[0].pointers", "vendor generic needs pointers.event-type and pointers.entity-id");
        }

        @Test
        void genericVendorWithoutEventTypePointer() {
            onlyProblem(source("{id: a, vendor: generic, auth: {type: none}, pointers: {entity-id: /id}}"),
                    "sources[0].pointers", "vendor generic needs pointers.event-type and pointers.entity-id");
        }

        @Test
        void genericVendorWithAnEmptyPointerIsTreatedAsMissing() {
            onlyProblem(source("{id: a, vendor: generic, auth: {type: none}, pointers: {event-type: '', entity-id: /id}}"),
                    "sources[0].pointers", "vendor generic needs pointers.event-type and pointers.entity-id");
        }

        @Test
        void pointersOnAVendorThatIgnoresThem() {
            onlyProblem(source("{id: a, vendor: flabs, auth: {type: none}, pointers: {entity-id: /id}}"),
                    "sources[0].pointers", "is only used by vendors coreone and generic, not flabs");
        }

        @Test
        void pointersOnCoreOneAreAccepted() {
            Pointers p = parse(source("{id: a, vendor: coreone, auth: {type: none}, pointers: {entity-id: /data/id, version: /data/updated}}"))
                    .sources().get(0).pointers();

            assertThat(p).isEqualTo(new Pointers(null, null, "/data/id", "/data/updated"));
        }

        @Test
        void unknownPointerKey() {
            onlyProblem(source("{id: a, vendor: coreone, auth: {type: none}, pointers: {entityid: /id}}"),
                    "sources[0].pointers.entityid", "unknown key (did you mean 'entity-id'?)");
        }
    }

    @Nested
    class Normalizer {
        @ParameterizedTest
        @ValueSource(strings = {"labhooks normalizer", "labhooks/normalizer", "lh:1", "ünï", ""})
        void applicationIdWithBadCharacters(String id) {
            onlyProblem(ONE_SOURCE + "normalizer: {application-id: '" + id + "'}\n",
                    "normalizer.application-id", "may hold only letters, digits, '.', '_' and '-', was '" + id + "'");
        }

        @ParameterizedTest
        @CsvSource({"application.id, normalizer.application-id", "state.dir, normalizer.state-dir",
                "num.standby.replicas, normalizer.standby-replicas", "bootstrap.servers, kafka.bootstrap-servers"})
        void propertyThatHasItsOwnKey(String property, String ownKey) {
            onlyProblem(ONE_SOURCE + "normalizer: {properties: {" + property + ": x}}\n",
                    "normalizer.properties", "set " + property + " with " + ownKey + ", not in properties");
        }

        @Test
        void standbyReplicasOutOfRange() {
            onlyProblem(ONE_SOURCE + "normalizer: {standby-replicas: 11}\n", "normalizer.standby-replicas", "must be between 0 and 10");
        }
    }

    @Nested
    class Sink {
        @ParameterizedTest
        @ValueSource(strings = {"jdbc:mysql://db/wh", "postgresql://db/wh", "jdbc:sqlserver://db", "sqlite:wh.db"})
        void jdbcUrlNotPostgresqlOrSqlite(String url) {
            onlyProblem(ONE_SOURCE + "sink: {jdbc-url: '" + url + "'}\n", "sink.jdbc-url", "must be a jdbc:postgresql: or jdbc:sqlite: URL");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -5, 100_001})
        void batchSizeOutOfRange(int size) {
            onlyProblem(ONE_SOURCE + "sink: {batch-size: " + size + "}\n", "sink.batch-size", "must be between 1 and 100000, was " + size);
        }
    }

    @Nested
    class ConfigFiles {
        @TempDir
        Path dir;

        @Test
        void missingFile() {
            Path f = dir.resolve("absent.yaml");
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(f, Map.of()));

            assertThat(e.problems()).containsExactly("no such file");
            assertThat(e.getMessage()).startsWith(f + ": 1 problem");
        }

        @Test
        void emptyFileHasNoSources() throws IOException {
            Path f = Files.writeString(dir.resolve("empty.yaml"), "");
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(f, Map.of()));

            assertThat(e.problems()).containsExactly("sources: is required: list at least one source");
        }

        @Test
        void fileWithOnlyCommentsHasNoSources() throws IOException {
            Path f = Files.writeString(dir.resolve("comments.yaml"), "# nothing here yet\n");
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(f, Map.of()));

            assertThat(e.problems()).containsExactly("sources: is required: list at least one source");
        }

        @Test
        void fileOverOneMiBIsRefused() throws IOException {
            Path f = Files.writeString(dir.resolve("big.yaml"), ONE_SOURCE + ("#" + "x".repeat(1023) + "\n").repeat(1025));
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(f, Map.of()));

            assertThat(e.problems()).containsExactly("the file is larger than 1 MiB");
        }

        @Test
        void directoryInsteadOfAFile() {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));

            assertThat(e.problems()).singleElement().asString().startsWith("cannot read: ");
        }

        @Test
        void validFileLoads() throws IOException {
            Path f = Files.writeString(dir.resolve("ok.yaml"), ONE_SOURCE);

            assertThat(ConfigLoader.load(f, Map.of()).sources()).extracting(SourceConfig::id).containsExactly("flabs");
        }
    }

    @Nested
    class AllAtOnce {
        @Test
        void severalProblemsInDifferentSectionsAreReportedTogether() {
            String yaml = """
                    kafka: {bootstrap-servers: localhost}
                    topics: {partitions: 0}
                    ingress: {ack: maybe, ack-timeout: 30s, spool: {max-bytes: huge}}
                    sources:
                      - {id: Flabs, vendor: flabs, auth: {type: bearer, tokens: ["${FLABS_TOKEN}"]}}
                      - {id: lml, vendor: lml, timezone: Nowhere/Land, auth: {type: bearer, tokenz: [t]}}
                      - {id: lml, vendor: acme, auth: {type: hmac-sha256, secrets: [k]}}
                    normalizer: {application-id: "labhooks normalizer", dedupe-retention: 2weeks}
                    sink: {jdbc-url: "jdbc:mysql://db/wh", batch-size: 0, colour: red}
                    """;

            ConfigException e = failure(yaml);

            assertThat(e.problems()).extracting(ConfigFixtures::pathOf).containsExactlyInAnyOrder(
                    "sources[0].auth.tokens[0]",        // unset variable
                    "kafka.bootstrap-servers",
                    "topics.partitions",
                    "ingress.ack",
                    "ingress.ack-timeout",
                    "ingress.spool.max-bytes",
                    "sources[0].id",
                    "sources[1].timezone",
                    "sources[1].auth.tokens",
                    "sources[1].auth.tokenz",
                    "sources[2].id",
                    "sources[2].vendor",
                    "sources[2].auth.header",
                    "normalizer.application-id",
                    "normalizer.dedupe-retention",
                    "sink.jdbc-url",
                    "sink.batch-size",
                    "sink.colour");
            assertThat(e.getMessage()).startsWith("test.yaml: 18 problems");
            for (String problem : e.problems()) {
                assertThat(e.getMessage()).contains(System.lineSeparator() + "  - " + problem);
            }
        }
    }
}
