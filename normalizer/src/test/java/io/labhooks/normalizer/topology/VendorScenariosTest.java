package io.labhooks.normalizer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.testkit.EventSchemas;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import io.labhooks.testkit.payloads.CoreOnePayloads;
import io.labhooks.testkit.payloads.FlabsPayloads;
import io.labhooks.testkit.payloads.LmlPayloads;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scenarios, per vendor, through the whole topology with the real adapters. */
class VendorScenariosTest {
    static final String SOURCES = """
              - {id: confident, vendor: confident, timezone: UTC, auth: {type: none}}
              - {id: flabs, vendor: flabs, auth: {type: none}}
              - {id: lml, vendor: lml, auth: {type: none}}
              - {id: coreone, vendor: coreone, auth: {type: none}}
            """;

    TopologyFixture f;
    final List<CanonicalEvent> emitted = new ArrayList<>();
    final EventSchemas schemas = new EventSchemas();

    @BeforeEach
    void start() throws Exception {
        f = new TopologyFixture(SOURCES, new Adapters()::forSource, NormalizerMetrics.NONE);
    }

    @AfterEach
    void everyEmittedEventValidatesAgainstItsSchema() throws Exception {
        try {
            emitted.addAll(f.readEvents());
            for (CanonicalEvent e : emitted) {
                assertThat(schemas.validate(f.codec.toJson(e))).as(e.toString()).isEmpty();
            }
        } finally {
            f.close();
        }
    }

    List<CanonicalEvent> events() {
        List<CanonicalEvent> e = f.readEvents();
        emitted.addAll(e);
        return e;
    }

    static String json(ObjectNode n) {
        return new String(FlabsPayloads.bytes(n), StandardCharsets.UTF_8);
    }

    @Test
    void theSameDeliveryPostedThreeTimesGivesOneEventForEveryVendor() {
        String confident = json(ConfidentPayloads.panel("S-1", Instant.parse("2024-05-01T10:00:00Z"), 1));
        String flabs = json(FlabsPayloads.billCreated("lab_1", "bill_1", 1_705_747_800L, 1));
        String lml = json(LmlPayloads.testRegistrationComplete("reg-1"));
        String coreone = json(CoreOnePayloads.body("client/update", 7, Instant.parse("2024-05-01T10:00:00Z"), 1));
        for (int i = 0; i < 3; i++) {
            f.send("confident", confident);
            f.send("flabs", flabs);
            f.send("lml", lml);
            f.send("coreone", coreone, Map.of("X-Coreone-Webhook-Type", "client/update"));
        }
        assertThat(events()).extracting(CanonicalEvent::vendor).containsExactlyInAnyOrder("confident", "flabs", "lml", "coreone");
    }

    @Test
    void confidentRevisionsOutOfOrder() {
        ObjectNode base = ConfidentPayloads.panel("S-9", Instant.parse("2024-05-01T10:00:00Z"), 9);
        Map<String, String> rev = Map.of(
                "r1", json(ConfidentPayloads.revision(base, Instant.parse("2024-05-01T10:00:00Z"))),
                "r2", json(ConfidentPayloads.revision(base, Instant.parse("2024-05-02T10:00:00Z"))),
                "r3", json(ConfidentPayloads.revision(base, Instant.parse("2024-05-03T10:00:00Z"))));
        for (String r : List.of("r2", "r1", "r3", "r3", "r2")) {
            f.send("confident", rev.get(r));
        }
        List<CanonicalEvent> events = events();
        assertThat(events).extracting(e -> e.data().get("last_modified").asText())
                .containsExactly("2024-05-02T10:00:00Z", "2024-05-01T10:00:00Z", "2024-05-03T10:00:00Z");
        assertThat(events).extracting(CanonicalEvent::hwmAdvanced).containsExactly(true, false, true);
        List<String> states = f.entities.readValuesToList().stream()
                .map(b -> f.codec.read(b).data().get("last_modified").asText()).toList();
        assertThat(states).containsExactly("2024-05-02T10:00:00Z", "2024-05-03T10:00:00Z");
        assertThat(events.get(0).data().get("results")).hasSizeGreaterThanOrEqualTo(150);
    }

