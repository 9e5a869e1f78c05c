package io.labhooks.normalizer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.normalizer.adapter.Adapters;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The normalizer's half of the ingress bad-input battery (BadInputIngressTest): what the ingress accepts because
 * it only sniffs the first byte (deep nesting, duplicate keys, 1e999999, NaN, invalid UTF-8, NUL, random bytes
 * after a brace) becomes, through the real topology, an event or a DLQ record with a reason; nothing stops the
 * stream thread.
 */
class BadInputTopologyTest {
    static final String SOURCES = """
              - {id: confident, vendor: confident, auth: {type: none}}
              - {id: flabs, vendor: flabs, auth: {type: none}}
              - {id: lml, vendor: lml, auth: {type: none}}
              - {id: coreone, vendor: coreone, auth: {type: none}}
              - {id: acme, vendor: generic, auth: {type: none}, pointers: {event-type: /event, entity-type: /kind, entity-id: /sample/uid, version: /sample/modified}}
            """;
    static final List<String> SOURCE_IDS = List.of("confident", "flabs", "lml", "coreone", "acme");
    static final Map<String, String> COREONE = Map.of("X-Coreone-Webhook-Type", "client/update");

    TopologyFixture f;
    TopologyOutcomes out;

    @BeforeEach
    void start() throws Exception {
        TopologyOutcomes.Counting counts = new TopologyOutcomes.Counting();
        f = new TopologyFixture(SOURCES, new Adapters()::forSource, counts);
        out = new TopologyOutcomes(f, counts);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    TopologyOutcomes.Outcome send(String source, byte[] body, String what) {
        return out.send(source, body, source.equals("coreone") ? COREONE : Map.of(), source + ": " + what);
    }

    @Test
    void nestingBeyondTheParserLimitIsTooLargeInTheDlq() {
        Map<String, byte[]> inputs = new LinkedHashMap<>();
        inputs.put("arrays 100,000 deep", utf8("[".repeat(100_000) + "]".repeat(100_000)));
        inputs.put("objects 100,000 deep", utf8("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)));
        inputs.put("arrays 100,000 deep, never closed", utf8("[".repeat(100_000)));
        inputs.put("a deep value inside a real shape", utf8("{\"id\":\"x\",\"deep\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        for (String source : SOURCE_IDS) {
            inputs.forEach((what, body) -> {
                TopologyOutcomes.Outcome o = send(source, body, what);
                assertThat(o.dlqReason()).as("%s %s", source, what).isIn("too-large", "wrong-shape");
            });
        }
    }

    @Test
    void duplicateKeysAreRefusedAsAmbiguous() {
        // Parsers disagree on which duplicate wins; the signature covered bytes that another reader may read differently.
        Map<String, byte[]> inputs = Map.of(
                "confident", utf8("{\"id\":\"S-1\",\"id\":\"S-2\",\"last_modified\":\"2024-05-01T10:00:00Z\"}"),
                "flabs", utf8("{\"eventType\":\"bill.created\",\"eventType\":\"bill.deleted\",\"labID\":\"l\",\"billID\":\"b\",\"eventTime\":1705747800}"),
                "lml", utf8("{\"event\":\"order.shipped\",\"id\":\"1\",\"id\":\"2\"}"),
                "coreone", utf8("{\"id\":7,\"id\":8,\"updated_at\":\"2024-05-01T10:00:00Z\"}"),
                "acme", utf8("{\"event\":\"sample.resulted\",\"kind\":\"sample\",\"sample\":{\"uid\":\"a\",\"uid\":\"b\"}}"));
        inputs.forEach((source, body) -> {
            TopologyOutcomes.Outcome o = send(source, body, "duplicate keys");
            assertThat(o.dlqReason()).as(source).isEqualTo("not-json");
            assertThat(o.dlqMessage()).as(source).containsIgnoringCase("duplicate");
        });
        // deep inside arrays and objects too, and with a null or empty value either side
        Map<String, byte[]> nested = Map.of(
                "confident", utf8("{\"id\":\"S-1\",\"last_modified\":\"2024-05-01T10:00:00Z\",\"lab_data\":{\"categories\":"
                        + "{\"metals\":{\"compounds\":[{\"name\":\"lead\",\"value\":1},{\"value\":null,\"name\":\"x\",\"value\":2}]}}}}"),
                "flabs", utf8("{\"eventType\":\"bill.created\",\"labID\":\"l\",\"billID\":\"b\",\"eventTime\":1705747800,"
                        + "\"tests\":[[{\"a\":{},\"a\":{}}]]}"));
        nested.forEach((source, body) -> {
            TopologyOutcomes.Outcome o = send(source, body, "duplicate keys");
            assertThat(o.dlqReason()).as(source).isEqualTo("not-json");
            assertThat(o.dlqMessage()).as(source).containsIgnoringCase("duplicate");
        });
    }

    @Test
    void hugeAndNonFiniteNumbersBecomeAnEventOrAReason() {
        List<String> numbers = List.of("1e999999", "-1e999999", "1e-999999", "9".repeat(99), "9".repeat(5000), "NaN", "Infinity", "-0");
        int n = 0;
        for (String num : numbers) {
            Map<String, byte[]> inputs = Map.of(
                    "confident", utf8("{\"id\":\"S-" + n + "\",\"last_modified\":\"2024-05-01T10:00:00Z\",\"x\":" + num + "}"),
                    "flabs", utf8("{\"eventType\":\"bill.created\",\"labID\":\"l\",\"billID\":\"b" + n + "\",\"eventTime\":" + num + "}"),
                    "lml", utf8("{\"event\":\"order.shipped\",\"id\":" + num + "}"),
                    "coreone", utf8("{\"id\":" + num + ",\"updated_at\":" + num + "}"),
                    "acme", utf8("{\"event\":\"sample.resulted\",\"kind\":\"sample\",\"sample\":{\"uid\":\"a" + n + "\",\"modified\":" + num + "}}"));
            inputs.forEach((source, body) -> send(source, body, "number " + num));
            n++;
        }
    }

    @Test
    void invalidUtf8NulAndRandomBytesAfterABraceAreNotJsonInTheDlq() {
        List<byte[]> inputs = new java.util.ArrayList<>(List.of(
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', 0, '"', '}'},
                new byte[] {'{', '}', 0, 0, 0},
                new byte[] {'[', 0, ']'}));
        Random r = new Random(11);
        for (int i = 0; i < 100; i++) {
            byte[] b = new byte[1 + r.nextInt(3000)];
            r.nextBytes(b);
            b[0] = (byte) (i % 2 == 0 ? '{' : '[');
            inputs.add(b);
        }
        for (String source : SOURCE_IDS) {
            for (byte[] body : inputs) {
                TopologyOutcomes.Outcome o = send(source, body, "bytes");
                // ({}\0\0\0 parses as {} and then lacks the vendor's fields: another reason, still the DLQ)
                assertThat(o.rejected()).as("%s: %s", source, new String(body, StandardCharsets.ISO_8859_1)).isTrue();
            }
        }
    }
}
