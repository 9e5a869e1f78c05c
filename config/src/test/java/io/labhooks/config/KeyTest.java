package io.labhooks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading through a declaration: its checks run, and it can only be read at the path it declares. */
class KeyTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aKeyReadAtAnotherPathThanItsDeclarationIsAProgrammingError() {
        ConfigNode ingress = new ConfigNode(mapper.createObjectNode(), "ingress", new ArrayList<>());

        assertThatThrownBy(() -> ingress.get(ConfigKeys.TLS_PORT)).isInstanceOf(IllegalStateException.class)
                .hasMessage("key ingress.tls.port read at ingress.port");
    }

    @Test
    void listItemsMatchTheirDeclarationWithAnyIndex() {
        ConfigNode auth = new ConfigNode(mapper.createObjectNode().put("type", "none"), "sources[3].auth", new ArrayList<>());

        assertThat(auth.get(ConfigKeys.AUTH_TYPE)).isEqualTo(AuthType.NONE);
    }

    @Test
    void aFailedCheckIsReportedAtTheKeyPathAndTheDefaultStands() {
        List<String> problems = new ArrayList<>();
        ObjectNode yaml = mapper.createObjectNode().put("ack-timeout", "10s");
        ConfigNode ingress = new ConfigNode(yaml, "ingress", problems);

        assertThat(ingress.get(ConfigKeys.INGRESS_ACK_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
        assertThat(problems).containsExactly("ingress.ack-timeout: must be under 10s: senders such as Flabs give up on a response after 10 s");
    }

    @Test
    void defaultsAreWrittenInConfigSyntaxAndParsedByTheSameParsers() {
        assertThat(ConfigKeys.NORMALIZER_DEDUPE_RETENTION.defaultValue()).isEqualTo(Duration.ofDays(14));
        assertThat(ConfigKeys.NORMALIZER_DEDUPE_RETENTION.defaultText()).isEqualTo("14d");
        assertThat(ConfigKeys.INGRESS_SPOOL_MAX_BYTES.defaultValue()).isEqualTo(1L << 30);
        assertThat(ConfigKeys.INGRESS_SPOOL_MAX_BYTES.defaultText()).isEqualTo("1GiB");
    }

    @Test
    void aSecretKeyTakesNoCheckThatCouldQuoteIt() {
        assertThatThrownBy(() -> Key.secret("sink.password", "The database password.").check(v -> false, v -> "was " + v))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theSupportedJdbcUrlsAreOneList() {
        assertThat(JdbcDatabase.of("jdbc:postgresql://h/db")).contains(JdbcDatabase.POSTGRESQL);
        assertThat(JdbcDatabase.of("jdbc:sqlite:x.db")).contains(JdbcDatabase.SQLITE);
        assertThat(JdbcDatabase.of("jdbc:mysql://h/db")).isEmpty();
        assertThat(JdbcDatabase.REQUIREMENT).isEqualTo("must be a jdbc:postgresql: or jdbc:sqlite: URL");
    }
}
