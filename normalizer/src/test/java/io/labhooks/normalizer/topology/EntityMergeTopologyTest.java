package io.labhooks.normalizer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.testkit.EventSchemas;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LML and Flabs: the entity state is the merge of its events in version order, whatever order they arrive in. */
class EntityMergeTopologyTest {
    static final String SOURCES = """
              - {id: flabs, vendor: flabs, auth: {type: none}}
              - {id: lml, vendor: lml, auth: {type: none}}
            """;
    static final String KEY = "lml:test_registration:R-1";

    TopologyFixture f;
    final EventSchemas schemas = new EventSchemas();

    @BeforeEach
    void start() throws Exception {
        f = new TopologyFixture(SOURCES, new Adapters()::forSource, NormalizerMetrics.NONE);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    static String lml(String event, String id, String extra) {
        return "{\"event\":\"" + event + "\",\"data\":{\"testregistration_id\":\"" + id + "\"" + extra + "}}";
    }

    static final String COMPLETE = lml("test_registration.complete", "R-1", ",\"url\":\"https://api.lml/test_registration/R-1/\"");
    static final String RECEIVED = lml("test_registration.sample_received", "R-1",
            ",\"url\":\"https://api.lml/test_registration/R-1/\",\"sample_received_at\":\"2023-06-01T14:52:32+01:00\"");
    static final String RESULTS = lml("lab_results.complete", "R-1", ",\"url\":\"https://api.lml/test_registration/R-1/lab_results/\"");

    Map<String, CanonicalEvent> entities() {
        Map<String, CanonicalEvent> m = f.readEntities();
        m.values().forEach(e -> assertThat(schemas.validate(f.codec.toJson(e))).as(e.toString()).isEmpty());
        return m;
    }

    @Test
    void sampleReceivedAtSurvivesLabResultsComplete() {
        f.send("lml", COMPLETE);
        f.send("lml", RECEIVED);
        f.send("lml", RESULTS);
        CanonicalEvent e = entities().get(KEY);
        assertThat(e.type()).isEqualTo("lab.lml.lab_results.complete");
        assertThat(e.version()).isEqualTo(4);
        assertThat(e.data().get("sample_received_at").asText()).isEqualTo("2023-06-01T14:52:32+01:00");
        assertThat(e.data().get("url").asText()).endsWith("/lab_results/");
        assertThat(e.data().get("merged_events").asLong()).isEqualTo(3);
    }

    @Test
    void aLateLowerRankEventStillAddsWhatTheEntityLacksWithoutMovingTheVersion() {
        f.send("lml", RESULTS);
        f.send("lml", COMPLETE);
        assertThat(entities().get(KEY).data().has("sample_received_at")).isFalse();
        f.send("lml", RECEIVED);
        CanonicalEvent e = entities().get(KEY);
        assertThat(e.version()).isEqualTo(4);
        assertThat(e.type()).isEqualTo("lab.lml.lab_results.complete");
        assertThat(e.data().get("sample_received_at").asText()).isEqualTo("2023-06-01T14:52:32+01:00");
        assertThat(e.data().get("url").asText()).as("an older event never overwrites").endsWith("/lab_results/");
        // the events topic still carries each event as it was
        assertThat(f.readEvents()).extracting(CanonicalEvent::type).containsExactly("lab.lml.lab_results.complete",
                "lab.lml.test_registration.complete", "lab.lml.test_registration.sample_received");
    }

    @Test
    void aRedeliveryOrAStaleEventWithNothingNewEmitsNoEntity() {
        f.send("lml", RESULTS);
        f.send("lml", RECEIVED);
        f.readEntities();
        f.send("lml", COMPLETE); // adds nothing: url is already there
        f.send("lml", RECEIVED); // a duplicate
        assertThat(f.entities.isEmpty()).isTrue();
    }

    @Test
    void aRetestIsLinkedFromBothRegistrationsWhateverTheOrder() {
        String retest = "{\"event\":\"test_registration.retest\",\"data\":{\"testregistration_id\":\"R-1\","
                + "\"retest_testregistration_id\":\"R-2\"}}";
        // the retest's own registration completes first, the original's results before its retest
        f.send("lml", lml("test_registration.complete", "R-2", ",\"url\":\"https://api.lml/test_registration/R-2/\""));
        f.send("lml", RESULTS);
        f.send("lml", retest);
        f.send("lml", lml("lab_results.complete", "R-2", ",\"url\":\"https://api.lml/test_registration/R-2/lab_results/\""));
        Map<String, CanonicalEvent> m = entities();
        CanonicalEvent original = m.get(KEY);
        CanonicalEvent again = m.get("lml:test_registration:R-2");
        assertThat(original.version()).isEqualTo(4);
        assertThat(original.data().get("retest_testregistration_id").asText()).isEqualTo("R-2");
        assertThat(original.data().get("references").toString())
                .isEqualTo("[{\"rel\":\"retest\",\"entity_key\":\"lml:test_registration:R-2\"}]");
        assertThat(again.version()).isEqualTo(4);
        assertThat(again.data().get("retest_of_testregistration_id").asText()).isEqualTo("R-1");
        assertThat(again.data().get("references").toString())
                .isEqualTo("[{\"rel\":\"retest_of\",\"entity_key\":\"lml:test_registration:R-1\"}]");
        assertThat(again.data().get("url").asText()).endsWith("/R-2/lab_results/");
    }

    @Test
    void aFlabsBillKeepsItsReportUrlWhenTheCompletionLacksIt() {
        f.send("flabs", "{\"labID\":\"L\",\"eventType\":\"report.completed\",\"eventTime\":1705747800,\"data\":{\"billID\":\"B\","
                + "\"integratorID\":\"I-9\",\"reportURL\":\"https://reports.flabs.in/bill/B\"}}");
        f.send("flabs", "{\"labID\":\"L\",\"eventType\":\"bill.completed\",\"eventTime\":1705747900,\"data\":{\"billID\":\"B\","
                + "\"billData\":{\"status\":\"completed\"}}}");
        CanonicalEvent e = entities().get("flabs:bill:L:B");
        assertThat(e.type()).isEqualTo("lab.flabs.bill.completed");
        assertThat(e.data().get("report_url").asText()).isEqualTo("https://reports.flabs.in/bill/B");
        assertThat(e.data().get("integrator_id").asText()).isEqualTo("I-9");
        assertThat(e.data().get("status").asText()).isEqualTo("completed");
    }
}
