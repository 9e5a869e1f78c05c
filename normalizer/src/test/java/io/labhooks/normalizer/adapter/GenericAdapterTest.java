package io.labhooks.normalizer.adapter;

import static io.labhooks.normalizer.adapter.VendorAdapterTesting.assertValid;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.fixture;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.fixtureText;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.input;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.json;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.rejection;
import static io.labhooks.normalizer.adapter.VendorAdapterTesting.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.config.AuthConfig;
import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import io.labhooks.config.Pointers;
import io.labhooks.config.SourceConfig;
import io.labhooks.config.Vendor;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.schemas.events.EventIds;
import io.labhooks.testkit.EventSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenericAdapterTest {
    private final GenericAdapter adapter = new GenericAdapter(new Json());
    private final EventSchemas schemas = new EventSchemas();
    private final SourceConfig acme = ConfigLoader.parse(fixtureText("generic/acme.yaml"), "acme.yaml", Map.of())
            .source("acme").orElseThrow();

    private static SourceConfig pointers(String eventType, String entityType, String entityId, String version) {
        return VendorAdapterTesting.source("labx", Vendor.GENERIC, new Pointers(eventType, entityType, entityId, version));
    }

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aVendorNoOneHasCodedIsAddedThroughConfigAlone() {
        assertThat(acme.vendor()).isEqualTo(Vendor.GENERIC);
        assertThat(acme.pointers()).isEqualTo(new Pointers("/event", "/kind", "/sample/uid", "/sample/modified"));

        CanonicalEvent e = single(adapter.adapt(input(acme, fixture("generic/acme.sample.resulted.json"))));

        assertThat(e.type()).isEqualTo("lab.generic.sample.resulted");
        assertThat(e.vendor()).isEqualTo("generic");
        assertThat(e.source()).isEqualTo("labhooks/acme");
        assertThat(e.entityType()).isEqualTo("sample");
        assertThat(e.entityId()).isEqualTo("acme:S-2024-000731");
        assertThat(e.subject()).isEqualTo("generic:sample:acme:S-2024-000731").isEqualTo(GenericAdapter.entityKey("acme", "sample", "S-2024-000731"));
        assertThat(e.version()).isEqualTo(Versions.micros(Instant.parse("2024-03-05T10:15:30.250Z")));
        assertThat(e.time()).isEqualTo(Instant.parse("2024-03-05T10:15:30.250Z"));
        assertThat(e.data().get("id").asText()).isEqualTo("S-2024-000731");
        assertThat(e.data().get("event_type").asText()).isEqualTo("sample.resulted");
        assertThat(e.data().get("vendor_payload")).isEqualTo(json(fixture("generic/acme.sample.resulted.json")));
        assertThat(assertValid(schemas, e)).isEqualTo("generic.schema.json");
    }

    @Test
    void theDiscriminatorIsTheBodyHash() {
        byte[] b = fixture("generic/acme.sample.resulted.json");
        CanonicalEvent a = single(adapter.adapt(input(acme, "d-1", Map.of(), b)));
        CanonicalEvent again = single(adapter.adapt(input(acme, "d-2", Map.of(), b)));
        assertThat(again.id()).isEqualTo(a.id());
        assertThat(a.id()).isEqualTo(EventIds.of("generic", a.subject(), a.type(), a.version(), EventIds.sha256Hex(b)));
        byte[] changed = fixtureText("generic/acme.sample.resulted.json").replace("0.21", "0.22").getBytes(StandardCharsets.UTF_8);
        assertThat(single(adapter.adapt(input(acme, changed))).id()).isNotEqualTo(a.id());
    }

    @Test
    void defaultEntityTypeAndNumericVersion() {
        SourceConfig s = pointers("/type", null, "/id", "/rev");
        CanonicalEvent e = single(adapter.adapt(input(s, body("{\"type\": \"order.paid\", \"id\": 77, \"rev\": 5}"))));
        assertThat(e.entityType()).isEqualTo(GenericAdapter.DEFAULT_ENTITY_TYPE);
        assertThat(e.subject()).isEqualTo("generic:entity:labx:77");
        assertThat(e.version()).isEqualTo(5);
        assertThat(e.time()).isEqualTo(VendorAdapterTesting.RECEIVED);
        assertValid(schemas, e);
    }

    @Test
    void noVersionPointerOrNoValueIsTheReceiptTime() {
        long receipt = Versions.micros(VendorAdapterTesting.RECEIVED);
        assertThat(single(adapter.adapt(input(pointers("/type", null, "/id", null), body("{\"type\": \"x\", \"id\": 1}")))).version())
                .isEqualTo(receipt);
        CanonicalEvent e = single(adapter.adapt(input(pointers("/type", null, "/id", "/v"), body("{\"type\": \"x\", \"id\": 1, \"v\": null}"))));
        assertThat(e.version()).isEqualTo(receipt);
        assertThat(e.data().get("version_from").asText()).isEqualTo("receipt_time");
    }

    @Test
    void timestampWithoutOffsetIsReadInTheSourceTimeZone() {
        SourceConfig denver = new SourceConfig("labx", Vendor.GENERIC, java.time.ZoneId.of("America/Denver"), SourceConfig.DEFAULT_MAX_BODY_BYTES,
                AuthConfig.none(), Optional.empty(), new Pointers("/type", null, "/id", "/at"));
        CanonicalEvent e = single(adapter.adapt(input(denver, body("{\"type\": \"x\", \"id\": 1, \"at\": \"2024-07-01T08:00:00\"}"))));
        assertThat(e.time()).isEqualTo(Instant.parse("2024-07-01T14:00:00Z"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "2021-02-25T15:35:00Z              | 2021-02-25T15:35:00Z",
            "2021-02-25T15:35:00.123456789Z    | 2021-02-25T15:35:00.123456789Z",
            "2021-02-25T15:35:00.123-06:00     | 2021-02-25T21:35:00.123Z",
            "2021-02-25 15:35:00 -0600         | 2021-02-25T21:35:00Z",
            "2021-02-25 15:35:00+0100          | 2021-02-25T14:35:00Z",
            "2021-02-25 15:35:00 UTC           | 2021-02-25T15:35:00Z",
            "2021-02-25T15:35:00               | 2021-02-25T15:35:00Z",
            "2021-02-25T15:35                  | 2021-02-25T15:35:00Z",
            "2021-02-25                        | 2021-02-25T00:00:00Z",
            "2021-02-25T15:35:00+01:00[Europe/London] | 2021-02-25T14:35:00Z"})
    void acceptedTimestampFormats(String text, String expected) {
        CanonicalEvent e = single(adapter.adapt(input(pointers("/type", null, "/id", "/at"),
                body("{\"type\": \"x\", \"id\": 1, \"at\": \"" + text + "\"}"))));
        assertThat(e.time()).as("the vendor's time, at full precision").isEqualTo(Instant.parse(expected));
        assertThat(e.version()).as("epoch micros").isEqualTo(Versions.micros(Instant.parse(expected)));
    }

    @Test
    void oddEventAndEntityTypesAreMadeSafe() {
        CanonicalEvent e = single(adapter.adapt(input(pointers("/t", "/k", "/id", null),
                body("{\"t\": \"Result Ready!\", \"k\": \"lab sample:x\", \"id\": \"a\"}"))));
        assertThat(e.type()).isEqualTo("lab.generic.Result_Ready_");
        assertThat(e.entityType()).isEqualTo("lab_sample_x");
        assertValid(schemas, e);
    }

    @Test
    void twoGenericSourcesNeverShareAnEntity() {
        SourceConfig one = VendorAdapterTesting.source("one", Vendor.GENERIC, new Pointers("/t", null, "/id", null));
        SourceConfig two = VendorAdapterTesting.source("two", Vendor.GENERIC, new Pointers("/t", null, "/id", null));
        byte[] b = body("{\"t\": \"x\", \"id\": 1}");
        assertThat(single(adapter.adapt(input(one, b))).subject()).isNotEqualTo(single(adapter.adapt(input(two, b))).subject());
    }

    // ---- rejections ----

    @Test
    void notJsonAndTooLarge() {
        assertThat(rejection(adapter.adapt(input(acme, body("<xml/>")))).reason()).isEqualTo(Rejection.Reason.NOT_JSON);
        SourceConfig small = VendorAdapterTesting.smallSource("labx", Vendor.GENERIC, 10, new Pointers("/t", null, "/id", null));
        assertThat(rejection(adapter.adapt(input(small, fixture("generic/acme.sample.resulted.json")))).reason())
                .isEqualTo(Rejection.Reason.TOO_LARGE);
    }

    @Test
    void missingId() {
        assertThat(rejection(adapter.adapt(input(acme, body("{\"event\": \"sample.resulted\", \"sample\": {}}")))).reason())
                .isEqualTo(Rejection.Reason.MISSING_ID);
        assertThat(rejection(adapter.adapt(input(acme, body("{\"event\": \"sample.resulted\", \"sample\": {\"uid\": \"\"}}")))).reason())
                .isEqualTo(Rejection.Reason.MISSING_ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"soon\"", "1.25", "false", "\"2024-02-30T00:00:00Z\"", "\"99999999999999999999\""})
    void badVersion(String version) {
        byte[] b = body("{\"event\": \"sample.resulted\", \"sample\": {\"uid\": \"S-1\", \"modified\": " + version + "}}");
        assertThat(rejection(adapter.adapt(input(acme, b))).reason()).isEqualTo(Rejection.Reason.BAD_VERSION);
    }

    @Test
    void wrongShape() {
        assertThat(rejection(adapter.adapt(input(acme, body("{\"sample\": {\"uid\": \"S-1\"}}")))).reason())
                .as("no event type").isEqualTo(Rejection.Reason.WRONG_SHAPE);
        assertThat(rejection(adapter.adapt(input(acme, body("{\"event\": {\"n\": 1}, \"sample\": {\"uid\": \"S-1\"}}")))).reason())
                .as("event type is an object").isEqualTo(Rejection.Reason.WRONG_SHAPE);
        assertThat(rejection(adapter.adapt(input(acme, body("{\"event\": \"e\", \"sample\": {\"uid\": [1]}}")))).reason())
                .as("id is an array").isEqualTo(Rejection.Reason.WRONG_SHAPE);
        assertThat(rejection(adapter.adapt(input(acme, body("{\"event\": \"e\", \"sample\": {\"uid\": 1, \"modified\": {}}}")))).reason())
                .as("version is an object").isEqualTo(Rejection.Reason.WRONG_SHAPE);
        assertThat(rejection(adapter.adapt(input(acme, body("\"just a string\"")))).reason()).isEqualTo(Rejection.Reason.WRONG_SHAPE);
        SourceConfig unconfigured = VendorAdapterTesting.source("labx", Vendor.GENERIC);
        assertThat(rejection(adapter.adapt(input(unconfigured, body("{}")))).reason())
                .as("a source built without pointers").isEqualTo(Rejection.Reason.WRONG_SHAPE);
    }

    @Test
    void theConfigLoaderInsistsOnTheTwoRequiredPointers() {
        String yaml = """
                sources:
                  - {id: bad, vendor: generic, auth: {type: none}, pointers: {entity-id: /id}}
                """;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse(yaml, "t", Map.of()))
                .hasMessageContaining("pointers.event-type");
    }

    // ---- fuzz ----

    @Test
    void fuzzedBodiesAndPointersNeverThrow() {
        List<SourceConfig> sources = List.of(acme, pointers("/event", null, "/sample/uid", null), pointers("/", "/", "/", "/"),
                pointers("/sample/results/0/analyte", "/sample/results", "/sample/results/0/value", "/sample/results/0/value"),
                pointers("/~1x", "/~2", "/0", "/kind"), pointers("/event", "/event", "/kind", "/sample/status"));
        List<String> interesting = List.of("sample.resulted", "S-2024-000731", "2024-03-05T10:15:30.250Z", "sample");
        Random r = new Random(5);
        List<RawInput> inputs = new ArrayList<>();
        for (byte[] b : VendorAdapterTesting.mutations(fixture("generic/acme.sample.resulted.json"), 77, 2_000, interesting)) {
            inputs.add(input(r.nextInt(3) == 0 ? sources.get(r.nextInt(sources.size())) : acme, b));
        }
        int accepted = VendorAdapterTesting.fuzz(adapter, inputs, schemas, VendorAdapterTesting::describe);
        assertThat(accepted).isBetween(1, inputs.size() - 1);
    }
}
