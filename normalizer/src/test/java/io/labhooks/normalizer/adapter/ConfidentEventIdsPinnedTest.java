package io.labhooks.normalizer.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.labhooks.schemas.events.CanonicalEvent;
import io.labhooks.testkit.payloads.ConfidentPayloads;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Event ids derive from parsed versions: these were computed by the Confident adapter before it was split onto the
 * shared helpers, and must never change (a changed id would re-deliver every sample as a new event).
 */
class ConfidentEventIdsPinnedTest {
    static final Map<String, String> PINNED = new LinkedHashMap<>();

    static {
        PINNED.put("denver:offsetless-timestamp.json", "8760c15cea2a8c1c9d99e858e2ce6100a25c1b3b5bdc1373c6a89a414cf19c97");
        PINNED.put("edge-values.json", "35ed871d06dd6db86de1b99b4ca856218178fe097338e97c5ec1a9c49163ea02");
        PINNED.put("envelope", "a2d7207eed29efc01d93e64743755cb2a150501fdb57e18472c16144bf075ba7");
        PINNED.put("full-panel.json", "e372df8501435926c949795a498c993a39b08fade67a9268628de8d26540cea3");
        PINNED.put("last_modified=\"1705771800123\"", "c61212335369f49d8c35acae51a6854717f2b4e5873a30093f11098e981fe12c");
        PINNED.put("last_modified=\"2024-01-20 17:30\"", "661939f7b4cb5f39267dd917625157d5a465a42759206fe89084e0e867d85320");
        PINNED.put("last_modified=\"2024-01-20 17:30:00,5 UTC\"", "a85cf67e74cf50b3a4254dd7e3e385c91995e45675ec4209aa5e72ff301b3b30");
        PINNED.put("last_modified=\"2024-01-20 17:30:00.123456+00:00\"", "cb2f09f530e11326ca24df88dcee041ae86a1d023d1db3ea85d5bd855b7ddef0");
        PINNED.put("last_modified=\"2024-01-20\"", "1b30757eb07fd5d45906c82d30caaefb00e369a86966770bb9d8d2cbf5c98846");
        PINNED.put("last_modified=\"2024-01-20T17:30:00\"", "661939f7b4cb5f39267dd917625157d5a465a42759206fe89084e0e867d85320");
        PINNED.put("last_modified=\"2024-01-20T17:30:00.123456789Z\"", "cb2f09f530e11326ca24df88dcee041ae86a1d023d1db3ea85d5bd855b7ddef0");
        PINNED.put("last_modified=\"2024-01-20T17:30:00z\"", "661939f7b4cb5f39267dd917625157d5a465a42759206fe89084e0e867d85320");
        PINNED.put("last_modified=\"2024-01-20T18:30:00+01\"", "661939f7b4cb5f39267dd917625157d5a465a42759206fe89084e0e867d85320");
        PINNED.put("last_modified=\"2024-01-20T18:30:00+0100\"", "661939f7b4cb5f39267dd917625157d5a465a42759206fe89084e0e867d85320");
        PINNED.put("last_modified=1705771800", "661939f7b4cb5f39267dd917625157d5a465a42759206fe89084e0e867d85320");
        PINNED.put("last_modified=1705771800.25", "845e0d0c3befab308bc706edd430f34a339a939af4de7ad4e8e82e03020a2bdb");
        PINNED.put("last_modified=1705771800123", "c61212335369f49d8c35acae51a6854717f2b4e5873a30093f11098e981fe12c");
        PINNED.put("last_modified=1705771800123456", "cb2f09f530e11326ca24df88dcee041ae86a1d023d1db3ea85d5bd855b7ddef0");
        PINNED.put("minimal.json", "d251105b5580a08689017c55cf15cb41e28ceea3a1312e7ad5a6a82d68c84ef6");
        PINNED.put("offsetless-timestamp.json", "14000faec53890c1d43625bd5dc56ea2a20cdebae4ad8bcb179f56e1856cd976");
        PINNED.put("panel", "d9b1af58b1f6b9bf750c054733576f01d50205fe54d8febbe02e5ad62429c53f");
        PINNED.put("pass-through", "77459e917cbd8e77bb864b55b8df7fbc4c9d920f8f19f57a19f54b0e29e68b90");
        PINNED.put("revision-r1.json", "3f2b063c8fc7117ca586c46b86bfcb3131e89e185c7a8baf5bb6c76d5d02062a");
        PINNED.put("revision-r2.json", "35c415a0acbb0a520716ff91b7188c7f0e5459a1fe7747fc196e0cbd12f246d4");
    }

    final ConfidentAdapter adapter = new ConfidentAdapter(new Json());

    static Map<String, byte[]> bodies() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String f : List.of("edge-values.json", "full-panel.json", "minimal.json", "offsetless-timestamp.json",
                "revision-r1.json", "revision-r2.json")) {
            m.put(f, ConfidentAdapterTest.fixture(f));
        }
        String[] stamps = {"\"2024-01-20T17:30:00z\"", "\"2024-01-20T18:30:00+0100\"", "\"2024-01-20T18:30:00+01\"",
            "\"2024-01-20 17:30:00.123456+00:00\"", "\"2024-01-20 17:30:00,5 UTC\"", "\"2024-01-20T17:30:00.123456789Z\"",
            "\"2024-01-20T17:30:00\"", "\"2024-01-20 17:30\"", "\"2024-01-20\"", "1705771800", "1705771800.25",
            "1705771800123", "1705771800123456", "\"1705771800123\""};
        for (String s : stamps) {
            m.put("last_modified=" + s, ("{\"id\":\"T-1\",\"last_modified\":" + s + "}").getBytes());
        }
        m.put("envelope", "{\"event\":\"sample.publish\",\"data\":{\"id\":\"E-1\",\"last_modified\":\"2024-01-01T00:00:00Z\"}}".getBytes());
        m.put("pass-through", "{\"event\":\"sample.deleted\",\"data\":{\"id\":\"E-1\",\"last_modified\":\"2024-01-01T00:00:00Z\"}}".getBytes());
        ObjectNode panel = ConfidentPayloads.panel("P-1", Instant.parse("2024-03-01T12:00:00Z"), 7);
        m.put("panel", panel.toString().getBytes());
        return m;
    }

    static String ids(AdapterResult r) {
        return ((AdapterResult.Accepted) r).events().stream().map(CanonicalEvent::id).reduce((a, b) -> a + "," + b).orElseThrow();
    }

    @Test
    void theEventIdsOfTheFixturesNeverChange() {
        Map<String, String> now = new LinkedHashMap<>();
        bodies().forEach((name, body) -> now.put(name, ids(adapter.adapt(ConfidentAdapterTest.input(body)))));
        now.put("denver:offsetless-timestamp.json", ids(adapter.adapt(ConfidentAdapterTest.input(
                ConfidentAdapterTest.source(ZoneId.of("America/Denver"), 1 << 20),
                ConfidentAdapterTest.fixture("offsetless-timestamp.json")))));
        assertThat(now).isEqualTo(PINNED);
    }
}
