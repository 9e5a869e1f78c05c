package io.labhooks.normalizer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.schemas.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mutations of every vendor's real fixtures ({@code src/test/resources/fixtures/*}) through the whole topology
 * (parse, repartition, dedupe) in a {@code TopologyTestDriver}: bit flips, truncations, splices of two fixtures
 * (bytes and subtrees), and type swaps of single nodes, plus odd record headers. None may throw out of the topology
 * (which would stop the stream thread); each becomes events valid against their schema, a dedupe outcome, or one
 * DLQ record with a reason and the original bytes. The adapter-level fuzz (VendorAdapterTesting) already covers
 * about 60,000 inputs per adapter; this one covers the processors around them with the real fixtures.
 */
class FixtureFuzzTopologyTest {
    private static final Logger LOG = LoggerFactory.getLogger(FixtureFuzzTopologyTest.class);
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final int PER_FIXTURE_PER_CLASS = 60;
    static final List<String> CLASSES = List.of("bit flip", "truncation", "byte splice", "subtree splice", "type swap");

    record Fixture(String vendor, String name, byte[] bytes) {
        String source() {
            return vendor.equals("generic") ? "acme" : vendor;
        }

        /** CoreOne's event type comes from its header; the fixture's name says which. */
        Map<String, String> headers() {
            if (!vendor.equals("coreone")) {
                return Map.of();
            }
            String base = name.substring(0, name.length() - ".json".length());
            int dot = base.indexOf('.');
            return Map.of(Headers.COREONE_WEBHOOK_TYPE, dot < 0 ? base + "/update" : base.substring(0, dot) + "/" + base.substring(dot + 1));
        }
    }

