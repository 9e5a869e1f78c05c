package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.labhooks.config.Secret;
import io.labhooks.config.Vendor;
import io.labhooks.ingress.auth.Hmac;
import io.labhooks.testkit.payloads.CoreOnePayloads;
import io.labhooks.testkit.sim.ExpectedState;
import io.labhooks.testkit.sim.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class SendCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fake vendor receiver: the JDK's HTTP server; answers with what {@code status} picks. */
    private static final class Receiver implements AutoCloseable {
        record Request(String path, com.sun.net.httpserver.Headers headers, byte[] body) {
        }

        final HttpServer server;
        final ExecutorService executor = Executors.newFixedThreadPool(4);
        final List<Request> requests = new ArrayList<>();

        Receiver(Function<Request, Integer> status) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.createContext("/", ex -> answer(ex, status));
            server.setExecutor(executor);
            server.start();
        }

        private void answer(HttpExchange ex, Function<Request, Integer> status) throws IOException {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Request r = new Request(ex.getRequestURI().getRawPath(), ex.getRequestHeaders(), body);
            synchronized (this) {
                requests.add(r);
            }
            try {
                ex.sendResponseHeaders(status.apply(r), -1);
            } finally {
                ex.close();
            }
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        synchronized List<Request> requests() {
            return List.copyOf(requests);
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Test
    void helpDescribesEveryOption() {
        CliRun r = CliRun.of("send", "--help");
        assertThat(r.exitCode()).isZero();
        CommandLine send = Main.commandLine().getSubcommands().get("send");
        List<String> names = new ArrayList<>();
        for (OptionSpec o : send.getCommandSpec().options()) {
            names.add(o.longestName());
            assertThat(String.join(" ", o.description())).as(o.longestName()).isNotBlank();
            assertThat(r.out()).contains(o.longestName());
        }
        assertThat(names).contains("--vendor", "--url", "--secret", "--token", "--count", "--rate", "--concurrency",
                "--revisions", "--duplicates", "--shuffle", "--seed", "--time-scale", "--expect-out", "--quiet",
                "--id-prefix", "--request-timeout", "--help");
        assertThat(r.out()).contains("Exit codes", "10 consecutive failures", "2 minutes");
        assertThat(r.out()).as("LML's retry window is labelled an assumption")
                .contains("retries for ~3 days", "(an assumption: LML's document says only");
        assertThat(r.out()).contains("Confident and LML: appended to the URL as /TOKEN");
        assertThat(CliRun.of("--help").out()).contains("send");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--vendor flabs --url http://localhost:1/hooks/flabs --nope",
        "--url http://localhost:1/hooks/flabs",
        "--vendor generic --url http://localhost:1/hooks/x",
        "--vendor flabs --url ftp://localhost/x",
        "--vendor flabs --url http://localhost:1/hooks/flabs --count 0",
        "--vendor flabs --url http://localhost:1/hooks/flabs --count many",
        "--vendor flabs --url http://localhost:1/hooks/flabs --duplicates 1.5",
        "--vendor flabs --url http://localhost:1/hooks/flabs --concurrency 0",
        "--vendor flabs --url http://localhost:1/hooks/flabs --time-scale -1",
        "--vendor flabs --url http://localhost:1/hooks/flabs --request-timeout soon",
        "--vendor flabs --url http://localhost:1/hooks/flabs --id-prefix a/b",
        "--vendor flabs --url http://localhost:1/hooks/flabs --secret s",
        "--vendor coreone --url http://localhost:1/hooks/coreone --token t",
        "--vendor coreone --url http://localhost:1/hooks/coreone --secret s --token t"})
    void badUsageExitsWith2(String args) {
        CliRun r = CliRun.of(("send " + args).split(" "));
        assertThat(r.exitCode()).as(args).isEqualTo(2);
        assertThat(r.err()).as(args).isNotBlank().contains("Usage: labhooks send");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        CliRun r = CliRun.of("send", "--vendor", "nope", "--url", "x", "--rate", "-1");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--vendor must be", "--url must be", "--rate must be");
    }

    @Test
    void aRunAgainstAReceiverThatAnswers200PrintsTheSummaryAndWritesTheExpectedState(@TempDir Path dir) throws Exception {
        Secret secret = Secret.of("dev-coreone-secret");
        // the receiver checks the signature the way the ingress does
        try (Receiver receiver = new Receiver(r -> Hmac.sha256Hex(secret, r.body())
                .equals(r.headers().getFirst("X-Coreone-Webhook-Hash")) ? 200 : 401)) {
            Path expected = dir.resolve("expected.json");
            CliRun run = CliRun.of("send", "--vendor", "coreone", "--url", receiver.url("/hooks/coreone"),
                    "--secret", "dev-coreone-secret", "--count", "1", "--duplicates", "0.2", "--expect-out", expected.toString());

            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            List<Receiver.Request> got = receiver.requests();
            assertThat(run.out()).contains("vendor      coreone", "deliveries  " + got.size(), "200         " + got.size(),
                    "other       none", "retries     0", "gave up     0", "disabled    no", "p50", "p99",
                    "OK: every delivery was acknowledged", "expected");
            assertThat(run.err()).contains("deliveries to " + receiver.url("/hooks/coreone"));
            assertThat(run.out() + run.err()).doesNotContain("dev-coreone-secret");
            Set<String> types = new HashSet<>();
            got.forEach(r -> types.add(r.headers().getFirst("X-Coreone-Webhook-Type")));
            assertThat(types).containsExactlyInAnyOrderElementsOf(CoreOnePayloads.WEBHOOK_TYPES);

            JsonNode state = JSON.readTree(expected.toFile());
            assertThat(state.path("vendor").asText()).isEqualTo("coreone");
            assertThat(state.path("entities").size()).isGreaterThanOrEqualTo(13);
            ExpectedState all = Scenario.build(Scenario.Options.of(Vendor.COREONE).withCount(1)).expected();
            assertThat(state.path("events").size()).isEqualTo(all.events().size()).isGreaterThanOrEqualTo(33);
            assertThat(ExpectedState.fromJson(state)).isEqualTo(all); // every delivery was acknowledged
            JsonNode entity = state.path("entities").get(0);
            assertThat(entity.has("entity_key") && entity.has("vendor") && entity.has("entity_type") && entity.has("entity_id")
                    && entity.has("deleted") && entity.has("type") && entity.has("version")).isTrue();
            assertThat(state.path("results").isArray()).isTrue();
        }
    }

    @Test
    void confidentDisablesAWebhookThatKeepsFailing(@TempDir Path dir) throws Exception {
        try (Receiver receiver = new Receiver(r -> 500)) {
            Path expected = dir.resolve("expected.json");
            CliRun run = CliRun.of("send", "--vendor", "confident", "--url", receiver.url("/hooks/confident/"),
                    "--token", "dev-confident-token", "--count", "5", "--concurrency", "1", "--time-scale", "0",
                    "--quiet", "--expect-out", expected.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(receiver.requests()).hasSize(10)
                    .allSatisfy(r -> assertThat(r.path()).isEqualTo("/hooks/confident/dev-confident-token"));
            assertThat(run.out()).contains("disabled    YES", "500=10", "FAILED", "/hooks/confident/****")
                    .doesNotContain("dev-confident-token");
            assertThat(run.err()).isEmpty();
            JsonNode state = JSON.readTree(expected.toFile());
            assertThat(state.path("entities")).isEmpty();
            assertThat(state.path("results")).isEmpty();
        }
    }

    @Test
    void flabsRetriesAtTheScaledIntervalAndSendsItsBearerToken() throws Exception {
        List<Integer> statuses = new ArrayList<>(List.of(503));
        try (Receiver receiver = new Receiver(r -> {
            synchronized (statuses) {
                return statuses.isEmpty() ? 200 : statuses.remove(0);
            }
        })) {
            CliRun run = CliRun.of("send", "--vendor", "flabs", "--url", receiver.url("/hooks/flabs"), "--token",
                    "dev-flabs-token", "--count", "2", "--time-scale", "0.001", "--request-timeout", "5s", "--quiet");

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.out()).contains("retries     1", "503=1");
            assertThat(receiver.requests()).allSatisfy(r ->
                    assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer dev-flabs-token"));
        }
    }

    @Test
    void durationsAreReadInTheUsualUnits() {
        assertThat(SendCommand.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(SendCommand.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(SendCommand.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(SendCommand.parseDuration("PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThat(SendCommand.parseDuration("soon")).isNull();
    }
}
