package io.labhooks.normalizer.adapter;

import static io.labhooks.normalizer.adapter.VendorAdapterTesting.assertValid;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.bytes;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.events;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.fixture;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.input;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.json;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.rejection;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.testkit.EventSchemas;
import io.labhooks.testkit.payloads.LmlPayloads;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LmlAdapterTest {
    private final SourceConfig source = VendorAdapterTesting.source("lml", Vendor.LML);
    private final LmlAdapter adapter = new LmlAdapter(new Json());
    private final EventSchemas schemas = new EventSchemas();

    private byte[] edited(String fixture, Consumer<ObjectNode> edit) {
        ObjectNode body = json(fixture(fixture));
        edit.accept(body);
        return bytes(body);
    }

    @ParameterizedTest
    @CsvSource({
            "test_registration.complete,        lml:test_registration:e23e2d33-5ab4-4efc-8e94-7e914b5f99df, 1, https://api.londonmedicallaboratory.com/api/test_registration/e23e2d33-5ab4-4efc-8e94-7e914b5f99df/",
            "test_registration.sample_received, lml:test_registration:1234-5678,                            2, https://api.londonmedicallaboratory.com/api/test_registration/e23e2d33-5ab4-4efc-8e94-7e914b5f99df/",
            "lab_results.complete,              lml:test_registration:eae987c4-32d6-42b9-8c9f-524a78a1b507, 4, https://api.londonmedicallaboratory.com/api/test_registration/1234-5678/lab_results/",
            "order.shipped,                     lml:order:e23e2d33-5ab4-4efc-8e94-7e914b5f99df,             1, https://api.londonmedicallaboratory.com/api/order/e23e2d33-5ab4-4efc-8e94-7e914b5f99df",
            "order.delivered,                   lml:order:e23e2d33-5ab4-4efc-8e94-7e914b5f99df,             2, https://api.londonmedicallaboratory.com/api/order/e23e2d33-5ab4-4efc-8e94-7e914b5f99df"})
    void everySingleEventOfTheDocument(String event, String subject, long version, String url) {
        CanonicalEvent e = single(adapter.adapt(input(source, fixture("lml/" + event + ".json"))));

        assertThat(e.type()).isEqualTo("lab.lml." + event);
        assertThat(e.subject()).isEqualTo(subject);
        assertThat(e.version()).isEqualTo(version);
        assertThat(e.time()).as("payloads carry no time").isEqualTo(VendorAdapterTesting.RECEIVED);
        assertThat(e.data().get("url").asText()).isEqualTo(url);
        assertThat(e.data().get("deleted").asBoolean()).isFalse();
        assertThat(e.data().get("vendor_payload")).isEqualTo(json(fixture("lml/" + event + ".json")));
        assertThat(assertValid(schemas, e)).isEqualTo(subject.startsWith("lml:order:") ? "lml.order.schema.json" : "lml.test_registration.schema.json");
    }

    @Test
    void labResultsAreKeyedByTestRegistrationIdNotTheIdInTheUrl() {
        CanonicalEvent e = single(adapter.adapt(input(source, fixture("lml/lab_results.complete.json"))));
        assertThat(e.entityType()).isEqualTo("test_registration");
        assertThat(e.entityId()).isEqualTo("eae987c4-32d6-42b9-8c9f-524a78a1b507");
        assertThat(e.data().get("testregistration_id").asText()).isEqualTo("eae987c4-32d6-42b9-8c9f-524a78a1b507");
    }

    @Test
    void sampleReceivedAtIsKeptAsSent() {
        CanonicalEvent e = single(adapter.adapt(input(source, fixture("lml/test_registration.sample_received.json"))));
        assertThat(e.data().get("sample_received_at").asText()).isEqualTo("2023-06-01T14:52:32+01:00");
        assertThat(e.time()).isEqualTo(VendorAdapterTesting.RECEIVED);

        CanonicalEvent odd = single(adapter.adapt(input(source, edited("lml/test_registration.sample_received.json",
                b -> ((ObjectNode) b.get("data")).put("sample_received_at", "sometime in June")))));
        assertThat(odd.data().get("sample_received_at").asText()).as("data only, never a rejection").isEqualTo("sometime in June");
    }

    @Test
    void retestYieldsTwoLinkedEvents() {
        List<CanonicalEvent> events = events(adapter.adapt(input(source, fixture("lml/test_registration.retest.json"))));
        assertThat(events).hasSize(2);
        CanonicalEvent original = events.get(0);
        CanonicalEvent created = events.get(1);

        assertThat(original.type()).isEqualTo("lab.lml.test_registration.retest");
        assertThat(original.subject()).isEqualTo("lml:test_registration:e23e2d33-5ab4-4efc-8e94-7e914b5f99df");
        assertThat(original.version()).isEqualTo(3);
        assertThat(original.data().get("retest_testregistration_id").asText()).isEqualTo("5555-6666");
        assertThat(original.data().get("references").toString())
                .isEqualTo("[{\"rel\":\"retest\",\"entity_key\":\"lml:test_registration:5555-6666\"}]");

        assertThat(created.type()).isEqualTo("lab.lml.test_registration.retest_created");
        assertThat(created.subject()).isEqualTo("lml:test_registration:5555-6666");
        assertThat(created.version()).isZero();
        assertThat(created.data().get("retest_of_testregistration_id").asText()).isEqualTo("e23e2d33-5ab4-4efc-8e94-7e914b5f99df");
        assertThat(created.data().get("references").toString())
                .isEqualTo("[{\"rel\":\"retest_of\",\"entity_key\":\"lml:test_registration:e23e2d33-5ab4-4efc-8e94-7e914b5f99df\"}]");
        assertThat(created.id()).isNotEqualTo(original.id());
        assertThat(created.deliveryId()).isEqualTo(original.deliveryId());

        for (CanonicalEvent e : events) {
            assertThat(assertValid(schemas, e)).isEqualTo("lml.test_registration.schema.json");
        }
    }

    @Test
    void theNewRegistrationsOwnLifecycleStillAdvancesIt() {
        CanonicalEvent created = events(adapter.adapt(input(source, fixture("lml/test_registration.retest.json")))).get(1);
        for (String event : List.of("test_registration.complete", "test_registration.sample_received", "lab_results.complete")) {
            CanonicalEvent later = single(adapter.adapt(input(source, LmlPayloads.bytes(LmlPayloads.event(event, "5555-6666", 1)))));
            assertThat(later.subject()).isEqualTo(created.subject());
            assertThat(later.version()).isGreaterThan(created.version());
        }
    }

    @Test
    void aRegistrationRetestedTwiceGetsTwoRetestEvents() {
        CanonicalEvent one = events(adapter.adapt(input(source, LmlPayloads.bytes(LmlPayloads.retest("orig", "new-1"))))).get(0);
        CanonicalEvent two = events(adapter.adapt(input(source, LmlPayloads.bytes(LmlPayloads.retest("orig", "new-2"))))).get(0);
        assertThat(one.id()).isNotEqualTo(two.id());
    }

    @Test
    void testRegistrationLifecycleOrder() {
        List<Long> versions = new ArrayList<>();
        for (String event : List.of("test_registration.complete", "test_registration.sample_received", "test_registration.retest",
                "lab_results.complete")) {
            versions.add(events(adapter.adapt(input(source, LmlPayloads.bytes(LmlPayloads.event(event, "r-1", 7))))).get(0).version());
        }
        assertThat(versions).containsExactly(1L, 2L, 3L, 4L);
        long shipped = single(adapter.adapt(input(source, LmlPayloads.bytes(LmlPayloads.orderShipped("o-1"))))).version();
        long delivered = single(adapter.adapt(input(source, LmlPayloads.bytes(LmlPayloads.orderDelivered("o-1"))))).version();
        assertThat(shipped).isLessThan(delivered);
    }

    @Test
    void redeliveryKeepsTheEventId() {
        byte[] body = fixture("lml/order.shipped.json");
        CanonicalEvent a = single(adapter.adapt(input(source, "d-1", Map.of(), body)));
        CanonicalEvent b = single(adapter.adapt(input(source, "d-2", Map.of(), body)));
        assertThat(a.id()).isEqualTo(b.id());
    }

    @Test
    void anUnknownEventPassesThroughGenerically() {
        byte[] body = fixture("lml/unknown.event.json");
        CanonicalEvent e = single(adapter.adapt(input(source, body)));

        assertThat(e.type()).isEqualTo("lab.lml.kit.dispatched");
        assertThat(e.subject()).isEqualTo("lml:kit:KIT-0042");
        assertThat(e.version()).isZero();
        assertThat(e.data().get("url").asText()).isEqualTo("https://api.londonmedicallaboratory.com/api/kit/KIT-0042");
        assertThat(single(adapter.adapt(input(source, "d-9", Map.of(), body))).id()).isEqualTo(e.id());
        assertThat(assertValid(schemas, e)).isEqualTo("generic.schema.json");
    }

    @Test
    void anUnknownEventWithoutAnIdIsKeyedByTheBodyHash() {
        byte[] body = "{\"event\":\"newsletter.sent\",\"data\":{\"count\":3}}".getBytes(StandardCharsets.UTF_8);
        CanonicalEvent e = single(adapter.adapt(input(source, body)));
        assertThat(e.subject()).isEqualTo("lml:newsletter:sha256-" + io.labhooks.schemas.events.EventIds.sha256Hex(body));
        assertValid(schemas, e);
    }

    @Test
    void anUnknownTestRegistrationEventIsKeyedOnTheRegistration() {
        CanonicalEvent e = single(adapter.adapt(input(source, edited("lml/test_registration.complete.json",
                b -> b.put("event", "test_registration.cancelled")))));
        assertThat(e.type()).isEqualTo("lab.lml.test_registration.cancelled");
        assertThat(e.subject()).isEqualTo("lml:test_registration:e23e2d33-5ab4-4efc-8e94-7e914b5f99df");
        assertThat(e.version()).isZero();
        assertThat(assertValid(schemas, e)).isEqualTo("lml.test_registration.schema.json");
    }

    @Test
    void generatedPayloadsOfEveryEventAreAccepted() {
        for (String event : LmlPayloads.EVENTS) {
            for (long seed = 0; seed < 20; seed++) {
                List<CanonicalEvent> events = events(adapter.adapt(input(source, LmlPayloads.bytes(LmlPayloads.event(event, LmlPayloads.id(seed), seed)))));
                assertThat(events.get(0).type()).isEqualTo("lab.lml." + event);
                events.forEach(e -> assertValid(schemas, e));
            }
        }
        ObjectNode sample = LmlPayloads.sampleReceived("x", OffsetDateTime.parse("2023-06-01T14:52:32.999+01:00"));
        assertThat(sample.at("/data/sample_received_at").asText()).isEqualTo("2023-06-01T14:52:32+01:00");
    }

    @Test
    void theSchemaIsStrict() {
        CanonicalEvent e = single(adapter.adapt(input(source, fixture("lml/order.shipped.json"))));
        ObjectNode bad = new EventCodec().toJson(e);
        ((ObjectNode) bad.get("data")).remove("order_id");
        assertThat(schemas.validate(bad)).isNotEmpty();
        ObjectNode wrongSubject = new EventCodec().toJson(e).put("subject", "lml:test_registration:x");
        assertThat(schemas.validate(wrongSubject)).isNotEmpty();
    }

    // ---- rejections ----

    @Test
    void notJson() {
        assertThat(rejection(adapter.adapt(input(source, "event=order.shipped".getBytes(StandardCharsets.UTF_8)))).reason())
                .isEqualTo(Rejection.Reason.NOT_JSON);
        assertThat(rejection(adapter.adapt(input(source, new byte[0]))).reason()).isEqualTo(Rejection.Reason.NOT_JSON);
    }

    @Test
    void tooLarge() {
        SourceConfig small = VendorAdapterTesting.smallSource("lml", Vendor.LML, 32, null);
        assertThat(rejection(adapter.adapt(input(small, fixture("lml/order.shipped.json")))).reason()).isEqualTo(Rejection.Reason.TOO_LARGE);
    }

    @Test
    void missingIds() {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("complete without id", edited("lml/test_registration.complete.json", b -> ((ObjectNode) b.get("data")).remove("testregistration_id")));
        cases.put("sample without id", edited("lml/test_registration.sample_received.json", b -> ((ObjectNode) b.get("data")).putNull("testregistration_id")));
        cases.put("retest without id", edited("lml/test_registration.retest.json", b -> ((ObjectNode) b.get("data")).remove("testregistration_id")));
        cases.put("retest without the new id", edited("lml/test_registration.retest.json", b -> ((ObjectNode) b.get("data")).remove("retest_testregistration_id")));
        cases.put("results with empty id", edited("lml/lab_results.complete.json", b -> ((ObjectNode) b.get("data")).put("testregistration_id", "")));
        cases.put("shipped without order_id", edited("lml/order.shipped.json", b -> ((ObjectNode) b.get("data")).remove("order_id")));
        cases.put("delivered without order_id", edited("lml/order.delivered.json", b -> ((ObjectNode) b.get("data")).remove("order_id")));
        cases.forEach((what, body) -> assertThat(rejection(adapter.adapt(input(source, body))).reason()).as(what)
                .isEqualTo(Rejection.Reason.MISSING_ID));
    }

    @Test
    void wrongShape() {
        Map<String, Consumer<ObjectNode>> edits = new LinkedHashMap<>();
        edits.put("data is a string", b -> b.put("data", "oops"));
        edits.put("data is missing", b -> b.remove("data"));
        edits.put("data is an array", b -> b.putArray("data"));
        edits.put("event is missing", b -> b.remove("event"));
        edits.put("event is a number", b -> b.put("event", 7));
        edits.put("event is empty", b -> b.put("event", ""));
        edits.put("id is an object", b -> ((ObjectNode) b.get("data")).putObject("testregistration_id"));
        edits.put("id is a boolean", b -> ((ObjectNode) b.get("data")).put("testregistration_id", true));
        edits.put("url is an object", b -> ((ObjectNode) b.get("data")).putObject("url"));
        edits.forEach((what, edit) -> assertThat(rejection(adapter.adapt(input(source, edited("lml/test_registration.complete.json", edit))))
                .reason()).as(what).isEqualTo(Rejection.Reason.WRONG_SHAPE));
    }

    // ---- fuzz ----

    @Test
    void fuzzedFixturesNeverThrow() {
        List<String> interesting = new ArrayList<>(LmlPayloads.EVENTS);
        interesting.addAll(List.of("test_registration", "order.", "lab_results.x", "5555-6666"));
        List<RawInput> inputs = new ArrayList<>();
        long seed = 42;
        for (String f : List.of("test_registration.complete", "test_registration.sample_received", "test_registration.retest",
                "order.shipped", "order.delivered", "lab_results.complete", "unknown.event")) {
            for (byte[] body : VendorAdapterTesting.mutations(fixture("lml/" + f + ".json"), seed++, 2_000, interesting)) {
                inputs.add(input(source, body));
            }
        }
        int accepted = VendorAdapterTesting.fuzz(adapter, inputs, schemas, VendorAdapterTesting::describe);
        assertThat(accepted).isBetween(1, inputs.size() - 1);
    }
}
