package io.labhooks.normalizer.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.AuthConfig;
import io.labhooks.config.Pointers;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.testkit.EventSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/** Shared helpers of the vendor adapter tests: inputs, fixtures, result unwrapping, schema checks and the fuzzer. */
final class VendorAdapterTesting {
    static final Instant RECEIVED = Instant.parse("2024-05-01T12:00:00.123456Z");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private VendorAdapterTesting() {
    }

    static SourceConfig source(String id, Vendor vendor) {
        return SourceConfig.of(id, vendor, AuthConfig.none());
    }

    static SourceConfig source(String id, Vendor vendor, Pointers pointers) {
        return new SourceConfig(id, vendor, null, SourceConfig.DEFAULT_MAX_BODY_BYTES, AuthConfig.none(), Optional.empty(), pointers);
    }

    static SourceConfig smallSource(String id, Vendor vendor, long maxBodyBytes, Pointers pointers) {
        return new SourceConfig(id, vendor, null, maxBodyBytes, AuthConfig.none(), Optional.empty(), pointers);
    }

    static RawInput input(SourceConfig source, byte[] body) {
        return new RawInput(source, "delivery-1", RECEIVED, Map.of(), body);
    }

    static RawInput input(SourceConfig source, String deliveryId, Map<String, String> headers, byte[] body) {
        return new RawInput(source, deliveryId, RECEIVED, headers, body);
    }

