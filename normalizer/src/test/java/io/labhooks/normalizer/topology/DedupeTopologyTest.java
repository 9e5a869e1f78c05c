package io.labhooks.normalizer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.SourceConfig;
import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.normalizer.adapter.AdapterResult;
import io.labhooks.normalizer.adapter.EventFactory;
import io.labhooks.normalizer.adapter.Json;
import io.labhooks.normalizer.adapter.Rejection;
import io.labhooks.normalizer.adapter.VendorAdapter;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.events.CanonicalEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dedupe mechanics, independent of any vendor: a tiny adapter reads {"id","v","type"}. */
class DedupeTopologyTest {
    static final Json JSON = new Json();

    /** id, version and event type straight from the body; "boom" makes it throw, to prove the app survives. */
    static final VendorAdapter TINY = in -> {
        Json.Parsed p = JSON.parseObject(in);
        if (!p.ok()) {
            return new AdapterResult.Rejected(p.rejection());
        }
        JsonNode b = p.body();
        if (b.has("boom")) {
            throw new IllegalStateException("adapter bug");
        }
        if (!b.hasNonNull("id")) {
            return AdapterResult.rejected(Rejection.Reason.MISSING_ID, "no id");
        }
        ObjectNode data = JSON.mapper().createObjectNode();
        data.put("deleted", b.path("deleted").asBoolean(false));
        return AdapterResult.accepted(EventFactory.event(in, "thing", b.get("id").asText(), b.path("type").asText("thing.updated"),
                b.path("v").asLong(), "", null, data, b));
    };

    SimpleMeterRegistry registry;
    TopologyFixture f;

    @BeforeEach
    void start() throws Exception {
        registry = new SimpleMeterRegistry();
        f = new TopologyFixture("  - {id: g, vendor: generic, auth: {type: none}, pointers: {event-type: /type, entity-id: /id}}",
                (SourceConfig s) -> TINY, NormalizerMetrics.of(registry));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    double count(String outcome) {
        return registry.find("labhooks.normalizer.events").tag("outcome", outcome).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void theSameDeliveryPostedThreeTimesGivesOneEvent() {
        for (int i = 0; i < 3; i++) {
            f.send("g", "{\"id\":\"a\",\"v\":1}");
        }
        List<CanonicalEvent> events = f.readEvents();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).hwmAdvanced()).isTrue();
        assertThat(f.readEntities()).containsOnlyKeys("generic:thing:a");
        assertThat(count("accepted")).isEqualTo(1);
        assertThat(count("duplicate")).isEqualTo(2);
    }

    @Test
    void outOfOrderVersionsAreAllEmittedButOnlyAdvancingOnesMoveTheEntity() {
        for (int v : new int[] {2, 1, 3, 3, 2}) {
            f.send("g", "{\"id\":\"s\",\"v\":" + v + "}");
        }
        List<CanonicalEvent> events = f.readEvents();
        assertThat(events).extracting(CanonicalEvent::version).containsExactly(2L, 1L, 3L);
        assertThat(events).extracting(CanonicalEvent::hwmAdvanced).containsExactly(true, false, true);
        List<Long> entityVersions = f.entities.readValuesToList().stream().map(b -> f.codec.read(b).version()).toList();
        assertThat(entityVersions).containsExactly(2L, 3L);
        assertThat(count("stale")).isEqualTo(1);
        assertThat(count("duplicate")).isEqualTo(2);
    }

    @Test
    void eventsAreKeyedByEntityAndCarryNoRawHeaders() {
        f.send("g", "{\"id\":\"k\",\"v\":1}", Map.of("X-Secretish", "x"));
        TestRecord<String, byte[]> r = f.events.readRecord();
        assertThat(r.key()).isEqualTo("generic:thing:k");
        assertThat(r.headers().lastHeader("X-Secretish")).isNull();
        assertThat(new String(r.headers().lastHeader(Headers.CONTENT_TYPE).value(), StandardCharsets.UTF_8)).isEqualTo("application/cloudevents+json");
    }

    @Test
    void malformedRecordsGoToTheDlqWithOriginalBytesHeadersAndReasonAndTheAppGoesOn() {
        String id = f.send("g", "not json at all", Map.of("X-Coreone-Webhook-Type", "client/create"));
        f.send("g", "{\"v\":1}");
        f.send("g", "{\"boom\":true}");
        f.send("nobody", "{\"id\":\"x\"}");
        f.send("g", "{\"id\":\"after\",\"v\":1}");

        List<TestRecord<String, byte[]>> dlq = f.dlq.readRecordsToList();
        assertThat(dlq).hasSize(4);
        TestRecord<String, byte[]> first = dlq.get(0);
        assertThat(first.key()).isEqualTo(id);
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("not json at all");
        assertThat(header(first, Headers.SOURCE)).isEqualTo("g");
        assertThat(header(first, "X-Coreone-Webhook-Type")).isEqualTo("client/create");
        assertThat(header(first, Headers.ERROR_STAGE)).isEqualTo("normalize");
        assertThat(header(first, Headers.ERROR_REASON)).isEqualTo("not-json");
        assertThat(header(first, Headers.ERROR_MESSAGE)).isNotBlank();
        assertThat(dlq).extracting(r -> header(r, Headers.ERROR_REASON))
                .containsExactly("not-json", "missing-id", "wrong-shape", "unknown-source");
        assertThat(f.readEvents()).extracting(CanonicalEvent::entityId).containsExactly("after");
        assertThat(count("invalid")).isEqualTo(4);
    }

    @Test
    void idsOlderThanTheRetentionAreForgottenButTheHighWaterMarkStays() {
        f.send("g", "{\"id\":\"r\",\"v\":5}");
        assertThat(f.readEvents()).hasSize(1);
        f.send("g", "{\"id\":\"r\",\"v\":5}");
        assertThat(f.readEvents()).isEmpty();
        f.driver.advanceWallClockTime(Duration.ofHours(2)); // retention is 1h in the fixture
        f.send("g", "{\"id\":\"r\",\"v\":5}");
        List<CanonicalEvent> again = f.readEvents();
        assertThat(again).hasSize(1);
        assertThat(again.get(0).hwmAdvanced()).isFalse(); // the HWM survived the purge: no entity update
        assertThat(f.entities.readValuesToList()).hasSize(1);
    }

    static String header(TestRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
