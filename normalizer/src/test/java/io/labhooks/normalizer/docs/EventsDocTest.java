package io.labhooks.normalizer.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.SourceConfig;
import io.labhooks.normalizer.adapter.AdapterResult;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.normalizer.adapter.CoreOneAdapter;
import io.labhooks.normalizer.adapter.RawInput;
import io.labhooks.normalizer.adapter.Rejection;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.Topics;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.testkit.EventSchemas;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import io.labhooks.testkit.payloads.CoreOnePayloads;
import io.labhooks.testkit.payloads.FlabsPayloads;
import io.labhooks.testkit.payloads.LmlPayloads;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/events.md}, the contract for consumers of the labhooks topics, honest: every event type the
 * adapters emit is in it, every CloudEvent example in it is real normalizer output that validates against its
 * schema, and every DLQ reason and topic is named. When an adapter changes, the fresh examples are in
 * {@code normalizer/target/events-doc-examples.md}.
 */
class EventsDocTest {
    /** The document, relative to the module directory (surefire's working directory). */
    static final Path DOC = Path.of("..", "docs", "events.md");
    static final Path GENERATED = Path.of("target", "events-doc-examples.md");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);

    static EventsDocExamples.Run run;
    static String doc;

    @BeforeAll
    static void generateAndRead() throws IOException {
        run = EventsDocExamples.run();
        Files.createDirectories(GENERATED.getParent());
        Files.writeString(GENERATED, EventsDocExamples.render(run));
        doc = Files.readString(DOC);
    }

    /** The CloudEvents (blocks with "specversion") among the doc's json blocks. */
    static List<JsonNode> docCloudEvents() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        Matcher m = JSON_BLOCK.matcher(doc);
        while (m.find()) {
            if (m.group(1).contains("\"specversion\"")) {
                out.add(EventsDocExamples.MAPPER.readTree(m.group(1)));
            }
        }
        return out;
    }

    @Test
    void everyEventTypeTheAdaptersEmitIsDocumented() throws Exception {
        Set<String> types = emittableTypes();
        assertThat(types).as("all 33 documented CoreOne webhook types were exercised")
                .containsAll(CoreOneAdapter.WEBHOOK_TYPES.stream().map(t -> "lab.coreone." + t.replace('/', '.')).toList());
        assertThat(types).as("LML's six events, the retest's second event and a pass-through were exercised")
                .contains("lab.lml.test_registration.retest_created", "lab.lml.kit.dispatched");
        List<String> missing = types.stream().filter(t -> !doc.contains("`" + t + "`")).toList();
        assertThat(missing).as("event types missing from %s (write each as `type`)", DOC).isEmpty();
    }

    @Test
    void everyCloudEventExampleParsesAndValidatesAgainstItsSchema() throws IOException {
        EventSchemas schemas = new EventSchemas();
        List<JsonNode> examples = docCloudEvents();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(20);
        for (JsonNode e : examples) {
            assertThat(schemas.validate(e)).as("schema problems of the example %s (%s)", e.path("id"), e.path("type")).isEmpty();
        }
    }

    @Test
    void everyCloudEventExampleIsRealNormalizerOutputAndEveryGeneratedExampleIsShown() throws IOException {
        Map<String, ObjectNode> generated = new LinkedHashMap<>();
        run.events().forEach(o -> generated.put(o.value().get("id").asText(), o.doc()));
        Set<String> shown = new TreeSet<>();
        for (JsonNode e : docCloudEvents()) {
            String id = e.path("id").asText();
            assertThat(generated).as("the example %s (%s) is not normalizer output; fresh examples are in %s",
                    id, e.path("type"), GENERATED.toAbsolutePath()).containsKey(id);
            assertThat(e).as("the example %s (%s) differs from the normalizer's output; fresh examples are in %s",
                    id, e.path("type"), GENERATED.toAbsolutePath()).isEqualTo(generated.get(id));
            shown.add(id);
        }
        List<String> notShown = run.events().stream().filter(o -> !o.delivery().startsWith("hwm-"))
                .filter(o -> !shown.contains(o.value().get("id").asText()))
                .map(o -> o.delivery() + ": " + o.value().get("type").asText()).toList();
        assertThat(notShown).as("generated examples missing from the doc").isEmpty();
    }

    @Test
    void theGeneratedTablesAndRecordsAreInTheDocVerbatim() {
        for (String block : List.of("coreone-table", "hwm-table", "dlq-record", "event-headers", "id-recipe")) {
            assertThat(doc).as("block %s (fresh copy in %s)", block, GENERATED.toAbsolutePath())
                    .contains(run.blocks().get(block));
        }
        assertThat(run.events()).allSatisfy(o -> assertThat(o.headers().keySet())
                .containsExactly(Headers.CONTENT_TYPE, Headers.DELIVERY_ID));
        assertThat(run.entities()).allSatisfy(o -> assertThat(o.headers().keySet())
                .containsExactly(Headers.CONTENT_TYPE, Headers.DELIVERY_ID));
    }

    @Test
    void theExamplesShowTheShortenedPanelAndTheNoteSaysSo() {
        ObjectNode full = run.events().stream().filter(o -> o.delivery().equals("confident-publish")).findFirst().orElseThrow().value();
        int total = full.path("data").path("results").size();
        assertThat(total).isEqualTo(ConfidentPayloads.PANEL_ANALYTES);
        assertThat(doc).contains("shows " + EventsDocExamples.SHOWN_RESULTS + " of its " + total + " `data.results`");
    }

    @Test
    void everyDlqReasonIsDocumented() {
        for (Rejection.Reason r : Rejection.Reason.values()) {
            assertThat(doc).as("DLQ reason %s", r.id()).contains("`" + r.id() + "`");
        }
    }

    @Test
    void everyTopicIsDocumentedAndConsumersReadCommitted() {
        for (String topic : Topics.ALL) {
            assertThat(doc).as("topic %s", topic).contains("`" + topic + "`");
        }
        assertThat(doc).contains("ConsumerConfig.ISOLATION_LEVEL_CONFIG, \"read_committed\"")
                .contains("--bootstrap-server localhost:9092").contains("--isolation-level read_committed");
    }

    // ---- every event type the adapters can emit, from all fixtures and payload generators ----

    static Set<String> emittableTypes() throws IOException, URISyntaxException {
        LabhooksConfig config = ConfigLoader.parse(EventsDocExamples.CONFIG, "events-doc", Map.of());
        Adapters adapters = new Adapters();
        Instant received = Instant.parse("2024-05-01T12:00:00.123Z");
        List<RawInput> inputs = new ArrayList<>();
        for (String vendor : List.of("confident", "flabs", "lml")) {
            SourceConfig source = config.source(vendor).orElseThrow();
            for (String f : fixtureFiles(vendor)) {
                inputs.add(new RawInput(source, "d", received, Map.of(), EventsDocExamples.fixture(vendor + "/" + f)));
            }
        }
        SourceConfig coreone = config.source("coreone").orElseThrow();
        List<String> coreOneFixtures = fixtureFiles("coreone");
        for (int i = 0; i < CoreOnePayloads.WEBHOOK_TYPES.size(); i++) {
            String type = CoreOnePayloads.WEBHOOK_TYPES.get(i);
            String object = CoreOnePayloads.object(type);
            for (String f : coreOneFixtures) {
                if (f.equals(object + ".json") || f.equals(object + "." + CoreOnePayloads.action(type) + ".json")) {
                    inputs.add(coreOneInput(coreone, received, type, EventsDocExamples.fixture("coreone/" + f)));
                }
            }
            inputs.add(coreOneInput(coreone, received, type,
                    CoreOnePayloads.bytes(CoreOnePayloads.body(type, 1000 + i, Instant.parse("2024-05-01T10:00:00Z"), i))));
        }
        inputs.add(new RawInput(config.source("acme").orElseThrow(), "d", received, Map.of(),
                EventsDocExamples.fixture("generic/acme.sample.resulted.json")));

        SourceConfig confident = config.source("confident").orElseThrow();
        Instant t = Instant.parse("2024-05-01T10:00:00Z");
        inputs.add(new RawInput(confident, "d", received, Map.of(), bytes(ConfidentPayloads.minimal("S-1", t))));
        inputs.add(new RawInput(confident, "d", received, Map.of(), bytes(ConfidentPayloads.panel("S-2", t, 7))));
        SourceConfig flabs = config.source("flabs").orElseThrow();
        for (String e : Stream.concat(FlabsPayloads.BILL_EVENTS.stream(), FlabsPayloads.OTHER_EVENTS.stream()).toList()) {
            inputs.add(new RawInput(flabs, "d", received, Map.of(), FlabsPayloads.bytes(FlabsPayloads.event(e, "lab_1", "bill_1", 1_705_747_800L, 3))));
        }
        SourceConfig lml = config.source("lml").orElseThrow();
        for (String e : Stream.concat(LmlPayloads.EVENTS.stream(), Stream.of("kit.dispatched")).toList()) {
            inputs.add(new RawInput(lml, "d", received, Map.of(), LmlPayloads.bytes(LmlPayloads.event(e, LmlPayloads.id(5), 5))));
        }
        for (EventsDocExamples.Delivery d : EventsDocExamples.exampleDeliveries()) {
            inputs.add(new RawInput(config.source(d.source()).orElseThrow(), d.deliveryId(), d.receivedAt(), d.vendorHeaders(), d.body()));
        }

        Set<String> types = new TreeSet<>();
        for (RawInput in : inputs) {
            AdapterResult r = adapters.forSource(in.source()).adapt(in);
            assertThat(r).as("%s %s", in.source().id(), new String(in.body(), StandardCharsets.UTF_8)).isInstanceOf(AdapterResult.Accepted.class);
            ((AdapterResult.Accepted) r).events().stream().map(CanonicalEvent::type).forEach(types::add);
        }
        return types;
    }

    private static RawInput coreOneInput(SourceConfig source, Instant received, String type, byte[] body) {
        return new RawInput(source, "d", received, Map.of(Headers.COREONE_WEBHOOK_TYPE, type), body);
    }

    private static byte[] bytes(JsonNode n) {
        return EventsDocExamples.bytes(n);
    }

    static List<String> fixtureFiles(String dir) throws IOException, URISyntaxException {
        Path p = Path.of(EventsDocTest.class.getResource("/fixtures/" + dir).toURI());
        try (Stream<Path> files = Files.list(p)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        }
    }
}
