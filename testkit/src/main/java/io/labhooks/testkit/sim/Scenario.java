package io.labhooks.testkit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.config.Vendor;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import io.labhooks.testkit.payloads.CoreOnePayloads;
import io.labhooks.testkit.payloads.FlabsPayloads;
import io.labhooks.testkit.payloads.LmlPayloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a vendor would send: the list of {@link Delivery deliveries} for a number of entities, each with its whole
 * lifecycle, and the {@link ExpectedState} they make. Pure: the same {@link Options} give the same deliveries, byte
 * for byte, on every JVM.
 *
 * <h2>Lifecycles</h2>
 * <ul>
 *   <li><b>Confident</b>: {@code count} samples, each published {@code revisions} times: a full panel
 *       ({@link ConfidentPayloads#panel}, 157 analytes in eleven categories, "ND" and "&lt;LOQ" values, about one
 *       sample in three failing), then revisions with a later {@code last_modified} and one amended cannabinoid
 *       value each.</li>
 *   <li><b>Flabs</b>: {@code count} bills: {@code bill.created}, one {@code report.completed} per report (1..4),
 *       {@code bill.completed}; one bill in ten is deleted after completing and one in ten is deleted instead of
 *       completing (after some of its reports). Events of a bill are minutes apart, so their versions differ.</li>
 *   <li><b>LML</b>: {@code count} entities, alternately test registrations and orders. A registration:
 *       {@code test_registration.complete}, {@code .sample_received}, then {@code lab_results.complete}, or (one in
 *       four) {@code test_registration.retest}, after which the new registration gets {@code .sample_received}
 *       and {@code lab_results.complete}. An order: {@code order.shipped}, then {@code order.delivered} (missing
 *       for one order in five, as Royal Mail's confirmation sometimes is).</li>
 *   <li><b>CoreOne</b>: {@code count} objects of each of the 13 object families, so that every run covers all 33
 *       documented webhook types: e.g. a client is created, updated {@code revisions} times and (one in three,
 *       always the first) destroyed; an attachment, HL7 message, instrument message, leaf or NAHLN transmission
 *       sometimes fails before it is processed; each instrument object also sends a
 *       {@code request_instrument_file} (its own entity) and a {@code generate_instrument_file} (keyed by the
 *       instrument's name, one of four). Those two have no {@code updated_at}: the normalizer versions them by
 *       receipt time, so their version is null in the expected state.</li>
 * </ul>
 * Deliveries come in the order the events happened (events of different entities interleave), or in a random
 * order with {@code shuffle}. With {@code duplicates = p}, each delivery is, with probability p, delivered once
 * more later with the same body and headers.
 *
 * <h2>Ids</h2>
 * Ids contain {@link Options#idPrefix()} (Confident samples {@code {prefix}SMP000001}, Flabs labs
 * {@code {prefix}lab1..3} and bills {@code {prefix}bill_000001}), or are derived from it (LML's UUIDs, CoreOne's
 * numeric ids in a block of 100,000,000 picked by the prefix), so two runs with different prefixes do not
 * collide. The one exception is CoreOne's {@code generate_instrument_file}, which names only the instrument.
 *
 * <p>The {@link #deliveries()} list builds each body when it is read, so a large scenario holds only a small plan
 * in memory. Immutable and thread-safe.
 */
public final class Scenario {
    /** The most entities a scenario may have. */
    public static final int MAX_COUNT = 1_000_000;
    /** The most revisions (Confident) or updates (CoreOne) per entity. */
    public static final int MAX_REVISIONS = 1_000;
    /** The CoreOne object families, in the order of CoreOne's document. */
    public static final List<String> COREONE_FAMILIES = List.of("accession", "accession_lab_section", "attachment",
            "client", "clinical_histories", "comment", "credit_note", "hl7message", "instrument", "invoice", "leaf",
            "nahln_transmission", "payment");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant EPOCH = Instant.parse("2024-03-01T08:00:00Z");
    private static final long COREONE_FAMILY_BLOCK = 1_000_000L;
    private static final long COREONE_PREFIX_BLOCK = 100_000_000L;

    private final Options options;
    private final List<Step> order;
    private final Map<String, Step> byEventKey;
    private final int duplicates;
    private final Deliveries deliveries = new Deliveries();

    /**
     * What to simulate.
     *
     * @param vendor     confident, flabs, lml or coreone
     * @param count      entities (samples, bills, registrations and orders, CoreOne objects per family), 1..{@value #MAX_COUNT}
     * @param revisions  Confident revisions per sample, CoreOne updates per object, 1..{@value #MAX_REVISIONS}
     * @param duplicates the probability (0..1) that a delivery is delivered once more later
     * @param shuffle    send in a random order instead of the order the events happened
     * @param seed       makes the run reproducible
     * @param idPrefix   goes into (or picks) every id; {@code null} for {@link #defaultIdPrefix}
     */
    public record Options(Vendor vendor, int count, int revisions, double duplicates, boolean shuffle, long seed,
                          String idPrefix) {
        /** Checks the options; a null prefix becomes the default for the seed. */
        public Options {
            Objects.requireNonNull(vendor, "vendor");
            if (vendor == Vendor.GENERIC) {
                throw new IllegalArgumentException("the simulator knows confident, flabs, lml and coreone, not generic");
            }
            if (count < 1 || count > MAX_COUNT) {
                throw new IllegalArgumentException("count must be in 1.." + MAX_COUNT + ", was " + count);
            }
            if (revisions < 1 || revisions > MAX_REVISIONS) {
                throw new IllegalArgumentException("revisions must be in 1.." + MAX_REVISIONS + ", was " + revisions);
            }
            if (!(duplicates >= 0 && duplicates <= 1)) {
                throw new IllegalArgumentException("duplicates must be a probability in 0..1, was " + duplicates);
            }
            if (idPrefix == null) {
                idPrefix = defaultIdPrefix(seed);
            }
            if (!idPrefix.matches("[A-Za-z0-9_.-]{0,40}")) {
                throw new IllegalArgumentException("idPrefix must be at most 40 of [A-Za-z0-9_.-], was '" + idPrefix + "'");
            }
        }

        /** The defaults: 10 entities, 2 revisions, no duplicates, lifecycle order, seed 1, the seed's prefix. */
        public static Options of(Vendor vendor) {
            return new Options(vendor, 10, 2, 0, false, 1, null);
        }

        /** These options with another count. */
        public Options withCount(int n) {
            return new Options(vendor, n, revisions, duplicates, shuffle, seed, idPrefix);
        }

        /** These options with another number of revisions. */
        public Options withRevisions(int n) {
            return new Options(vendor, count, n, duplicates, shuffle, seed, idPrefix);
        }

        /** These options with another duplicate probability. */
        public Options withDuplicates(double p) {
            return new Options(vendor, count, revisions, p, shuffle, seed, idPrefix);
        }

        /** These options, shuffled or not. */
        public Options withShuffle(boolean s) {
            return new Options(vendor, count, revisions, duplicates, s, seed, idPrefix);
        }

        /** These options with another seed; a default id prefix follows the seed, a chosen one is kept. */
        public Options withSeed(long s) {
            return new Options(vendor, count, revisions, duplicates, shuffle, s,
                    idPrefix.equals(defaultIdPrefix(seed)) ? null : idPrefix);
        }

        /** These options with another id prefix; null for the seed's default. */
        public Options withIdPrefix(String prefix) {
            return new Options(vendor, count, revisions, duplicates, shuffle, seed, prefix);
        }
    }

    /** One vendor event: when it happened, what it makes, and how to build its delivery. */
    private record Step(String eventKey, Instant at, List<ExpectedState.EventFact> facts, Supplier<Delivery> make) {
    }

    private Scenario(Options options) {
        this.options = options;
        List<Step> base = switch (options.vendor()) {
            case CONFIDENT -> confident(options);
            case FLABS -> flabs(options);
            case LML -> lml(options);
            case COREONE -> coreOne(options);
            case GENERIC -> throw new IllegalArgumentException("generic");
        };
        base.sort(Comparator.comparing(Step::at)); // stable: a lifecycle's steps keep their order
        Map<String, Step> keys = new LinkedHashMap<>();
        for (Step s : base) {
            if (keys.put(s.eventKey(), s) != null) {
                throw new IllegalStateException("two events with the key " + s.eventKey());
            }
        }
        this.byEventKey = Collections.unmodifiableMap(keys);

        Random r = new Random(mix(options.seed(), 0xD0B1E));
        record Placed(double position, int sequence, Step step) {
        }
        List<Placed> placed = new ArrayList<>(base.size());
        for (int i = 0; i < base.size(); i++) {
            placed.add(new Placed(i, i, base.get(i)));
        }
        int n = base.size();
        int dups = 0;
        if (options.duplicates() > 0) {
            for (int i = 0; i < n; i++) {
                if (r.nextDouble() < options.duplicates()) {
                    placed.add(new Placed(i + r.nextDouble() * (n - i), n + dups, base.get(i)));
                    dups++;
                }
            }
        }
        this.duplicates = dups;
        placed.sort(Comparator.comparingDouble(Placed::position).thenComparingInt(Placed::sequence));
        List<Step> o = new ArrayList<>(placed.size());
        placed.forEach(p -> o.add(p.step()));
        if (options.shuffle()) {
            Collections.shuffle(o, new Random(mix(options.seed(), 0x5AFF1E)));
        }
        this.order = List.copyOf(o);
    }

    /** Builds the scenario for {@code options}. */
    public static Scenario build(Options options) {
        return new Scenario(Objects.requireNonNull(options, "options"));
    }

    /** The id prefix of a seed when none is given: {@code s{seed}-}, e.g. {@code s1-}. */
    public static String defaultIdPrefix(long seed) {
        return "s" + Long.toUnsignedString(seed) + "-";
    }

    /** The options this scenario was built from. */
    public Options options() {
        return options;
    }

    /** The vendor. */
    public Vendor vendor() {
        return options.vendor();
    }

    /**
     * Every delivery, in sending order, duplicates included. The list is unmodifiable and builds each delivery's
     * body when it is read ({@code get} is a pure function of the index).
     */
    public List<Delivery> deliveries() {
        return deliveries;
    }

    /** The number of deliveries, duplicates included. */
    public int size() {
        return order.size();
    }

    /** How many deliveries are extra copies ({@code duplicates}). */
    public int duplicateCount() {
        return duplicates;
    }

    /** The key of every distinct vendor event, in the order the events happened. */
    public Set<String> eventKeys() {
        return byEventKey.keySet();
    }

    /** The state when every delivery is acknowledged. */
    public ExpectedState expected() {
        return expected(byEventKey.keySet());
    }

    /**
     * The state made by the events whose keys are in {@code acknowledged} (e.g. {@link Report#acknowledgedEventKeys()});
     * keys of other scenarios are ignored.
     */
    public ExpectedState expected(Set<String> acknowledged) {
        List<ExpectedState.EventFact> facts = new ArrayList<>();
        for (Step s : byEventKey.values()) {
            if (acknowledged.contains(s.eventKey())) {
                facts.addAll(s.facts());
            }
        }
        if (options.vendor() != Vendor.CONFIDENT) {
            return ExpectedState.of(options.vendor().id(), facts);
        }
        return ExpectedState.of(options.vendor().id(), facts, f -> {
            try {
                JsonNode sample = MAPPER.readTree(byEventKey.get(f.eventKey()).make().get().body());
                return ExpectedState.confidentPanel(f.entityKey(), sample);
            } catch (IOException e) {
                throw new UncheckedIOException("the simulator's own body does not parse", e);
            }
        });
    }

    @Override
    public String toString() {
        return "Scenario[" + options.vendor().id() + ", " + options.count() + " entities, " + size() + " deliveries ("
                + duplicates + " duplicates)" + (options.shuffle() ? ", shuffled" : "") + ", seed " + options.seed()
                + ", prefix '" + options.idPrefix() + "']";
    }

    private final class Deliveries extends AbstractList<Delivery> implements RandomAccess {
        @Override
        public Delivery get(int index) {
            return order.get(index).make().get();
        }

        @Override
        public int size() {
            return order.size();
        }
    }

    // ---------------------------------------------------------------- Confident

    private static List<Step> confident(Options o) {
        List<Step> steps = new ArrayList<>();
        Instant base = base(o.seed());
        for (int i = 0; i < o.count(); i++) {
            String id = o.idPrefix() + String.format(Locale.ROOT, "SMP%06d", i + 1);
            long seed = mix(o.seed(), 'C', i);
            Random r = new Random(seed);
            Instant t = base.plus(3L * i, ChronoUnit.MINUTES).plus(r.nextInt(60_000_000), ChronoUnit.MICROS);
            String key = "confident:sample:" + id;
            String type = "lab.confident.sample.publish";
            Instant first = t;
            for (int rev = 0; rev < o.revisions(); rev++) {
                if (rev > 0) {
                    t = t.plus(120 + r.nextInt(24 * 60), ChronoUnit.MINUTES).plus(r.nextInt(1_000_000), ChronoUnit.MICROS);
                }
                long version = micros(t);
                String eventKey = key + " " + type + " v" + version;
                int revision = rev;
                Instant at = t;
                steps.add(new Step(eventKey, at, List.of(new ExpectedState.EventFact(eventKey, key, "sample", id, type, version, false)),
                        () -> Delivery.postJson(json(confidentBody(id, first, at, revision, seed)), eventKey,
                                userAgent(Vendor.CONFIDENT))));
            }
        }
        return steps;
    }

    /** Revision {@code revision} of a sample: the panel, then one amended cannabinoid per revision. */
    private static ObjectNode confidentBody(String id, Instant first, Instant lastModified, int revision, long seed) {
        ObjectNode panel = ConfidentPayloads.panel(id, first, seed);
        if (revision == 0) {
            return panel;
        }
        ObjectNode s = ConfidentPayloads.revision(panel, lastModified);
        Random r = new Random(mix(seed, 0xA3E4D));
        ArrayNode compounds = (ArrayNode) s.path("lab_data").path("categories").path("cannabinoids").path("compounds");
        for (int i = 1; i <= revision; i++) {
            ObjectNode c = (ObjectNode) compounds.get(r.nextInt(compounds.size()));
            c.put("value", String.format(Locale.ROOT, "%.2f", 0.03 + r.nextDouble() * 0.5));
        }
        return s;
    }

    // ---------------------------------------------------------------- Flabs

    private static List<Step> flabs(Options o) {
        List<Step> steps = new ArrayList<>();
        long base = base(o.seed()).getEpochSecond();
        for (int i = 0; i < o.count(); i++) {
            String labId = o.idPrefix() + "lab" + (i % 3 + 1);
            String billId = o.idPrefix() + String.format(Locale.ROOT, "bill_%06d", i + 1);
            long seed = mix(o.seed(), 'F', i);
            Random r = new Random(seed);
            long t = base + 240L * i + r.nextInt(60);
            int reports = FlabsPayloads.testCount(seed);
            int fate = r.nextInt(10); // 0: deleted before completing, 1: deleted after completing
            int reportsDone = fate == 0 ? r.nextInt(reports) : reports;
            FlabsStep.add(steps, labId, billId, "bill.created", t, -1, seed);
            for (int k = 0; k < reportsDone; k++) {
                t += 600 + r.nextInt(3_000);
                FlabsStep.add(steps, labId, billId, "report.completed", t, k, seed);
            }
            if (fate != 0) {
                t += 60 + r.nextInt(600);
                FlabsStep.add(steps, labId, billId, "bill.completed", t, -1, seed);
            }
            if (fate <= 1) {
                t += 3_600 + r.nextInt(86_400);
                FlabsStep.add(steps, labId, billId, "bill.deleted", t, -1, seed);
            }
        }
        return steps;
    }

    private static final class FlabsStep {
        private static final Map<String, Integer> RANK = Map.of("bill.created", 1, "report.completed", 2,
                "bill.completed", 3, "bill.deleted", 4);

        private FlabsStep() {
        }

        static void add(List<Step> steps, String labId, String billId, String event, long eventTime, int report, long seed) {
            String entityId = labId + ":" + billId;
            String key = "flabs:bill:" + entityId;
            String type = "lab.flabs." + event;
            long version = eventTime * 1000 + RANK.get(event);
            String eventKey = key + " " + type + " v" + version;
            steps.add(new Step(eventKey, Instant.ofEpochSecond(eventTime),
                    List.of(new ExpectedState.EventFact(eventKey, key, "bill", entityId, type, version, event.equals("bill.deleted"))),
                    () -> {
                        ObjectNode body = switch (event) {
                            case "bill.created" -> FlabsPayloads.billCreated(labId, billId, eventTime, seed);
                            case "report.completed" -> FlabsPayloads.reportCompleted(labId, billId, eventTime, report, seed);
                            case "bill.completed" -> FlabsPayloads.billCompleted(labId, billId, eventTime, seed);
                            default -> FlabsPayloads.billDeleted(labId, billId, eventTime, seed);
                        };
                        return Delivery.postJson(FlabsPayloads.bytes(body), eventKey, userAgent(Vendor.FLABS));
                    }));
        }
    }

    // ---------------------------------------------------------------- LML

    private static List<Step> lml(Options o) {
        List<Step> steps = new ArrayList<>();
        Instant base = base(o.seed());
        long prefix = mix(o.idPrefix().hashCode(), 0x11A1);
        for (int i = 0; i < o.count(); i++) {
            Random r = new Random(mix(o.seed(), 'L', i));
            Instant t = base.plus(5L * i, ChronoUnit.MINUTES).plusSeconds(r.nextInt(300));
            if (i % 2 == 1) {
                String id = LmlPayloads.id(mix(prefix, 'O', i));
                lmlStep(steps, "order", id, "order.shipped", 1, t, null, () -> LmlPayloads.orderShipped(id));
                if (r.nextInt(5) != 0) {
                    t = t.plus(20 + r.nextInt(52), ChronoUnit.HOURS);
                    lmlStep(steps, "order", id, "order.delivered", 2, t, null, () -> LmlPayloads.orderDelivered(id));
                }
                continue;
            }
            String id = LmlPayloads.id(mix(prefix, 'R', i));
            String registration = id;
            lmlStep(steps, "test_registration", id, "test_registration.complete", 1, t, null,
                    () -> LmlPayloads.testRegistrationComplete(registration));
            t = t.plus(24 + r.nextInt(72), ChronoUnit.HOURS).plusSeconds(r.nextInt(3_600));
            OffsetDateTime received = OffsetDateTime.ofInstant(t, ZoneOffset.ofHours(1));
            lmlStep(steps, "test_registration", id, "test_registration.sample_received", 2, t, null,
                    () -> LmlPayloads.sampleReceived(registration, received));
            if (r.nextInt(4) == 0) {
                String retestId = LmlPayloads.id(mix(prefix, 'T', i));
                t = t.plus(6 + r.nextInt(30), ChronoUnit.HOURS);
                lmlStep(steps, "test_registration", id, "test_registration.retest", 3, t, retestId,
                        () -> LmlPayloads.retest(registration, retestId));
                t = t.plus(48 + r.nextInt(72), ChronoUnit.HOURS).plusSeconds(r.nextInt(3_600));
                OffsetDateTime retestReceived = OffsetDateTime.ofInstant(t, ZoneOffset.ofHours(1));
                lmlStep(steps, "test_registration", retestId, "test_registration.sample_received", 2, t, null,
                        () -> LmlPayloads.sampleReceived(retestId, retestReceived));
                id = retestId;
            }
            t = t.plus(12 + r.nextInt(36), ChronoUnit.HOURS);
            String resulted = id;
            String resultsId = LmlPayloads.id(mix(prefix, 'X', i));
            lmlStep(steps, "test_registration", id, "lab_results.complete", 4, t, null,
                    () -> LmlPayloads.labResultsComplete(resulted, resultsId));
        }
        return steps;
    }

    private static void lmlStep(List<Step> steps, String entityType, String id, String event, long version, Instant at,
                                String retestId, Supplier<ObjectNode> body) {
        String key = "lml:" + entityType + ":" + id;
        String type = "lab.lml." + event;
        String eventKey = key + " " + type + " v" + version;
        List<ExpectedState.EventFact> facts = new ArrayList<>();
        facts.add(new ExpectedState.EventFact(eventKey, key, entityType, id, type, version, false));
        if (retestId != null) {
            facts.add(new ExpectedState.EventFact(eventKey, "lml:test_registration:" + retestId, "test_registration",
                    retestId, "lab.lml.test_registration.retest_created", 0L, false));
        }
        steps.add(new Step(eventKey, at, List.copyOf(facts),
                () -> Delivery.postJson(LmlPayloads.bytes(body.get()), eventKey, userAgent(Vendor.LML))));
    }

    // ---------------------------------------------------------------- CoreOne

    private static List<Step> coreOne(Options o) {
        List<Step> steps = new ArrayList<>();
        Instant base = base(o.seed());
        long idBase = COREONE_PREFIX_BLOCK * (1 + Math.floorMod(mix(o.idPrefix().hashCode(), 0xC0E1), 90_000L));
        int n = o.count();
        int k = o.revisions();
        for (int f = 0; f < COREONE_FAMILIES.size(); f++) {
            String family = COREONE_FAMILIES.get(f);
            for (int j = 0; j < n; j++) {
                long id = idBase + f * COREONE_FAMILY_BLOCK + j + 1;
                long seed = mix(o.seed(), 'K', f, j);
                Random r = new Random(seed);
                boolean even = j % 2 == 0;
                boolean destroy = j % 3 == 0;
                List<String> actions = new ArrayList<>();
                switch (family) {
                    case "accession" -> {
                        actions.add("receive");
                        for (int u = 0; u < k; u++) {
                            actions.add("status_change");
                        }
                        actions.add("client_change");
                    }
                    case "accession_lab_section" -> {
                        actions.add("create");
                        for (int u = 0; u <= k; u++) {
                            actions.add(u % 2 == 0 ? "release" : "unrelease");
                        }
                        if (destroy) {
                            actions.add("destroy");
                        }
                    }
                    case "client", "clinical_histories", "comment" -> {
                        actions.add("create");
                        for (int u = 0; u < k; u++) {
                            actions.add("update");
                        }
                        if (destroy) {
                            actions.add("destroy");
                        }
                    }
                    case "attachment", "hl7message", "instrument", "nahln_transmission" -> {
                        if (even) {
                            actions.add("fail");
                        }
                        actions.add("process");
                    }
                    case "leaf" -> {
                        if (even) {
                            actions.add("fail");
                        }
                        actions.add("match");
                    }
                    case "invoice" -> {
                        actions.add("create");
                        if (even) {
                            actions.add("client_change");
                        }
                        actions.add("close");
                    }
                    default -> actions.add("create"); // credit_note, payment
                }
                Instant t = base.plus((long) (f * n + j) * 2, ChronoUnit.MINUTES).plusMillis(r.nextInt(120_000));
                for (String action : actions) {
                    t = t.plus(5 + r.nextInt(180), ChronoUnit.MINUTES).plusMillis(r.nextInt(60_000));
                    coreOneStep(steps, family + "/" + action, family, Long.toString(id), id, t, seed, micros(t));
                }
                if (family.equals("instrument")) {
                    long instrumentId = idBase + COREONE_FAMILIES.size() * COREONE_FAMILY_BLOCK + j + 1;
                    t = t.plus(5 + r.nextInt(180), ChronoUnit.MINUTES);
                    coreOneStep(steps, "instrument/request_instrument_file", family, Long.toString(instrumentId),
                            instrumentId, t, seed, null);
                    t = t.plus(1 + r.nextInt(10), ChronoUnit.MINUTES);
                    String name = CoreOnePayloads.body("instrument/generate_instrument_file", id, t, seed).path("instrument").asText();
                    coreOneStep(steps, "instrument/generate_instrument_file", family, name, id, t, seed, null);
                }
            }
        }
        return steps;
    }

    private static void coreOneStep(List<Step> steps, String webhookType, String object, String entityId, long bodyId,
                                    Instant at, long seed, Long version) {
        String key = "coreone:" + object + ":" + entityId;
        String action = CoreOnePayloads.action(webhookType);
        String type = "lab.coreone." + object + "." + action;
        String eventKey = key + " " + type + (version == null ? " body " + bodyId : " v" + version);
        Instant updatedAt = at.truncatedTo(ChronoUnit.MILLIS);
        // the normalizer puts a destroy one microsecond after its timestamp, so that it wins a tie with an update
        Long canonicalVersion = version != null && action.equals("destroy") ? Long.valueOf(version + 1) : version;
        steps.add(new Step(eventKey, at,
                List.of(new ExpectedState.EventFact(eventKey, key, object, entityId, type, canonicalVersion, action.equals("destroy"))),
                () -> {
                    Map<String, String> headers = new LinkedHashMap<>(userAgent(Vendor.COREONE));
                    headers.put(CoreOnePayloads.TYPE_HEADER, webhookType);
                    return Delivery.postJson(CoreOnePayloads.bytes(CoreOnePayloads.body(webhookType, bodyId, updatedAt, seed)),
                            eventKey, headers);
                }));
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] json(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON tree always serializes", e);
        }
    }

    private static Map<String, String> userAgent(Vendor v) {
        return Map.of("User-Agent", "labhooks-send/" + v.id());
    }

    /** Where a seed's events start: within half a year after 2024-03-01, at a whole minute. */
    private static Instant base(long seed) {
        return EPOCH.plus(Math.floorMod(mix(seed, 0xBA5E), 180L * 24 * 60), ChronoUnit.MINUTES);
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L);
    }

    /** SplitMix64 over the parts: a well-spread seed for each entity. */
    static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            long z = h ^ p;
            z += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            h = z ^ (z >>> 31);
        }
        return h;
    }
}
