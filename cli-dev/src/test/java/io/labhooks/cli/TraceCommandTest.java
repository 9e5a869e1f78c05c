package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.Topics;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labhooks trace} end to end: the whole local pipeline (broker, ingress, normalizer, sink into SQLite), one
 * Confident sample delivered, delivered again (a duplicate), an older revision (stale), and a body the adapter refuses
 * (dead-lettered); then trace finds each delivery with its outcome, the events, the DLQ record and the warehouse row.
 */
class TraceCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SAMPLE = "TRACE-1";
    static final Instant NEW = Instant.parse("2024-05-01T10:00:00Z");
    static final Instant OLD = Instant.parse("2024-04-30T10:00:00Z");

    @TempDir
    static Path dir;

    static LocalPipeline pipeline;
    static final List<String> deliveryIds = new ArrayList<>();
    static String refusedDelivery;

    @BeforeAll
    static void runTheStory() throws Exception {
        pipeline = new LocalPipeline(LocalPipelines.builtInConfig(), dir, 0, 0, false, () -> { });
        ObjectNode panel = ConfidentPayloads.panel(SAMPLE, NEW, 7);
        byte[] current = JSON.writeValueAsBytes(panel);
        deliveryIds.add(post(current));
        awaitEvents(1);
        deliveryIds.add(post(current));
        deliveryIds.add(post(JSON.writeValueAsBytes(ConfidentPayloads.revision(panel, OLD))));
        refusedDelivery = post("{\"not_a_sample\": true}".getBytes(StandardCharsets.UTF_8));
        awaitEvents(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM lab_events WHERE entity_key = 'confident:sample:"
                + SAMPLE + "'") == 2 && count("SELECT count(*) FROM lab_results WHERE entity_key = 'confident:sample:" + SAMPLE + "'") > 0);
        await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.registry().find(io.labhooks.runtime.MetricNames.NORMALIZER_EVENTS)
                .tag("outcome", "invalid").counters().stream().mapToDouble(c -> c.count()).sum() >= 1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void anEntityKeyShowsEveryDeliveryWithItsOutcomeTheEventsAndTheWarehouseRow() throws Exception {
        Run r = trace("confident:sample:" + SAMPLE, "--json");
        assertThat(r.code).as(r.toString()).isZero();
        JsonNode t = JSON.readTree(r.out);
        assertThat(t.path("entity_keys")).extracting(JsonNode::asText).containsExactly("confident:sample:" + SAMPLE);

        JsonNode ds = t.path("deliveries");
        assertThat(ds).hasSize(3);
        assertThat(ds).extracting(d -> d.path("delivery_id").asText()).containsExactlyElementsOf(deliveryIds);
        assertThat(ds).extracting(d -> d.path("outcome").asText()).containsExactly("accepted", "duplicate", "stale");
        assertThat(ds.get(1).path("detail").asText()).contains(deliveryIds.get(0));
        assertThat(ds.get(0).path("topic").asText()).isEqualTo(Topics.RAW);
        assertThat(ds.get(0).path("source").asText()).isEqualTo("confident");

        JsonNode es = t.path("events");
        assertThat(es).hasSize(2);
        assertThat(es).extracting(e -> e.path("hwm_advanced").asBoolean()).containsExactlyInAnyOrder(true, false);
        assertThat(es).extracting(e -> e.path("delivery_id").asText()).containsExactlyInAnyOrder(deliveryIds.get(0), deliveryIds.get(2));
        assertThat(es).extracting(e -> e.path("type").asText()).containsOnly("lab.confident.sample.publish");

        JsonNode w = t.path("warehouse").get(0);
        assertThat(w.path("version").asLong()).isEqualTo(NEW.toEpochMilli() * 1000);
        assertThat(w.path("lab_events").asLong()).isEqualTo(2);
        assertThat(w.path("lab_results").asLong()).isPositive();
        assertThat(t.path("dead_letters")).isEmpty();
        assertThat(r.err).as("progress on stderr").contains("labhooks trace: " + Topics.RAW).contains("% of the range");
    }

    @Test
    void theVendorsOwnIdPrintsTheTimeline() {
        Run r = trace("--vendor", "confident", SAMPLE);
        assertThat(r.code).as(r.toString()).isZero();
        assertThat(r.out).contains("-> accepted").contains("-> duplicate").contains("-> stale")
                .contains("hwm advanced").contains("hwm not advanced").contains("warehouse confident:sample:" + SAMPLE);
        int accepted = r.out.indexOf(deliveryIds.get(0));
        int stale = r.out.indexOf("delivery " + deliveryIds.get(2));
        assertThat(accepted).as("in time order").isLessThan(stale);
    }

    @Test
    void aDeadLetteredDeliveryIsFoundByItsDeliveryId() throws Exception {
        Run r = trace(refusedDelivery, "--json");
        assertThat(r.code).as(r.toString()).isZero();
        JsonNode t = JSON.readTree(r.out);
        assertThat(t.path("deliveries")).hasSize(1);
        assertThat(t.path("deliveries").get(0).path("outcome").asText()).isEqualTo("dead-lettered");
        JsonNode dlq = t.path("dead_letters");
        assertThat(dlq).hasSize(1);
        assertThat(dlq.get(0).path("stage").asText()).isEqualTo("normalize");
        assertThat(dlq.get(0).path("reason").asText()).isNotBlank();
        assertThat(dlq.get(0).path("delivery_id").asText()).isEqualTo(refusedDelivery);
    }

    @Test
    void aDeliveryIdOfTheSampleShowsTheWholeEntity() throws Exception {
        Run r = trace(deliveryIds.get(1), "--json");
        assertThat(r.code).as(r.toString()).isZero();
        assertThat(JSON.readTree(r.out).path("deliveries")).hasSize(3);
    }

    @Test
    void nothingFoundExitsOneAndBadUsageTwo() {
        Run none = trace("confident:sample:NO-SUCH-SAMPLE");
        assertThat(none.code).as(none.toString()).isEqualTo(1);
        assertThat(none.err).contains("nothing found");
        Run bad = trace("not-a-key");
        assertThat(bad.code).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err).contains("neither an entity key");
    }

    record Run(int code, String out, String err) {
    }

    static Run trace(String... args) {
        List<String> all = new ArrayList<>(List.of("trace", "--bootstrap-server", pipeline.kafka.bootstrapServers(),
                "--warehouse", "jdbc:sqlite:" + dir.resolve("warehouse.db"), "--since", "1h"));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static String post(byte[] body) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.port()
                        + "/hooks/confident/dev-confident-token")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return res.headers().firstValue("X-Labhooks-Delivery-Id").orElseThrow();
    }

    static void awaitEvents(int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM lab_events WHERE entity_key = 'confident:sample:"
                + SAMPLE + "'") >= n);
    }

    static long count(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("warehouse.db"));
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (java.sql.SQLException e) {
            return -1; // the sink has not created the tables yet
        }
    }
}
