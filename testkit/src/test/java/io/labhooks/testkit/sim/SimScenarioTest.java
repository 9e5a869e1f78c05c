package io.labhooks.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labhooks.config.Vendor;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import io.labhooks.testkit.payloads.CoreOnePayloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SimScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Scenario build(Vendor v, int count) {
        return Scenario.build(Scenario.Options.of(v).withCount(count));
    }

    private static JsonNode json(Delivery d) throws IOException {
        return JSON.readTree(d.body());
    }

    /** Event keys by type, in delivery order. */
    private static Map<String, List<Delivery>> byEventKey(Scenario s) {
        Map<String, List<Delivery>> m = new LinkedHashMap<>();
        for (Delivery d : s.deliveries()) {
            m.computeIfAbsent(d.eventKey(), k -> new ArrayList<>()).add(d);
        }
        return m;
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = {"CONFIDENT", "FLABS", "LML", "COREONE"})
    void theSameSeedGivesTheSameDeliveriesByteForByte(Vendor v) {
        Scenario.Options o = Scenario.Options.of(v).withCount(5).withDuplicates(0.3).withShuffle(true).withSeed(42);
        Scenario a = Scenario.build(o);
        Scenario b = Scenario.build(o);
        assertThat(a.deliveries()).isEqualTo(b.deliveries());
        assertThat(a.expected()).isEqualTo(b.expected());
        assertThat(a.deliveries().get(0).bodyText()).isEqualTo(b.deliveries().get(0).bodyText());

        Scenario other = Scenario.build(o.withSeed(43));
        assertThat(other.deliveries()).isNotEqualTo(a.deliveries());
        assertThat(o.idPrefix()).isEqualTo("s42-");
    }

    @Test
    void confidentSamplesAreFullPanelsPublishedOncePerRevision() throws IOException {
        Scenario s = Scenario.build(Scenario.Options.of(Vendor.CONFIDENT).withCount(30).withRevisions(3));
        assertThat(s.size()).isEqualTo(90);
        assertThat(s.expected().entities()).hasSize(30);

        Map<String, List<OffsetDateTime>> modified = new HashMap<>();
        Set<String> values = new HashSet<>();
        Set<Integer> labStatuses = new HashSet<>();
        for (Delivery d : s.deliveries()) {
            JsonNode sample = json(d);
            JsonNode categories = sample.path("lab_data").path("categories");
            assertThat(categories.size()).isEqualTo(11);
            int compounds = 0;
            for (JsonNode c : categories) {
                compounds += c.path("compounds").size();
                c.path("compounds").forEach(x -> values.add(x.path("value").asText()));
            }
            assertThat(compounds).isEqualTo(ConfidentPayloads.PANEL_ANALYTES);
            labStatuses.add(sample.path("lab_data").path("status").asInt());
            modified.computeIfAbsent(sample.path("id").asText(), k -> new ArrayList<>())
                    .add(OffsetDateTime.parse(sample.path("last_modified").asText()));
            assertThat(d.header("Content-Type")).isEqualTo("application/json");
            assertThat(d.method()).isEqualTo("POST");
        }
        assertThat(values).contains("ND", "<LOQ");
        assertThat(labStatuses).containsExactlyInAnyOrder(1, 2); // pass and fail
        assertThat(modified).hasSize(30).allSatisfy((id, times) -> {
            assertThat(id).startsWith("s1-SMP");
            assertThat(times).hasSize(3).isSorted().doesNotHaveDuplicates();
        });
    }

    @Test
    void confidentResultsComeFromTheHighestAcknowledgedRevision() throws IOException {
        Scenario s = Scenario.build(Scenario.Options.of(Vendor.CONFIDENT).withCount(1).withRevisions(2));
        List<Delivery> d = s.deliveries();
        ExpectedState all = s.expected();
        assertThat(all.results()).hasSize(ConfidentPayloads.PANEL_ANALYTES);
        assertThat(all.results().stream().map(ExpectedState.Result::category).distinct().toList())
                .containsExactlyElementsOf(ConfidentPayloads.CATEGORIES);
        assertThat(all.results()).anySatisfy(r -> {
            assertThat(r.valueText()).isEqualTo("ND");
            assertThat(r.value()).isNull();
        }).anySatisfy(r -> {
            assertThat(r.valueText()).isEqualTo("<LOQ");
            assertThat(r.value()).isNull();
        }).anySatisfy(r -> assertThat(r.value()).isNotNull().isEqualByComparingTo(r.valueText()));
        assertThat(all.results()).allSatisfy(r -> assertThat(r.entityKey()).isEqualTo("confident:sample:s1-SMP000001"));

        ExpectedState.Entity entity = all.entities().get(0);
        long v2 = s.expected(Set.of(d.get(1).eventKey())).entities().get(0).version();
        assertThat(entity.version()).isEqualTo(v2);
        assertThat(entity.type()).isEqualTo("lab.confident.sample.publish");

        // only the first revision acknowledged: its results, which differ in the amended value
        ExpectedState first = s.expected(Set.of(d.get(0).eventKey()));
        assertThat(first.entities().get(0).version()).isLessThan(v2);
        assertThat(first.results()).hasSize(ConfidentPayloads.PANEL_ANALYTES).isNotEqualTo(all.results());
        assertThat(first.results()).isEqualTo(ExpectedState.confidentResults("confident:sample:s1-SMP000001", json(d.get(0))));
        assertThat(first.events()).hasSize(1);
        assertThat(all.events()).hasSize(2);
    }

    @Test
    void flabsBillsHaveWholeLifecyclesAndSomeAreDeleted() throws IOException {
        Scenario s = build(Vendor.FLABS, 40);
        Map<String, List<String>> lifecycles = new LinkedHashMap<>();
        Map<String, List<Long>> times = new HashMap<>();
        for (Delivery d : s.deliveries()) {
            JsonNode b = json(d);
            String bill = b.path("labID").asText() + ":" + b.path("data").path("billID").asText();
            lifecycles.computeIfAbsent(bill, k -> new ArrayList<>()).add(b.path("eventType").asText());
            times.computeIfAbsent(bill, k -> new ArrayList<>()).add(b.path("eventTime").asLong());
        }
        assertThat(lifecycles).hasSize(40);
        assertThat(times.values()).allSatisfy(t -> assertThat(t).isSorted().doesNotHaveDuplicates());
        int deleted = 0;
        int reports = 0;
        for (List<String> events : lifecycles.values()) {
            assertThat(events.get(0)).isEqualTo("bill.created");
            String last = events.get(events.size() - 1);
            assertThat(last).isIn("bill.completed", "bill.deleted");
            if (last.equals("bill.deleted")) {
                deleted++;
            } else {
                assertThat(events).contains("report.completed");
            }
            reports += (int) events.stream().filter("report.completed"::equals).count();
        }
        assertThat(deleted).isBetween(1, 20);
        assertThat(reports).isGreaterThan(40); // several reports per bill on average
        assertThat(s.deliveries()).allSatisfy(d -> assertThat(d.header("User-Agent")).isEqualTo("labhooks-send/flabs"));
    }

    @Test
    void theExpectedStatePicksTheHighestVersionPerEntityAndMarksDeletedBills() {
        Scenario s = build(Vendor.FLABS, 40);
        ExpectedState all = s.expected();
        Map<String, Long> max = new HashMap<>();
        all.events().forEach(e -> max.merge(e.entityKey(), e.version(), Math::max));
        assertThat(all.entities()).hasSize(40).allSatisfy(e -> {
            assertThat(e.version()).isEqualTo(max.get(e.entityKey()));
            assertThat(e.deleted()).isEqualTo(e.type().equals("lab.flabs.bill.deleted"));
            assertThat(e.version() % 1000).isEqualTo(e.deleted() ? 4 : 3);
            assertThat(e.entityKey()).isEqualTo("flabs:bill:" + e.entityId());
            assertThat(e.entityType()).isEqualTo("bill");
        });
        ExpectedState.Entity deleted = all.entities().stream().filter(ExpectedState.Entity::deleted).findFirst().orElseThrow();

        // without the bill.deleted delivery the bill is not deleted, at its previous version
        Set<String> acked = new HashSet<>(s.eventKeys());
        acked.removeIf(k -> k.startsWith(deleted.entityKey() + " lab.flabs.bill.deleted"));
        ExpectedState partial = s.expected(acked);
        ExpectedState.Entity e = partial.entity(deleted.entityKey());
        assertThat(e.deleted()).isFalse();
        assertThat(e.version()).isLessThan(deleted.version());
        assertThat(e.type()).isIn("lab.flabs.bill.completed", "lab.flabs.report.completed", "lab.flabs.bill.created");
        assertThat(partial.events()).hasSize(all.events().size() - 1);
    }

    @Test
    void lmlHasRegistrationsOrdersAndRetests() throws IOException {
        Scenario s = build(Vendor.LML, 40);
        Map<String, Long> events = new HashMap<>();
        for (Delivery d : s.deliveries()) {
            events.merge(json(d).path("event").asText(), 1L, Long::sum);
        }
        assertThat(events.get("test_registration.complete")).isEqualTo(20);
        assertThat(events.get("order.shipped")).isEqualTo(20);
        assertThat(events.get("order.delivered")).isBetween(1L, 19L); // Royal Mail does not always confirm
        long retests = events.get("test_registration.retest");
        assertThat(retests).isPositive();
        assertThat(events.get("test_registration.sample_received")).isEqualTo(20 + retests);
        assertThat(events.get("lab_results.complete")).isEqualTo(20);

        ExpectedState all = s.expected();
        assertThat(all.entities()).hasSize((int) (40 + retests));
        assertThat(all.events()).filteredOn(e -> e.type().equals("lab.lml.test_registration.retest_created"))
                .hasSize((int) retests).allSatisfy(e -> assertThat(e.version()).isZero());
        assertThat(all.entities()).filteredOn(e -> e.type().equals("lab.lml.test_registration.retest"))
                .hasSize((int) retests).allSatisfy(e -> assertThat(e.version()).isEqualTo(3));

        // a retest delivered but nothing after it: the new registration is only "retest_created", version 0
        String retestKey = s.eventKeys().stream().filter(k -> k.contains("test_registration.retest ")).findFirst().orElseThrow();
        ExpectedState onlyRetest = s.expected(Set.of(retestKey));
        assertThat(onlyRetest.entities()).hasSize(2)
                .anySatisfy(e -> assertThat(e).extracting(ExpectedState.Entity::type, ExpectedState.Entity::version)
                        .containsExactly("lab.lml.test_registration.retest_created", 0L));
    }

    @Test
    void coreOneCoversAllThirtyThreeTypesAndItsSignaturesVerify() throws Exception {
        Scenario s = build(Vendor.COREONE, 1);
        Credentials signing = Credentials.coreOneHmac("dev-coreone-secret");
        Set<String> types = new HashSet<>();
        for (Delivery d : s.deliveries()) {
            types.add(d.header("X-Coreone-Webhook-Type"));
            Delivery signed = signing.apply(d);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("dev-coreone-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            assertThat(signed.header("X-Coreone-Webhook-Hash")).isEqualTo(java.util.HexFormat.of().formatHex(mac.doFinal(d.body())));
            assertThat(signed.body()).isEqualTo(d.body());
        }
        assertThat(types).hasSize(33).containsExactlyInAnyOrderElementsOf(CoreOnePayloads.WEBHOOK_TYPES);
        assertThat(build(Vendor.COREONE, 3).size()).isGreaterThan(s.size() * 2);
    }

    @Test
    void coreOneBodiesWithoutUpdatedAtHaveNoPredictableVersion() {
        ExpectedState all = build(Vendor.COREONE, 6).expected();
        List<ExpectedState.Entity> byReceipt = all.entities().stream().filter(e -> e.version() == null).toList();
        assertThat(byReceipt).isNotEmpty().allSatisfy(e -> assertThat(e.type()).isIn(
                "lab.coreone.instrument.request_instrument_file", "lab.coreone.instrument.generate_instrument_file"));
        assertThat(byReceipt).anySatisfy(e -> assertThat(e.entityId()).isIn("Cobas c311", "Sysmex XN-1000", "VITEK 2", "Luminex 200"));
        assertThat(all.entities()).filteredOn(ExpectedState.Entity::deleted)
                .isNotEmpty().allSatisfy(e -> assertThat(e.type()).endsWith(".destroy"));
        assertThat(all.events()).filteredOn(e -> e.version() == null).hasSize(12); // 6 requests + 6 generated files
        assertThat(all.entities()).filteredOn(e -> e.entityKey().startsWith("coreone:accession:"))
                .hasSize(6).allSatisfy(e -> assertThat(e.type()).isEqualTo("lab.coreone.accession.client_change"));
    }

    @Test
    void duplicatesResendIdenticalDeliveriesLater() {
        Scenario plain = build(Vendor.FLABS, 20);
        Scenario dup = Scenario.build(Scenario.Options.of(Vendor.FLABS).withCount(20).withDuplicates(0.5));
        assertThat(dup.duplicateCount()).isBetween(10, plain.size() - 10);
        assertThat(dup.size()).isEqualTo(plain.size() + dup.duplicateCount());
        assertThat(dup.eventKeys()).isEqualTo(plain.eventKeys());
        assertThat(dup.expected()).isEqualTo(plain.expected());

        Map<String, List<Delivery>> byKey = byEventKey(dup);
        List<List<Delivery>> repeated = byKey.values().stream().filter(l -> l.size() > 1).toList();
        assertThat(repeated).hasSize(dup.duplicateCount())
                .allSatisfy(l -> assertThat(l).hasSize(2).allSatisfy(d -> assertThat(d).isEqualTo(l.get(0))));
        // without shuffle, every event's first delivery keeps its place in lifecycle order
        assertThat(byKey.keySet()).containsExactlyElementsOf(plain.deliveries().stream().map(Delivery::eventKey).toList());
        // and some copies come well after the next events, not only right after their original
        List<String> order = dup.deliveries().stream().map(Delivery::eventKey).toList();
        assertThat(repeated).anySatisfy(l -> {
            String key = l.get(0).eventKey();
            assertThat(order.lastIndexOf(key) - order.indexOf(key)).isGreaterThan(1);
        });
    }

    @Test
    void shuffleChangesTheOrderButNotTheSet() {
        Scenario plain = Scenario.build(Scenario.Options.of(Vendor.LML).withCount(20).withDuplicates(0.2));
        Scenario shuffled = Scenario.build(plain.options().withShuffle(true));
        List<String> a = plain.deliveries().stream().map(Delivery::bodyText).toList();
        List<String> b = shuffled.deliveries().stream().map(Delivery::bodyText).toList();
        assertThat(b).isNotEqualTo(a).containsExactlyInAnyOrderElementsOf(a);
        assertThat(shuffled.expected()).isEqualTo(plain.expected());
    }

    @Test
    void idPrefixesKeepRunsApart() {
        for (Vendor v : List.of(Vendor.CONFIDENT, Vendor.FLABS, Vendor.LML, Vendor.COREONE)) {
            Scenario.Options o = Scenario.Options.of(v).withCount(3);
            Set<String> a = keys(Scenario.build(o.withIdPrefix("runA-")));
            Set<String> b = keys(Scenario.build(o.withIdPrefix("runB-")));
            a.retainAll(b);
            // CoreOne's generate_instrument_file names only the instrument
            assertThat(a).as(v.id()).allSatisfy(k -> assertThat(k).startsWith("coreone:instrument:").doesNotMatch(".*:\\d+$"));
        }
    }

    private static Set<String> keys(Scenario s) {
        return s.expected().entities().stream().map(ExpectedState.Entity::entityKey).collect(Collectors.toCollection(HashSet::new));
    }

    @Test
    void optionsAreChecked() {
        Scenario.Options o = Scenario.Options.of(Vendor.FLABS);
        assertThatThrownBy(() -> o.withCount(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
        assertThatThrownBy(() -> o.withRevisions(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revisions");
        assertThatThrownBy(() -> o.withDuplicates(1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicates");
        assertThatThrownBy(() -> o.withDuplicates(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> o.withIdPrefix("bad prefix/")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idPrefix");
        assertThatThrownBy(() -> Scenario.Options.of(Vendor.GENERIC)).isInstanceOf(IllegalArgumentException.class);
        assertThat(o).isEqualTo(new Scenario.Options(Vendor.FLABS, 10, 2, 0, false, 1, "s1-"));
    }
}
