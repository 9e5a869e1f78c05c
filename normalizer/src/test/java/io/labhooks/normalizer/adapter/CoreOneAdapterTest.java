package io.labhooks.normalizer.adapter;

import static io.labhooks.normalizer.adapter.VendorAdapterTesting.assertValid;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.bytes;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.fixture;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.hasFixture;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.json;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.rejection;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.single;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.Pointers;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventCodec;
import io.labhooks.testkit.EventSchemas;
import io.labhooks.testkit.payloads.CoreOnePayloads;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoreOneAdapterTest {
    /**
     * The webhook types of CoreOne's document (v5.3.38, "Available Webhooks"), transcribed section by section.
     * The document has 33 of them (3+4+2+3+3+3+1+2+4+3+2+2+1).
     */
    static final List<String> DOCUMENTED = List.of(
            // Accession
            "accession/status_change", "accession/client_change", "accession/receive",
            // Accession Lab Section
            "accession_lab_section/create", "accession_lab_section/destroy", "accession_lab_section/release", "accession_lab_section/unrelease",
            // Attachment
            "attachment/fail", "attachment/process",
            // Client
            "client/create", "client/destroy", "client/update",
            // Clinical Histories
            "clinical_histories/create", "clinical_histories/destroy", "clinical_histories/update",
            // Comment
            "comment/create", "comment/destroy", "comment/update",
            // Credit Note
            "credit_note/create",
            // HL7 Message
            "hl7message/fail", "hl7message/process",
            // Instrument
            "instrument/fail", "instrument/generate_instrument_file", "instrument/process", "instrument/request_instrument_file",
            // Invoice
            "invoice/client_change", "invoice/close", "invoice/create",
            // Leaf
            "leaf/fail", "leaf/match",
            // NAHLN
            "nahln_transmission/fail", "nahln_transmission/process",
            // Payment
            "payment/create");
    /** The fixtures' updated_at: 2021-02-25T15:35:00.123-06:00. */
    static final long FIXTURE_VERSION = Versions.micros(OffsetDateTime.parse("2021-02-25T15:35:00.123-06:00").toInstant());

    private final SourceConfig source = VendorAdapterTesting.source("coreone", Vendor.COREONE);
    private final CoreOneAdapter adapter = new CoreOneAdapter(new Json());
    private final EventSchemas schemas = new EventSchemas();

    static List<String> documented() {
        return DOCUMENTED;
    }

    static String fixtureFor(String webhookType) {
        String object = CoreOnePayloads.object(webhookType);
        String specific = "coreone/" + object + "." + CoreOnePayloads.action(webhookType) + ".json";
        return hasFixture(specific) ? specific : "coreone/" + object + ".json";
    }

    private RawInput input(String type, byte[] body) {
        return input(source, "delivery-1", type, body);
    }

    private static RawInput input(SourceConfig source, String deliveryId, String type, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        if (type != null) {
            headers.put(Headers.COREONE_WEBHOOK_TYPE, type);
        }
        return VendorAdapterTesting.input(source, deliveryId, headers, body);
    }

    private byte[] edited(String fixture, Consumer<ObjectNode> edit) {
        ObjectNode body = json(fixture(fixture));
        edit.accept(body);
        return bytes(body);
    }

    @Test
    void theDocumentedTypesAreAllKnown() {
        assertThat(DOCUMENTED).hasSize(33).doesNotHaveDuplicates();
        assertThat(CoreOneAdapter.WEBHOOK_TYPES).containsExactlyElementsOf(DOCUMENTED);
        assertThat(CoreOnePayloads.WEBHOOK_TYPES).containsExactlyElementsOf(DOCUMENTED);
        assertThat(DOCUMENTED).allMatch(CoreOneAdapter::isKnown);
        assertThat(CoreOneAdapter.isKnown("accession/destroy")).isFalse();
    }

    @Test
    void everyObjectHasAFixture() {
        DOCUMENTED.stream().map(CoreOnePayloads::object).distinct()
                .forEach(object -> assertThat(hasFixture("coreone/" + object + ".json")).as(object).isTrue());
    }

    @ParameterizedTest
    @MethodSource("documented")
    void everyDocumentedType(String webhookType) {
        String object = CoreOnePayloads.object(webhookType);
        String action = CoreOnePayloads.action(webhookType);
        CanonicalEvent e = single(adapter.adapt(input(webhookType, fixture(fixtureFor(webhookType)))));

        assertThat(e.type()).isEqualTo("lab.coreone." + object + "." + action);
        assertThat(e.entityType()).isEqualTo(object);
        assertThat(e.subject()).isEqualTo("coreone:" + object + ":" + e.entityId());
        assertThat(e.data().get("object").asText()).isEqualTo(object);
        assertThat(e.data().get("action").asText()).isEqualTo(action);
        assertThat(e.data().get("webhook_type").asText()).isEqualTo(webhookType);
        assertThat(e.data().get("known_type").asBoolean()).isTrue();
        assertThat(e.data().get("deleted").asBoolean()).isEqualTo(action.equals("destroy"));
        assertThat(e.deleted()).isEqualTo(action.equals("destroy"));
        assertThat(e.data().get("vendor_payload")).isEqualTo(json(fixture(fixtureFor(webhookType))));
        if (webhookType.equals("instrument/generate_instrument_file")) {
            assertThat(e.entityId()).isEqualTo("Cobas c311");
            assertThat(e.data().get("id_pointer").asText()).isEqualTo("/instrument");
            assertThat(e.version()).isEqualTo(Versions.micros(VendorAdapterTesting.RECEIVED));
            assertThat(e.data().get("version_pointer").asText()).isEqualTo("receipt_time");
            assertThat(e.time()).isEqualTo(VendorAdapterTesting.RECEIVED);
        } else if (webhookType.equals("instrument/request_instrument_file")) {
            assertThat(e.entityId()).isEqualTo("7");
            assertThat(e.data().get("id_pointer").asText()).isEqualTo("/instrument_id");
            assertThat(e.version()).isEqualTo(Versions.micros(VendorAdapterTesting.RECEIVED));
        } else {
            assertThat(e.version()).isEqualTo(action.equals("destroy") ? FIXTURE_VERSION + 1 : FIXTURE_VERSION);
            assertThat(e.time()).isEqualTo(Instant.parse("2021-02-25T21:35:00.123Z"));
            assertThat(e.data().get("id_pointer").asText()).isIn("/id", "/" + object + "/id");
        }
        assertThat(assertValid(schemas, e)).isEqualTo("coreone.schema.json");
    }

    @Test
    void nestedBodiesUseTheObjectNestedPointers() {
        CanonicalEvent e = single(adapter.adapt(input("accession/receive", fixture("coreone/accession.json"))));
        assertThat(e.subject()).isEqualTo("coreone:accession:482913");
        assertThat(e.data().get("id_pointer").asText()).isEqualTo("/accession/id");
        assertThat(e.data().get("version_pointer").asText()).isEqualTo("/accession/updated_at");

        CanonicalEvent invoice = single(adapter.adapt(input("invoice/close", fixture("coreone/invoice.json"))));
        assertThat(invoice.subject()).isEqualTo("coreone:invoice:24410");

        CanonicalEvent dataWrapped = single(adapter.adapt(input("client/update",
                "{\"data\":{\"id\":\"c-9\",\"updated_at\":\"2021-02-25T15:35:00Z\"}}".getBytes(StandardCharsets.UTF_8))));
        assertThat(dataWrapped.subject()).isEqualTo("coreone:client:c-9");
        assertThat(dataWrapped.version()).isEqualTo(Versions.micros(Instant.parse("2021-02-25T15:35:00Z")));
    }

    @Test
    void theHeaderIsMatchedCaseInsensitively() {
        RawInput in = VendorAdapterTesting.input(source, "d", Map.of("x-coreone-webhook-type", " Client/Update "), fixture("coreone/client.json"));
        CanonicalEvent e = single(adapter.adapt(in));
        assertThat(e.type()).isEqualTo("lab.coreone.client.update");
        assertThat(e.data().get("webhook_type").asText()).isEqualTo("client/update");
    }

    @Test
    void sameBodyWithDifferentDeliveryIdsIsOneEvent() {
        byte[] body = fixture("coreone/client.json");
        CanonicalEvent a = single(adapter.adapt(input(source, "delivery-a", "client/update", body)));
        CanonicalEvent b = single(adapter.adapt(input(source, "delivery-b", "client/update", body)));
        assertThat(a.id()).isEqualTo(b.id());
        assertThat(a.deliveryId()).isNotEqualTo(b.deliveryId());
    }

    @Test
    void aBodyWithoutAVersionKeepsItsIdWhenRedeliveredLaterButIsOrderedByReceipt() {
        byte[] body = fixture("coreone/instrument.generate_instrument_file.json");
        Map<String, String> h = Map.of(Headers.COREONE_WEBHOOK_TYPE, "instrument/generate_instrument_file");
        CanonicalEvent first = single(adapter.adapt(new RawInput(source, "d-1", java.time.Instant.parse("2024-01-01T00:00:00Z"), h, body)));
        CanonicalEvent later = single(adapter.adapt(new RawInput(source, "d-2", java.time.Instant.parse("2024-01-03T00:00:00Z"), h, body)));
        assertThat(first.data().get("version_pointer").asText()).isEqualTo("receipt_time");
        assertThat(later.id()).isEqualTo(first.id());
        assertThat(later.version()).isGreaterThan(first.version());
    }

    @Test
    void aDestroyWinsATieWithAnUpdateOfTheSameTimestamp() {
        String ts = "2024-05-01T10:00:00Z";
        byte[] update = ("{\"id\":5,\"name\":\"Acme\",\"updated_at\":\"" + ts + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] destroy = ("{\"id\":5,\"updated_at\":\"" + ts + "\"}").getBytes(StandardCharsets.UTF_8);
        CanonicalEvent u = single(adapter.adapt(input("client/update", update)));
        CanonicalEvent d = single(adapter.adapt(input("client/destroy", destroy)));
        assertThat(d.subject()).isEqualTo(u.subject());
        assertThat(d.version()).isGreaterThan(u.version());
        assertThat(d.deleted()).isTrue();
    }

    @Test
    void aDifferentBodyIsADifferentEventEvenWithTheSameVersion() {
        CanonicalEvent a = single(adapter.adapt(input("client/update", fixture("coreone/client.json"))));
        CanonicalEvent b = single(adapter.adapt(input("client/update", edited("coreone/client.json", n -> n.put("credit_status", "on_hold")))));
        assertThat(a.version()).isEqualTo(b.version());
        assertThat(a.subject()).isEqualTo(b.subject());
        assertThat(a.id()).isNotEqualTo(b.id());
        // whitespace is part of the body: the discriminator is the exact bytes
        byte[] spaced = (new String(fixture("coreone/client.json"), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(single(adapter.adapt(input("client/update", spaced))).id()).isNotEqualTo(a.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"accession_lab_section/destroy", "client/destroy", "clinical_histories/destroy", "comment/destroy"})
    void destroyMarksTheEntityDeleted(String type) {
        CanonicalEvent e = single(adapter.adapt(input(type, fixture(fixtureFor(type)))));
        assertThat(e.deleted()).isTrue();
        assertThat(e.data().get("deleted").asBoolean()).isTrue();
    }

    @Test
    void anUnknownTypePassesThrough() {
        CanonicalEvent e = single(adapter.adapt(input("sample/archive", "{\"id\": 5, \"updated_at\": \"2021-02-25T15:35:00Z\"}".getBytes(StandardCharsets.UTF_8))));
        assertThat(e.type()).isEqualTo("lab.coreone.sample.archive");
        assertThat(e.subject()).isEqualTo("coreone:sample:5");
        assertThat(e.data().get("known_type").asBoolean()).isFalse();
        assertValid(schemas, e);

        CanonicalEvent destroy = single(adapter.adapt(input("accession/destroy", fixture("coreone/accession.json"))));
        assertThat(destroy.deleted()).as("an undocumented destroy still deletes").isTrue();
    }

    @Test
    void customPointersFromTheConfig() {
        LabhooksConfig config = ConfigLoader.parse("""
                sources:
                  - id: coreone-east
                    vendor: coreone
                    timezone: America/Denver
                    auth: {type: hmac-sha256, header: X-Coreone-Webhook-Hash, encoding: hex, secrets: ["s3cret"]}
                    pointers: {entity-id: /record/uuid, version: /record/modified}
                """, "test", Map.of());
        SourceConfig custom = config.source("coreone-east").orElseThrow();
        byte[] body = "{\"id\": 1, \"updated_at\": \"2030-01-01T00:00:00Z\", \"record\": {\"uuid\": \"9f1c\", \"modified\": \"2021-02-25 15:35:00\"}}"
                .getBytes(StandardCharsets.UTF_8);

        CanonicalEvent e = single(adapter.adapt(input(custom, "d", "client/update", body)));

        assertThat(e.subject()).isEqualTo("coreone:client:9f1c");
        assertThat(e.source()).isEqualTo("labhooks/coreone-east");
        // no offset: read in the source's time zone (MST, UTC-7, in February)
        assertThat(e.time()).isEqualTo(Instant.parse("2021-02-25T22:35:00Z"));
        assertThat(e.version()).isEqualTo(Versions.micros(Instant.parse("2021-02-25T22:35:00Z")));
        assertThat(e.data().get("id_pointer").asText()).isEqualTo("/record/uuid");
        assertThat(e.data().get("version_pointer").asText()).isEqualTo("/record/modified");
        assertValid(schemas, e);

        // a configured pointer is the only one tried
        byte[] without = "{\"id\": 1, \"record\": {}}".getBytes(StandardCharsets.UTF_8);
        assertThat(rejection(adapter.adapt(input(custom, "d", "client/update", without))).reason()).isEqualTo(Rejection.Reason.MISSING_ID);
    }

    @Test
    void aNumericVersionIsItselfAndNoVersionIsTheReceiptTime() {
        SourceConfig lockVersion = VendorAdapterTesting.source("coreone", Vendor.COREONE, new Pointers(null, null, null, "/lock_version"));
        CanonicalEvent numbered = single(adapter.adapt(input(lockVersion, "d", "client/update", "{\"id\": 3, \"lock_version\": 12}".getBytes(StandardCharsets.UTF_8))));
        assertThat(numbered.version()).isEqualTo(12);
        assertThat(numbered.time()).isEqualTo(VendorAdapterTesting.RECEIVED);

        CanonicalEvent none = single(adapter.adapt(input("client/update", "{\"id\": 3}".getBytes(StandardCharsets.UTF_8))));
        assertThat(none.version()).isEqualTo(1_714_564_800_123_456L);
        assertThat(none.data().get("version_pointer").asText()).isEqualTo("receipt_time");
        assertValid(schemas, numbered);
        assertValid(schemas, none);
    }

    @Test
    void generatedPayloadsOfEveryTypeAreAccepted() {
        Random r = new Random(7);
        for (String type : CoreOnePayloads.WEBHOOK_TYPES) {
            for (int i = 0; i < 10; i++) {
                long id = 1 + r.nextInt(1_000_000);
                Instant updated = Instant.parse("2024-01-01T00:00:00Z").plusMillis(r.nextInt(1_000_000_000));
                ObjectNode body = CoreOnePayloads.body(type, id, updated, r.nextLong());
                CanonicalEvent e = single(adapter.adapt(input(type, CoreOnePayloads.bytes(body))));
                assertThat(e.type()).isEqualTo("lab.coreone." + type.replace('/', '.'));
                if (!type.startsWith("instrument/") || type.endsWith("fail") || type.endsWith("process")) {
                    assertThat(e.entityId()).isEqualTo(Long.toString(id));
                    assertThat(e.version()).isEqualTo(Versions.micros(updated) + (CoreOnePayloads.action(type).equals("destroy") ? 1 : 0));
                }
                assertValid(schemas, e);
            }
        }
    }

    @Test
    void theSchemaIsStrict() {
        CanonicalEvent e = single(adapter.adapt(input("client/destroy", fixture("coreone/client.json"))));
        ObjectNode notDeleted = new EventCodec().toJson(e);
        ((ObjectNode) notDeleted.get("data")).put("deleted", false);
        assertThat(schemas.validate(notDeleted)).isNotEmpty();
        ObjectNode badType = new EventCodec().toJson(e).put("type", "lab.coreone.client");
        assertThat(schemas.validate(badType)).isNotEmpty();
    }

    // ---- rejections ----

    @Test
    void missingHeaderIsWrongShape() {
        assertThat(rejection(adapter.adapt(input(null, fixture("coreone/client.json")))).reason()).isEqualTo(Rejection.Reason.WRONG_SHAPE);
        assertThat(rejection(adapter.adapt(input("  ", fixture("coreone/client.json")))).reason()).isEqualTo(Rejection.Reason.WRONG_SHAPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"client", "client/", "/update", "client/update/now", "client update", "clïent/update", "client.update"})
    void malformedHeaderIsWrongShape(String header) {
        assertThat(rejection(adapter.adapt(input(header, fixture("coreone/client.json")))).reason()).isEqualTo(Rejection.Reason.WRONG_SHAPE);
    }

    @Test
    void notJsonAndTooLarge() {
        assertThat(rejection(adapter.adapt(input("client/update", "id=5".getBytes(StandardCharsets.UTF_8)))).reason())
                .isEqualTo(Rejection.Reason.NOT_JSON);
        SourceConfig small = VendorAdapterTesting.smallSource("coreone", Vendor.COREONE, 50, null);
        assertThat(rejection(adapter.adapt(input(small, "d", "client/update", fixture("coreone/client.json")))).reason())
                .isEqualTo(Rejection.Reason.TOO_LARGE);
    }

    @Test
    void noIdIsMissingId() {
        Rejection r = rejection(adapter.adapt(input("client/update", "{\"name\": {\"first\": \"x\"}, \"updated_at\": \"2021-02-25T15:35:00Z\"}"
                .getBytes(StandardCharsets.UTF_8))));
        assertThat(r.reason()).isEqualTo(Rejection.Reason.MISSING_ID);
        assertThat(r.message()).contains("/id", "/client/id", "/client_id");
        assertThat(rejection(adapter.adapt(input("client/update", edited("coreone/client.json", b -> b.put("id", ""))))).reason())
                .as("an empty id is skipped, and nothing else names the client").isEqualTo(Rejection.Reason.MISSING_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"yesterday\"", "\"2021-02-30T10:00:00Z\"", "1.5", "true", "\"+10000-01-01T00:00:00Z\"", "\"99999999999999999999\""})
    void unparseableVersionIsBadVersion(String updatedAt) {
        byte[] body = ("{\"id\": 5, \"updated_at\": " + updatedAt + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(rejection(adapter.adapt(input("client/update", body))).reason()).isEqualTo(Rejection.Reason.BAD_VERSION);
    }

    @Test
    void wrongShapes() {
        Map<String, Consumer<ObjectNode>> edits = new LinkedHashMap<>();
        edits.put("updated_at is an object", b -> b.putObject("updated_at").put("at", "2021-02-25T15:35:00Z"));
        edits.put("updated_at is an array", b -> b.putArray("updated_at"));
        edits.put("id is too long", b -> b.put("id", "9".repeat(600)));
        edits.put("id has a newline", b -> b.put("id", "5\n6"));
        edits.forEach((what, edit) -> assertThat(rejection(adapter.adapt(input("client/update", edited("coreone/client.json", edit))))
                .reason()).as(what).isEqualTo(Rejection.Reason.WRONG_SHAPE));
        SourceConfig idIsAnObject = VendorAdapterTesting.source("coreone", Vendor.COREONE, new Pointers(null, null, "/record", null));
        assertThat(rejection(adapter.adapt(input(idIsAnObject, "d", "client/update", "{\"record\": {\"id\": 1}}".getBytes(StandardCharsets.UTF_8))))
                .reason()).isEqualTo(Rejection.Reason.WRONG_SHAPE);
        assertThat(rejection(adapter.adapt(input("client/update", "[{\"id\": 1}]".getBytes(StandardCharsets.UTF_8)))).reason())
                .isEqualTo(Rejection.Reason.WRONG_SHAPE);
    }

    // ---- fuzz ----

    @Test
    void fuzzedFixturesAndHeadersNeverThrow() {
        List<String> headers = new ArrayList<>(DOCUMENTED);
        headers.addAll(List.of("", " ", "client", "a/b/c", "ACCESSION/RECEIVE", " client/update ", "x/destroy", "accession/", "/receive",
                "ä/ö", "a".repeat(70) + "/b", "client/update\n", "sample/archive"));
        headers.add(null);
        List<Pointers> pointers = List.of(Pointers.DEFAULTS, new Pointers(null, null, "/record/uuid", "/record/modified"),
                new Pointers(null, null, "/", "/"), new Pointers(null, null, "/0", "/id"), new Pointers(null, null, "/~1x", "/~2"),
                new Pointers(null, null, "/id", "/created_at"));
        List<String> interesting = List.of("client/update", "2021-02-25 15:35:00 -0600", "2021-02-25T15:35:00", "1614288900");
        Random r = new Random(99);
        List<RawInput> inputs = new ArrayList<>();
        long seed = 1000;
        List<String> fixtures = DOCUMENTED.stream().map(CoreOneAdapterTest::fixtureFor).distinct().toList();
        for (String f : fixtures) {
            for (byte[] body : VendorAdapterTesting.mutations(fixture(f), seed++, 2_000, interesting)) {
                String header = r.nextInt(4) == 0 ? headers.get(r.nextInt(headers.size())) : DOCUMENTED.get(r.nextInt(DOCUMENTED.size()));
                SourceConfig s = r.nextInt(5) == 0
                        ? VendorAdapterTesting.source("coreone", Vendor.COREONE, pointers.get(r.nextInt(pointers.size()))) : source;
                inputs.add(input(s, "d-" + r.nextInt(5), header, body));
            }
        }
        int accepted = VendorAdapterTesting.fuzz(adapter, inputs, schemas, VendorAdapterTesting::describe);
        assertThat(accepted).isBetween(1, inputs.size() - 1);
    }
}