    static byte[] fixture(String path) {
        try (InputStream in = VendorAdapterTesting.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean hasFixture(String path) {
        return VendorAdapterTesting.class.getResource("/fixtures/" + path) != null;
    }

    static String fixtureText(String path) {
        return new String(fixture(path), StandardCharsets.UTF_8);
    }

    static ObjectNode json(byte[] body) {
        try {
            return (ObjectNode) MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<CanonicalEvent> events(AdapterResult r) {
        if (r instanceof AdapterResult.Accepted a) {
            return a.events();
        }
        return fail("expected events, got " + r);
    }

    static CanonicalEvent single(AdapterResult r) {
        List<CanonicalEvent> events = events(r);
        assertThat(events).hasSize(1);
        return events.get(0);
    }

    static Rejection rejection(AdapterResult r) {
        if (r instanceof AdapterResult.Rejected rej) {
            return rej.rejection();
        }
        return fail("expected a rejection, got " + r);
    }

    /** Asserts the event serializes and validates against its family schema, and returns the family's name. */
    static String assertValid(EventSchemas schemas, CanonicalEvent e) {
        EventCodec codec = new EventCodec();
        ObjectNode json = codec.toJson(e);
        assertThat(schemas.validate(json)).as("schema problems of %s: %s", e, json).isEmpty();
        assertThat(codec.read(codec.write(e))).as("round trip").isEqualTo(e);
        return schemas.familyOf(e.vendor(), e.entityType());
    }

    // ---- fuzzing ----

    private static final String[] JUNK = {"{", "}", "[", "]", "\"", "\\", ",", ":", "null", "1e999", "-0", "\u0000",
            "NaN", "\"\\ud800\"", "//", "/*", "true", "\"a\":1", "0x10", "'", "\uFEFF", "\n\n"};

    /** Values that replace a node: wrong JSON types, edge numbers, odd strings, and the vendor's own names. */
    static List<JsonNode> replacements(List<String> interesting) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> out = new ArrayList<>(List.of(
                f.textNode(""), f.textNode(" "), f.textNode("x"), f.textNode("a".repeat(600)), f.textNode("2021-13-45T99:00:00Z"),
                f.textNode("2021-02-25T15:35:00.123-06:00"), f.textNode("2021-02-25"), f.textNode("+10000-01-01T00:00:00Z"),
                f.textNode("1705747800"), f.textNode("-5"), f.textNode("99999999999999999999"), f.textNode("a\nb\u0000c"),
                f.textNode("lab:1/2~3"), f.textNode("ünïcødé"), f.textNode("\ud800"),
                f.numberNode(0), f.numberNode(-1), f.numberNode(Long.MAX_VALUE), f.numberNode(Long.MIN_VALUE),
                f.numberNode(new BigInteger("1000000000000000000000000000000")), f.numberNode(1.5), f.numberNode(1705747800.0),
                f.numberNode(-1e300), f.numberNode(253_402_300_800L), f.numberNode(1705747800),
                f.booleanNode(true), f.booleanNode(false), f.nullNode(), f.arrayNode(), f.objectNode(),
                f.arrayNode().add(1).add("x"), f.objectNode().set("id", f.objectNode()), f.objectNode().put("id", 7)));
        interesting.forEach(s -> out.add(f.textNode(s)));
        return out;
    }

    /**
     * {@code count} seeded mutations of {@code fixture}: bit flips, truncation, inserted junk, nodes replaced with
     * values of the wrong type, fields removed or renamed, and a different root.
     */
    static List<byte[]> mutations(byte[] fixture, long seed, int count, List<String> interesting) {
        Random r = new Random(seed);
        List<JsonNode> values = replacements(interesting);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(mutate(fixture, r, values));
        }
        return out;
    }

    private static byte[] mutate(byte[] fixture, Random r, List<JsonNode> values) {
        switch (r.nextInt(9)) {
            case 0 -> {
                byte[] b = fixture.clone();
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 1 -> {
                return Arrays.copyOf(fixture, r.nextInt(fixture.length + 1));
            }
            case 2 -> {
                byte[] junk = r.nextInt(10) == 0 ? "[".repeat(70 + r.nextInt(10)).getBytes(StandardCharsets.UTF_8)
                        : r.nextInt(10) == 0 ? new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}
                        : JUNK[r.nextInt(JUNK.length)].getBytes(StandardCharsets.UTF_8);
                int at = r.nextInt(fixture.length + 1);
                byte[] b = new byte[fixture.length + junk.length];
                System.arraycopy(fixture, 0, b, 0, at);
                System.arraycopy(junk, 0, b, at, junk.length);
                System.arraycopy(fixture, at, b, at + junk.length, fixture.length - at);
                return b;
            }
            case 3 -> {
                String[] roots = {"[]", "\"str\"", "42", "null", "", "   ", "{}", "[{}]", "true"};
                return roots[r.nextInt(roots.length)].getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                JsonNode tree = json(fixture);
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    tree = mutateTree(tree, r, values);
                }
                return bytes(tree);
            }
        }
    }

    private static JsonNode mutateTree(JsonNode root, Random r, List<JsonNode> values) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode parent = containers.get(r.nextInt(containers.size()));
        if (parent instanceof ObjectNode o && o.size() > 0) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(r.nextInt(names.size()));
            switch (r.nextInt(4)) {
                case 0 -> o.remove(name);
                case 1 -> o.set(flipCase(name), o.remove(name));
                default -> o.set(name, values.get(r.nextInt(values.size())).deepCopy());
            }
        } else if (parent instanceof ArrayNode a && a.size() > 0) {
            a.set(r.nextInt(a.size()), values.get(r.nextInt(values.size())).deepCopy());
        } else if (parent instanceof ObjectNode o) {
            o.set("x", values.get(r.nextInt(values.size())).deepCopy());
        }
        return root;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private static String flipCase(String s) {
        return s.isEmpty() ? "X" : Character.isUpperCase(s.charAt(0))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1)
                : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * Runs {@code adapter} over every input and checks it never throws, always answers, and that every event it
     * accepts serializes and validates against its schema.
     *
     * @return how many inputs were accepted, so the test can check the fuzzer reached the happy path too
     */
    static int fuzz(VendorAdapter adapter, List<RawInput> inputs, EventSchemas schemas, Function<RawInput, String> describe) {
        int accepted = 0;
        for (RawInput in : inputs) {
            AdapterResult result;
            try {
                result = adapter.adapt(in);
            } catch (RuntimeException e) {
                throw new AssertionError("adapt threw on " + describe.apply(in), e);
            }
            assertThat(result).as("result for %s", describe.apply(in)).isNotNull();
            if (result instanceof AdapterResult.Accepted a) {
                accepted++;
                for (CanonicalEvent e : a.events()) {
                    EventCodec codec = new EventCodec();
                    assertThat(schemas.validate(codec.toJson(e))).as("schema problems of %s from %s", e, describe.apply(in)).isEmpty();
                }
            } else {
                Rejection rej = ((AdapterResult.Rejected) result).rejection();
                assertThat(rej.reason()).as("reason for %s", describe.apply(in)).isNotNull();
            }
        }
        return accepted;
    }

    static String describe(RawInput in) {
        String body = new String(in.body(), StandardCharsets.UTF_8);
        return in.headers() + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
}
