package io.labhooks.normalizer.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.labhooks.normalizer.NormalizerMetrics;
import io.labhooks.normalizer.adapter.Adapters;
import io.labhooks.schemas.Headers;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import io.labhooks.testkit.payloads.CoreOnePayloads;
import io.labhooks.testkit.payloads.FlabsPayloads;
import io.labhooks.testkit.payloads.LmlPayloads;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For any interleaving and duplication of one set of deliveries, the emitted event ids and the final entity
 * states are the same. (Distinct events of one entity have distinct versions here; an exact tie between two
 * different events is resolved by arrival, see docs/events.md.)
 */
class InterleavingPropertyTest {
    record Delivery(String source, Map<String, String> headers, String body) {
    }

    static List<Delivery> deliveries;
    static Set<String> referenceIds;
    static Map<String, String> referenceStates;

    @BeforeContainer
    static void reference() throws Exception {
        deliveries = deliveries();
        Outcome o = run(deliveries);
        referenceIds = o.ids();
        referenceStates = o.states();
    }

    static List<Delivery> deliveries() {
        List<Delivery> d = new ArrayList<>();
        Instant t0 = Instant.parse("2024-05-01T08:00:00Z");
        for (int s = 0; s < 3; s++) {
            var sample = ConfidentPayloads.minimal("S-" + s, t0);
            for (int r = 0; r < 3; r++) {
                d.add(new Delivery("confident", Map.of(), json(ConfidentPayloads.revision(sample, t0.plusSeconds(3600L * r)))));
            }
        }
        long t = 1_705_747_800L;
        for (int b = 0; b < 3; b++) {
            d.add(new Delivery("flabs", Map.of(), json(FlabsPayloads.billCreated("lab", "b" + b, t, b))));
            d.add(new Delivery("flabs", Map.of(), json(FlabsPayloads.reportCompleted("lab", "b" + b, t + 1, 0, b))));
            d.add(new Delivery("flabs", Map.of(), json(FlabsPayloads.reportCompleted("lab", "b" + b, t + 2, 1, b + 10))));
            d.add(new Delivery("flabs", Map.of(), json(FlabsPayloads.billCompleted("lab", "b" + b, t + 2, b))));
        }
        d.add(new Delivery("flabs", Map.of(), json(FlabsPayloads.billDeleted("lab", "b0", t + 9, 0))));
        for (String e : List.of("test_registration.complete", "test_registration.sample_received", "lab_results.complete")) {
            d.add(new Delivery("lml", Map.of(), json(LmlPayloads.event(e, "reg-1", 1))));
        }
        d.add(new Delivery("lml", Map.of(), json(LmlPayloads.retest("reg-1", "reg-2"))));
        d.add(new Delivery("lml", Map.of(), json(LmlPayloads.testRegistrationComplete("reg-2"))));
        d.add(new Delivery("lml", Map.of(), json(LmlPayloads.orderShipped("o-1"))));
        d.add(new Delivery("lml", Map.of(), json(LmlPayloads.orderDelivered("o-1"))));
        for (int u = 0; u < 3; u++) {
            d.add(new Delivery("coreone", Map.of(Headers.COREONE_WEBHOOK_TYPE, "client/update"),
                    json(CoreOnePayloads.body("client/update", 9, Instant.parse("2024-05-01T10:00:00Z").plusSeconds(60L * u), u))));
        }
        return d;
    }

    static String json(com.fasterxml.jackson.databind.JsonNode n) {
        return new String(FlabsPayloads.bytes(n), StandardCharsets.UTF_8);
    }

    record Outcome(Set<String> ids, Map<String, String> states) {
    }

    static Outcome run(List<Delivery> order) throws Exception {
        try (TopologyFixture f = new TopologyFixture(VendorScenariosTest.SOURCES, new Adapters()::forSource, NormalizerMetrics.NONE)) {
            for (Delivery d : order) {
                f.send(d.source(), d.body(), d.headers());
            }
            List<CanonicalEvent> events = f.readEvents();
            Set<String> ids = new TreeSet<>();
            events.forEach(e -> assertThat(ids.add(e.id())).as("event %s emitted twice", e).isTrue());
            Map<String, String> states = new TreeMap<>();
            f.readEntities().forEach((k, v) -> states.put(k, v.id()));
            return new Outcome(ids, states);
        }
    }

    @Property(tries = 25)
    void anyInterleavingAndDuplicationGivesTheSameEventsAndStates(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int duplicates)
            throws Exception {
        Random r = new Random(seed);
        List<Delivery> order = new ArrayList<>(deliveries);
        for (int i = 0; i < duplicates; i++) {
            order.add(deliveries.get(r.nextInt(deliveries.size())));
        }
        Collections.shuffle(order, r);
        Outcome o = run(order);
        assertThat(o.ids()).isEqualTo(referenceIds);
        assertThat(o.states()).isEqualTo(referenceStates);
    }
}