    static List<Fixture> fixtures() throws IOException, URISyntaxException {
        Path root = Path.of(FixtureFuzzTopologyTest.class.getResource("/fixtures").toURI());
        List<Fixture> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(new Fixture(p.getParent().getFileName().toString(), p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        return out;
    }

    @Test
    void mutatedRealFixturesOfEveryVendorNeverStopTheStreamThread() throws Exception {
        List<Fixture> fixtures = fixtures();
        assertThat(fixtures).extracting(Fixture::vendor).contains("confident", "coreone", "flabs", "lml", "generic");
        TopologyOutcomes.Counting counts = new TopologyOutcomes.Counting();
        Map<String, int[]> perClass = new TreeMap<>(); // class -> {inputs, events, dlq}
        Map<String, Integer> reasons = new TreeMap<>();
        try (TopologyFixture f = new TopologyFixture(BadInputTopologyTest.SOURCES, new Adapters()::forSource, counts)) {
            TopologyOutcomes out = new TopologyOutcomes(f, counts);
            // The unmutated fixtures are accepted: the fuzz starts from the happy path.
            for (Fixture fx : fixtures) {
                TopologyOutcomes.Outcome o = out.send(fx.source(), fx.bytes(), fx.headers(), fx.vendor() + "/" + fx.name());
                assertThat(o.rejected()).as("%s/%s: %s", fx.vendor(), fx.name(), o.dlqMessage()).isFalse();
            }
            Random r = new Random(20261201L);
            for (Fixture fx : fixtures) {
                for (String cls : CLASSES) {
                    for (int i = 0; i < PER_FIXTURE_PER_CLASS; i++) {
                        byte[] body = mutate(cls, fx, fixtures, r);
                        Map<String, String> headers = r.nextInt(10) == 0 ? oddHeaders(fx, r) : fx.headers();
                        String what = cls + " #" + i + " of " + fx.vendor() + "/" + fx.name();
                        TopologyOutcomes.Outcome o = out.send(fx.source(), body, headers, what);
                        int[] c = perClass.computeIfAbsent(cls, k -> new int[3]);
                        c[0]++;
                        if (o.rejected()) {
                            c[2]++;
                            reasons.merge(o.dlqReason(), 1, Integer::sum);
                        } else {
                            c[1] += o.events().isEmpty() ? 0 : 1;
                        }
                    }
                }
            }
        }
        Map<String, String> report = new TreeMap<>();
        perClass.forEach((k, v) -> report.put(k, v[0] + " inputs, " + v[1] + " with events, " + v[2] + " to the DLQ"));
        LOG.info("fixture fuzz over {} fixtures: {}; DLQ reasons {}", fixtures.size(), report, reasons);
        for (String cls : CLASSES) {
            int[] c = perClass.get(cls);
            assertThat(c[0]).isEqualTo(fixtures.size() * PER_FIXTURE_PER_CLASS);
        }
        // The mutations reach both sides: events and rejections, for every class that can keep JSON valid.
        assertThat(perClass.get("type swap")[1]).isPositive();
        assertThat(perClass.get("type swap")[2]).isPositive();
        assertThat(perClass.get("truncation")[2]).isPositive();
    }

    static Map<String, String> oddHeaders(Fixture fx, Random r) {
        Map<String, String> h = new HashMap<>(fx.headers());
        String[] types = {"", " ", "client", "a/b/c", "/", "x/destroy", "\u0000/\u0000", "ä/ö", "a".repeat(300) + "/b"};
        switch (r.nextInt(3)) {
            case 0 -> h.put(Headers.COREONE_WEBHOOK_TYPE, types[r.nextInt(types.length)]);
            case 1 -> h.put(Headers.RECEIVED_AT, r.nextBoolean() ? "not-a-number" : "-99999999999999999");
            default -> h.put(Headers.DELIVERY_ID, "");
        }
        return h;
    }

    static byte[] mutate(String cls, Fixture fx, List<Fixture> all, Random r) {
        byte[] b = fx.bytes();
        return switch (cls) {
            case "bit flip" -> {
                byte[] c = b.clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    c[r.nextInt(c.length)] ^= (byte) (1 << r.nextInt(8));
                }
                yield c;
            }
            case "truncation" -> Arrays.copyOf(b, r.nextInt(b.length));
            case "byte splice" -> {
                byte[] other = all.get(r.nextInt(all.size())).bytes();
                int cut = r.nextInt(b.length + 1);
                int from = r.nextInt(other.length + 1);
                byte[] c = Arrays.copyOf(b, cut + other.length - from);
                System.arraycopy(other, from, c, cut, other.length - from);
                yield c;
            }
            case "subtree splice" -> {
                JsonNode tree = read(b);
                JsonNode donor = read(all.get(r.nextInt(all.size())).bytes());
                List<JsonNode> donors = new ArrayList<>();
                collect(donor, donors, true);
                replaceRandomNode(tree, r, donors.get(r.nextInt(donors.size())).deepCopy());
                yield write(tree);
            }
            case "type swap" -> {
                JsonNode tree = read(b);
                for (int k = 1 + r.nextInt(2); k > 0; k--) {
                    replaceRandomNode(tree, r, swapped(r));
                }
                yield write(tree);
            }
            default -> throw new IllegalArgumentException(cls);
        };
    }

    /** A value of a random JSON type, including edge values. */
    static JsonNode swapped(Random r) {
        JsonNodeFactory n = JsonNodeFactory.instance;
        JsonNode[] values = {n.nullNode(), n.booleanNode(true), n.numberNode(0), n.numberNode(-1), n.numberNode(Long.MAX_VALUE),
                n.numberNode(1.5e300), n.numberNode(new java.math.BigInteger("9".repeat(60))), n.textNode(""), n.textNode("x"),
                n.textNode("2024-13-45T99:99:99Z"), n.textNode("\u0000"), n.arrayNode(), n.arrayNode().add(1).add("a"), n.objectNode(),
                n.objectNode().put("id", 1)};
        return values[r.nextInt(values.length)].deepCopy();
    }

    /** Replaces a random value (object field or array element) anywhere in the tree; the root itself stays. */
    static void replaceRandomNode(JsonNode root, Random r, JsonNode with) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers, false);
        List<JsonNode> nonEmpty = containers.stream().filter(c -> c.size() > 0).toList();
        if (nonEmpty.isEmpty()) {
            return;
        }
        JsonNode parent = nonEmpty.get(r.nextInt(nonEmpty.size()));
        if (parent instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            o.set(names.get(r.nextInt(names.size())), with);
        } else if (parent instanceof ArrayNode a) {
            a.set(r.nextInt(a.size()), with);
        }
    }

    static void collect(JsonNode n, List<JsonNode> out, boolean leavesToo) {
        if (n.isContainerNode() || leavesToo) {
            out.add(n);
        }
        for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
            collect(it.next(), out, leavesToo);
        }
    }

    static JsonNode read(byte[] b) {
        try {
            return MAPPER.readTree(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] write(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