    @Test
    void flabsReportCompletedAfterBillCompletedIsStillEmittedOnce() {
        long t = 1_705_747_800L;
        f.send("flabs", json(FlabsPayloads.billCreated("lab_1", "b1", t, 1)));
        f.send("flabs", json(FlabsPayloads.billCompleted("lab_1", "b1", t + 60, 1)));
        String late = json(FlabsPayloads.reportCompleted("lab_1", "b1", t + 30, 0, 1));
        f.send("flabs", late);
        f.send("flabs", late);
        List<CanonicalEvent> events = events();
        assertThat(events).extracting(CanonicalEvent::type)
                .containsExactly("lab.flabs.bill.created", "lab.flabs.bill.completed", "lab.flabs.report.completed");
        assertThat(events.get(2).hwmAdvanced()).isFalse();
        assertThat(f.readEntities().get("flabs:bill:lab_1:b1").type()).isEqualTo("lab.flabs.bill.completed");
    }

    @Test
    void flabsEventsInTheSameSecondOrderByLifecycle() {
        long t = 1_705_747_800L;
        // arrive in reverse lifecycle order, all in one second
        f.send("flabs", json(FlabsPayloads.billCompleted("lab_1", "b2", t, 2)));
        f.send("flabs", json(FlabsPayloads.reportCompleted("lab_1", "b2", t, 0, 2)));
        f.send("flabs", json(FlabsPayloads.billCreated("lab_1", "b2", t, 2)));
        List<CanonicalEvent> events = events();
        assertThat(events).extracting(CanonicalEvent::hwmAdvanced).containsExactly(true, false, false);
        assertThat(events.get(0).version()).isGreaterThan(events.get(1).version()).isGreaterThan(events.get(2).version());
        assertThat(f.readEntities().get("flabs:bill:lab_1:b2").type()).isEqualTo("lab.flabs.bill.completed");
    }

    @Test
    void billDeletedMarksTheEntityDeleted() {
        long t = 1_705_747_800L;
        f.send("flabs", json(FlabsPayloads.billCreated("lab_1", "b3", t, 3)));
        f.send("flabs", json(FlabsPayloads.billDeleted("lab_1", "b3", t + 5, 3)));
        CanonicalEvent state = f.readEntities().get("flabs:bill:lab_1:b3");
        assertThat(state.deleted()).isTrue();
        assertThat(state.type()).isEqualTo("lab.flabs.bill.deleted");
        events();
    }

    @Test
    void anLmlRetestLinksBothRegistrations() {
        f.send("lml", json(LmlPayloads.testRegistrationComplete("orig-1")));
        f.send("lml", json(LmlPayloads.retest("orig-1", "new-2")));
        f.send("lml", json(LmlPayloads.testRegistrationComplete("new-2")));
        Map<String, CanonicalEvent> entities = f.readEntities();
        CanonicalEvent orig = entities.get("lml:test_registration:orig-1");
        CanonicalEvent neu = entities.get("lml:test_registration:new-2");
        assertThat(orig.data().get("references").toString()).contains("lml:test_registration:new-2");
        assertThat(neu.type()).isEqualTo("lab.lml.test_registration.complete"); // its own lifecycle still advances it
        List<CanonicalEvent> events = events();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.subject()).isEqualTo("lml:test_registration:new-2");
            assertThat(e.data().get("references").toString()).contains("lml:test_registration:orig-1");
        });
    }

    @Test
    void coreOneSameObjectAndBodyWithDifferentDeliveryIdsIsOneEvent() {
        String body = json(CoreOnePayloads.body("accession/receive", 55, Instant.parse("2024-05-01T10:00:00Z"), 5));
        f.send("coreone", body, Map.of("X-Coreone-Webhook-Type", "accession/receive"));
        f.send("coreone", body, Map.of("X-Coreone-Webhook-Type", "accession/receive"));
        String changed = json(CoreOnePayloads.body("accession/receive", 55, Instant.parse("2024-05-01T10:00:00Z"), 6));
        f.send("coreone", changed, Map.of("X-Coreone-Webhook-Type", "accession/receive"));
        List<CanonicalEvent> events = events();
        assertThat(events).hasSize(2);
        assertThat(events).extracting(CanonicalEvent::subject).containsOnly("coreone:accession:55");
    }
}
