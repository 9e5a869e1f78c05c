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
import io.labhooks.schemas.events.EventIds;
import io.labhooks.testkit.EventSchemas;
import io.labhooks.testkit.payloads.FlabsPayloads;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlabsAdapterTest {
    private static final String KEY = "flabs:bill:lab_67890:bill_12345";
    private final SourceConfig source = VendorAdapterTesting.source("flabs", Vendor.FLABS);
    private final FlabsAdapter adapter = new FlabsAdapter(new Json());
    private final EventSchemas schemas = new EventSchemas();

    private CanonicalEvent adaptOne(byte[] body) {
        return single(adapter.adapt(input(source, body)));
    }

    private byte[] edited(String fixture, Consumer<ObjectNode> edit) {
        ObjectNode body = json(fixture(fixture));
        edit.accept(body);
        return bytes(body);
    }

    @ParameterizedTest
    @CsvSource({
            "bill.created,     1705740000, 1",
            "report.completed, 1705745000, 2",
            "bill.completed,   1705747800, 3",
            "bill.deleted,     1705750000, 4"})
    void everyBillEventOfTheDocument(String eventType, long eventTime, int rank) {
        CanonicalEvent e = adaptOne(fixture("flabs/" + eventType + ".json"));

        assertThat(e.type()).isEqualTo("lab.flabs." + eventType);
        assertThat(e.subject()).isEqualTo(KEY);
        assertThat(e.entityType()).isEqualTo("bill");
        assertThat(e.entityId()).isEqualTo("lab_67890:bill_12345");
        assertThat(e.vendor()).isEqualTo("flabs");
        assertThat(e.source()).isEqualTo("labhooks/flabs");
        assertThat(e.version()).isEqualTo(eventTime * 1000 + rank);
        assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(eventTime));
        assertThat(e.receivedAt()).isEqualTo(VendorAdapterTesting.RECEIVED);
        assertThat(e.deliveryId()).isEqualTo("delivery-1");
        assertThat(e.data().get("lab_id").asText()).isEqualTo("lab_67890");
        assertThat(e.data().get("bill_id").asText()).isEqualTo("bill_12345");
        assertThat(e.data().get("integrator_id").asText()).isEqualTo("your_unique_integrator_id");
        assertThat(e.data().get("deleted").asBoolean()).isEqualTo(eventType.equals("bill.deleted"));
        assertThat(e.deleted()).isEqualTo(eventType.equals("bill.deleted"));
        assertThat(e.data().get("vendor_payload")).isEqualTo(json(fixture("flabs/" + eventType + ".json")));
        assertThat(assertValid(schemas, e)).isEqualTo("flabs.bill.schema.json");
    }

    @Test
    void billCompletedCarriesTheDocumentedFields() {
        CanonicalEvent e = adaptOne(fixture("flabs/bill.completed.json"));

        assertThat(e.data().get("status").asText()).isEqualTo("completed");
        assertThat(e.data().get("report_url").asText()).isEqualTo("https://reports.flabs.in/bill/bill_12345");
        assertThat(e.data().get("tests").toString())
                .isEqualTo("[{\"id\":\"test_001\",\"status\":\"completed\"},{\"id\":\"test_002\",\"status\":\"completed\"}]");
        assertThat(e.id()).isEqualTo(EventIds.of("flabs", KEY, "lab.flabs.bill.completed", 1705747800L * 1000 + 3, ""));
    }

    @Test
    void inTheSameSecondTheLifecycleOrdersCreatedReportCompletedDeleted() {
        List<Long> versions = new ArrayList<>();
        for (String type : FlabsPayloads.BILL_EVENTS) {
            versions.add(adaptOne(FlabsPayloads.bytes(FlabsPayloads.event(type, "lab_1", "bill_1", 1_705_747_800L, 9))).version());
        }
        assertThat(versions).isSorted().doesNotHaveDuplicates();
        assertThat(versions.get(0)).isEqualTo(1_705_747_800_001L);
        assertThat(versions.get(3)).isEqualTo(1_705_747_800_004L);
        // a later second beats every rank of an earlier second
        long nextSecondCreated = adaptOne(FlabsPayloads.bytes(FlabsPayloads.billCreated("lab_1", "bill_1", 1_705_747_801L, 9))).version();
        assertThat(nextSecondCreated).isGreaterThan(versions.get(3));
    }

    @Test
    void reportCompletedIsOneEventPerReport() {
        long seed = 3; // a bill with several tests
        while (FlabsPayloads.testCount(seed) < 2) {
            seed++;
        }
        long t = 1_705_745_000L;
        CanonicalEvent first = adaptOne(FlabsPayloads.bytes(FlabsPayloads.reportCompleted("lab_1", "bill_1", t, 0, seed)));
        CanonicalEvent second = adaptOne(FlabsPayloads.bytes(FlabsPayloads.reportCompleted("lab_1", "bill_1", t, 1, seed)));
        CanonicalEvent firstAgain = single(adapter.adapt(input(source, "delivery-2", Map.of(),
                FlabsPayloads.bytes(FlabsPayloads.reportCompleted("lab_1", "bill_1", t, 0, seed)))));

        assertThat(first.version()).isEqualTo(second.version());
        assertThat(first.id()).isNotEqualTo(second.id());
        assertThat(firstAgain.id()).isEqualTo(first.id());
        assertThat(firstAgain.deliveryId()).isEqualTo("delivery-2");
    }

    @Test
    void reportsWithTheSameUrlAreStillTellApartByTheirTests() {
        byte[] one = edited("flabs/report.completed.json", b -> ((ObjectNode) b.get("data")).put("reportURL", "https://reports.flabs.in/bill/bill_12345"));
        byte[] two = edited("flabs/report.completed.json", b -> {
            ((ObjectNode) b.get("data")).put("reportURL", "https://reports.flabs.in/bill/bill_12345");
            ((ObjectNode) b.at("/data/billData/testData/1")).put("status", "completed");
        });
        byte[] oneReordered = edited("flabs/report.completed.json", b -> {
            ((ObjectNode) b.get("data")).put("reportURL", "https://reports.flabs.in/bill/bill_12345");
            var tests = (com.fasterxml.jackson.databind.node.ArrayNode) b.at("/data/billData/testData");
            tests.add(tests.remove(0));
        });

        assertThat(adaptOne(one).id()).isNotEqualTo(adaptOne(two).id());
        assertThat(adaptOne(oneReordered).id()).as("test order does not matter").isEqualTo(adaptOne(one).id());
    }

    @Test
    void otherBillEventsDoNotDependOnTheDelivery() {
        CanonicalEvent a = adaptOne(fixture("flabs/bill.completed.json"));
        CanonicalEvent b = single(adapter.adapt(input(source, "another-delivery", Map.of(), fixture("flabs/bill.completed.json"))));
        assertThat(b.id()).isEqualTo(a.id());
    }

    @Test
    void billDeletedMarksTheEntityDeleted() {
        CanonicalEvent e = adaptOne(fixture("flabs/bill.deleted.json"));
        assertThat(e.data().get("deleted").asBoolean()).isTrue();
        assertThat(e.deleted()).isTrue();
        assertThat(e.data().get("tests")).isEmpty();
    }

    @Test
    void leadCreatedPassesThroughGenerically() {
        CanonicalEvent e = adaptOne(fixture("flabs/lead.created.json"));

        assertThat(e.type()).isEqualTo("lab.flabs.lead.created");
        assertThat(e.subject()).isEqualTo("flabs:lead:lab_67890:lead_555");
        assertThat(e.entityType()).isEqualTo("lead");
        assertThat(e.version()).isEqualTo(1_705_730_000_000L);
        assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(1_705_730_000L));
        assertThat(e.data().get("event_type").asText()).isEqualTo("lead.created");
        assertThat(e.data().get("id_from").asText()).isEqualTo("data");
        assertThat(assertValid(schemas, e)).isEqualTo("generic.schema.json");
    }

    @Test
    void bookingCreatedPassesThroughGenerically() {
        CanonicalEvent e = adaptOne(fixture("flabs/booking.created.json"));

        assertThat(e.type()).isEqualTo("lab.flabs.booking.created");
        assertThat(e.subject()).isEqualTo("flabs:booking:lab_67890:booking_9001");
        assertThat(assertValid(schemas, e)).isEqualTo("generic.schema.json");
    }

    @Test
    void passThroughWithoutAnIdIsKeyedByTheBodyHash() {
        byte[] body = edited("flabs/lead.created.json", b -> ((ObjectNode) b.get("data")).remove("leadID"));
        CanonicalEvent e = adaptOne(body);

        assertThat(e.subject()).isEqualTo("flabs:lead:lab_67890:sha256-" + EventIds.sha256Hex(body));
        assertThat(e.data().get("id_from").asText()).isEqualTo("body_hash");
        assertThat(adaptOne(body).id()).isEqualTo(e.id());
        assertValid(schemas, e);
    }

    @Test
    void passThroughWithoutEventTimeHasVersionZeroAndTheReceiptTime() {
        CanonicalEvent e = adaptOne(edited("flabs/lead.created.json", b -> b.remove("eventTime")));
        assertThat(e.version()).isZero();
        assertThat(e.time()).isEqualTo(VendorAdapterTesting.RECEIVED);
        assertValid(schemas, e);
    }

    @Test
    void anUnknownEventTypeIsNeverAnError() {
        CanonicalEvent e = adaptOne(fixture("flabs/unknown.event.json"));

        assertThat(e.type()).isEqualTo("lab.flabs.patient.merged");
        assertThat(e.subject()).isEqualTo("flabs:patient:lab_67890:pat_42");
        assertThat(assertValid(schemas, e)).isEqualTo("generic.schema.json");
    }

    @Test
    void anUnknownEventTypeWithOddCharactersIsMadeSafe() {
        CanonicalEvent e = adaptOne(edited("flabs/unknown.event.json", b -> b.put("eventType", "Sample Collected/ü")));
        assertThat(e.type()).isEqualTo("lab.flabs.Sample_Collected__");
        assertValid(schemas, e);
    }

    @Test
    void aLaterBillEventIsKeyedOnTheBillWithRankZero() {
        CanonicalEvent e = adaptOne(edited("flabs/bill.completed.json", b -> b.put("eventType", "bill.updated")));

        assertThat(e.type()).isEqualTo("lab.flabs.bill.updated");
        assertThat(e.subject()).isEqualTo(KEY);
        assertThat(e.version()).isEqualTo(1_705_747_800_000L);
        assertThat(assertValid(schemas, e)).isEqualTo("flabs.bill.schema.json");
    }

    @Test
    void numericIdsAndANumericStringEventTimeAreAccepted() {
        CanonicalEvent e = adaptOne(edited("flabs/bill.created.json", b -> {
            b.put("labID", 17);
            b.put("eventTime", "1705740000");
            ((ObjectNode) b.get("data")).put("billID", 9001);
        }));
        assertThat(e.subject()).isEqualTo("flabs:bill:17:9001");
        assertThat(e.version()).isEqualTo(1_705_740_000_001L);
        assertValid(schemas, e);
    }

    @Test
    void generatedPayloadsOfEveryEventAreAccepted() {
        for (String type : List.of("bill.created", "report.completed", "bill.completed", "bill.deleted", "lead.created", "booking.created")) {
            for (long seed = 0; seed < 20; seed++) {
                CanonicalEvent e = adaptOne(FlabsPayloads.bytes(FlabsPayloads.event(type, "lab_" + seed, "id_" + seed, 1_700_000_000L + seed, seed)));
                assertThat(e.type()).isEqualTo("lab.flabs." + type);
                assertValid(schemas, e);
            }
        }
    }

    @Test
    void theSchemaIsStrict() {
        CanonicalEvent e = adaptOne(fixture("flabs/bill.deleted.json"));
        ObjectNode notDeleted = new io.labhooks.schemas.events.EventCodec().toJson(e);
        ((ObjectNode) notDeleted.get("data")).put("deleted", false);
        assertThat(schemas.validate(notDeleted)).isNotEmpty();
        ObjectNode noBill = new io.labhooks.schemas.events.EventCodec().toJson(e);
        ((ObjectNode) noBill.get("data")).remove("bill_id");
        assertThat(schemas.validate(noBill)).isNotEmpty();
        ObjectNode wrongSubject = new io.labhooks.schemas.events.EventCodec().toJson(e).put("subject", "flabs:lead:x:y");
        assertThat(schemas.validate(wrongSubject)).isNotEmpty();
    }

    // ---- rejections ----

    @Test
    void notJson() {
        Rejection r = rejection(adapter.adapt(input(source, "labID=1&eventType=bill.created".getBytes(StandardCharsets.UTF_8))));
        assertThat(r.reason()).isEqualTo(Rejection.Reason.NOT_JSON);
    }

    @Test
    void tooLarge() {
        SourceConfig small = VendorAdapterTesting.smallSource("flabs", Vendor.FLABS, 64, null);
        assertThat(rejection(adapter.adapt(input(small, fixture("flabs/bill.completed.json")))).reason()).isEqualTo(Rejection.Reason.TOO_LARGE);
        byte[] deep = ("{\"labID\":" + "[".repeat(100) + "]".repeat(100) + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(rejection(adapter.adapt(input(source, deep))).reason()).isEqualTo(Rejection.Reason.TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bill.created", "report.completed", "bill.completed", "bill.deleted"})
    void missingBillId(String eventType) {
        byte[] body = edited("flabs/" + eventType + ".json", b -> ((ObjectNode) b.get("data")).remove("billID"));
        Rejection r = rejection(adapter.adapt(input(source, body)));
        assertThat(r.reason()).isEqualTo(Rejection.Reason.MISSING_ID);
        assertThat(r.message()).contains("billID");
    }

    @Test
    void missingLabIdOrEmptyBillId() {
        assertThat(rejection(adapter.adapt(input(source, edited("flabs/bill.created.json", b -> b.remove("labID"))))).reason())
                .isEqualTo(Rejection.Reason.MISSING_ID);
        assertThat(rejection(adapter.adapt(input(source, edited("flabs/bill.created.json",
                b -> ((ObjectNode) b.get("data")).put("billID", "  "))))).reason()).isEqualTo(Rejection.Reason.MISSING_ID);
        assertThat(rejection(adapter.adapt(input(source, edited("flabs/bill.created.json", b -> b.remove("data"))))).reason())
                .isEqualTo(Rejection.Reason.MISSING_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"yesterday\"", "1705747800.5", "-1", "true", "253402300800", "99999999999999999999"})
    void eventTimeThatIsNotWholeSecondsIsBadVersion(String eventTime) {
        String body = new String(fixture("flabs/bill.completed.json"), StandardCharsets.UTF_8).replace("1705747800", eventTime);
        Rejection r = rejection(adapter.adapt(input(source, body.getBytes(StandardCharsets.UTF_8))));
        assertThat(r.reason()).isEqualTo(Rejection.Reason.BAD_VERSION);
    }

    @Test
    void billEventWithoutEventTimeIsBadVersion() {
        assertThat(rejection(adapter.adapt(input(source, edited("flabs/bill.created.json", b -> b.remove("eventTime"))))).reason())
                .isEqualTo(Rejection.Reason.BAD_VERSION);
    }

    @Test
    void wrongShape() {
        Map<String, Consumer<ObjectNode>> edits = new LinkedHashMap<>();
        edits.put("data is a string", b -> b.put("data", "oops"));
        edits.put("eventTime is an object", b -> b.putObject("eventTime").put("seconds", 1705747800));
        edits.put("eventTime is an array", b -> b.putArray("eventTime").add(1705747800));
        edits.put("eventType is an object", b -> b.putObject("eventType").put("name", "bill.completed"));
        edits.put("eventType is missing", b -> b.remove("eventType"));
        edits.put("eventType is empty", b -> b.put("eventType", " "));
        edits.put("labID is an object", b -> b.putObject("labID"));
        edits.put("billID is an array", b -> ((ObjectNode) b.get("data")).putArray("billID").add("bill_12345"));
        edits.put("billData is a number", b -> ((ObjectNode) b.get("data")).put("billData", 5));
        edits.put("testData is an object", b -> ((ObjectNode) b.at("/data/billData")).putObject("testData"));
        edits.put("testData holds a string", b -> ((com.fasterxml.jackson.databind.node.ArrayNode) b.at("/data/billData/testData")).add("t"));
        edits.put("a test id is an object", b -> ((ObjectNode) b.at("/data/billData/testData/0")).putObject("_id"));
        edits.put("reportURL is an array", b -> ((ObjectNode) b.get("data")).putArray("reportURL"));
        edits.put("billID has a newline", b -> ((ObjectNode) b.get("data")).put("billID", "bill\n12345"));
        edits.forEach((what, edit) -> assertThat(rejection(adapter.adapt(input(source, edited("flabs/bill.completed.json", edit))))
                .reason()).as(what).isEqualTo(Rejection.Reason.WRONG_SHAPE));
    }

    @Test
    void bodyThatIsNotAnObject() {
        assertThat(rejection(adapter.adapt(input(source, "[1,2]".getBytes(StandardCharsets.UTF_8)))).reason())
                .isEqualTo(Rejection.Reason.WRONG_SHAPE);
    }

    // ---- fuzz ----

    @Test
    void fuzzedFixturesNeverThrow() {
        List<String> interesting = List.of("bill.created", "bill.completed", "bill.deleted", "report.completed", "lead.created",
                "booking.created", "bill", "report.", ".x", "bill.", "lab_67890", "bill_12345");
        List<RawInput> inputs = new ArrayList<>();
        long seed = 20240501;
        for (String f : List.of("bill.created", "report.completed", "bill.completed", "bill.deleted", "lead.created",
                "booking.created", "unknown.event")) {
            for (byte[] body : VendorAdapterTesting.mutations(fixture("flabs/" + f + ".json"), seed++, 2_000, interesting)) {
                inputs.add(input(source, body));
            }
        }
        int accepted = VendorAdapterTesting.fuzz(adapter, inputs, schemas, VendorAdapterTesting::describe);
        assertThat(accepted).as("some mutations still make events").isBetween(1, inputs.size() - 1);
    }

    @Test
    void eventsListIsNotEmptyForEveryFixture() {
        for (String f : List.of("bill.created", "report.completed", "bill.completed", "bill.deleted", "lead.created",
                "booking.created", "unknown.event")) {
            assertThat(events(adapter.adapt(input(source, fixture("flabs/" + f + ".json"))))).hasSize(1);
        }
    }
}
