package io.labhooks.cli;

import io.labhooks.config.Durations;
import io.labhooks.config.UnitFormatException;
import io.labhooks.config.Vendor;
import io.labhooks.testkit.sim.Credentials;
import io.labhooks.testkit.sim.DeliveryPolicy;
import io.labhooks.testkit.sim.ExpectedState;
import io.labhooks.testkit.sim.Report;
import io.labhooks.testkit.sim.Scenario;
import io.labhooks.testkit.sim.Simulator;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code labhooks send}: a vendor simulator and load generator. It sends realistic payloads the way the vendor
 * does, including its retries and (Confident) its disabling of a failing webhook, and can write the warehouse
 * state the run should produce.
 */
@Command(name = "send", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate a vendor's webhook: realistic payloads, sent the way the vendor sends them.",
                "  confident  sample panels (157 analytes, 11 categories, ND and <LOQ, pass and",
                "             fail) and their revisions; 3 retries per event; the webhook is",
                "             disabled after 10 consecutive failures",
                "  flabs      bills: created, report.completed per report, completed, sometimes",
                "             deleted; 3 retries 2 minutes apart; a 10 s response limit",
                "  lml        test registrations (with retests) and orders; retries for ~3 days",
                "             (an assumption: LML's document says only \"attempted multiple times\")",
                "  coreone    all 33 documented webhook types, signed (X-Coreone-Webhook-Hash)",
                "             and typed (X-Coreone-Webhook-Type); 3 retries (assumed)",
                "Only a 200 acknowledges a delivery (Flabs: any 2xx). At the end a summary:",
                "requests, statuses, retries, gave up, disabled, latency p50/p99. Progress every",
                "2 s on stderr.",
                "Against 'labhooks local' and its development secrets:",
                "  labhooks send --vendor coreone --secret dev-coreone-secret \\",
                "      --url http://localhost:8080/hooks/coreone",
                "  labhooks send --vendor confident --token dev-confident-token \\",
                "      --url http://localhost:8080/hooks/confident",
                ""},
        footer = {"", "Exit codes: 0 every delivery was acknowledged, 1 a delivery was given up or",
                "the webhook was disabled, 2 bad usage."})
final class SendCommand implements Callable<Integer> {

    @Option(names = "--vendor", required = true, paramLabel = "VENDOR",
            description = "The vendor to simulate: confident, flabs, lml or coreone.")
    String vendor;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "Where the vendor posts, e.g. http://localhost:8080/hooks/flabs. For Confident's path token, "
                    + "either include it (.../hooks/confident/TOKEN) or pass --token.")
    String url;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Auth auth;

    /** The credentials: one or none. */
    static final class Auth {
        @Option(names = "--secret", paramLabel = "SECRET",
                description = "CoreOne's webhook secret: each body is signed with HMAC-SHA256 (hex) in X-Coreone-Webhook-Hash.")
        String secret;

        @Option(names = "--token", paramLabel = "TOKEN",
                description = "Flabs: sent as 'Authorization: Bearer TOKEN'. Confident and LML: appended to the URL as /TOKEN.")
        String token;
    }

    @Option(names = "--count", paramLabel = "N", defaultValue = "10",
            description = "Entities, each with its whole lifecycle: Confident samples, Flabs bills, LML registrations and "
                    + "orders (alternately), CoreOne objects of each of its 13 object families (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--revisions", paramLabel = "K", defaultValue = "2",
            description = "Confident revisions per sample; CoreOne updates per object (default: ${DEFAULT-VALUE}).")
    int revisions;

    @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
            description = "Requests per second, retries included; 0 for as fast as --concurrency allows (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--concurrency", paramLabel = "C", defaultValue = "4",
            description = "Requests in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--duplicates", paramLabel = "P", defaultValue = "0",
            description = "Probability (0..1) that a delivery is delivered once more later, with the same body (default: ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--shuffle",
            description = "Send the deliveries in a random order instead of the order the events happened.")
    boolean shuffle;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the payloads, ids, times, duplicates and order: the same seed sends the same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--id-prefix", paramLabel = "PREFIX",
            description = "Goes into (or, for LML's UUIDs and CoreOne's numeric ids, picks) every id, so that runs do not "
                    + "collide; up to 40 of [A-Za-z0-9_.-] (default: s<seed>-).")
    String idPrefix;

    @Option(names = "--time-scale", paramLabel = "X", defaultValue = "1.0",
            description = "Multiplies the vendor's retry intervals: 0.001 makes Flabs' 2 minutes 120 ms (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--request-timeout", paramLabel = "DURATION",
            description = "Replaces the vendor's response limit (Flabs 10s, the others 30s), e.g. 500ms, 10s, 2m. Not scaled by --time-scale.")
    String requestTimeout;

    @Option(names = "--expect-out", paramLabel = "FILE",
            description = "Write the expected warehouse state as JSON: entities, distinct events and (Confident) results, "
                    + "made by the acknowledged deliveries only.")
    Path expectOut;

    @Option(names = "--quiet", description = "No progress lines on stderr; only the summary.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> problems = new ArrayList<>();
        Vendor v = vendor(problems);
        URI target = url(problems);
        Duration timeout = timeout(problems);
        Scenario.Options options = null;
        if (v != null) {
            try {
                options = new Scenario.Options(v, count, revisions, duplicates, shuffle, seed, idPrefix);
            } catch (IllegalArgumentException e) {
                problems.add(optionName(e.getMessage()));
            }
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            problems.add("--rate must be a number >= 0, was " + rate);
        }
        if (concurrency < 1 || concurrency > 10_000) {
            problems.add("--concurrency must be in 1..10000, was " + concurrency);
        }
        if (!(timeScale >= 0) || Double.isInfinite(timeScale)) {
            problems.add("--time-scale must be a number >= 0, was " + timeScale);
        }
        if (auth != null && auth.secret != null && v != null && v != Vendor.COREONE) {
            problems.add("--secret signs CoreOne deliveries; " + v.id() + " sends --token");
        }
        if (auth != null && auth.token != null && v == Vendor.COREONE) {
            problems.add("--token is not how CoreOne authenticates; pass its webhook secret with --secret");
        }
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join(System.lineSeparator(), problems));
        }
        return send(v, target, timeout, options);
    }

    private int send(Vendor v, URI target, Duration timeout, Scenario.Options options) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario scenario = Scenario.build(options);
        DeliveryPolicy policy = DeliveryPolicy.forVendor(v);
        if (timeout != null) {
            policy = policy.withRequestTimeout(timeout);
        }
        String secret = auth == null ? null : auth.secret != null ? auth.secret : auth.token;
        Credentials credentials = Credentials.forVendor(v, secret);
        String shownUrl = redact(v, target.toString());
        if (credentials.kind() == Credentials.Kind.PATH_TOKEN) {
            shownUrl = shownUrl.replaceFirst("/?$", "/****");
        }
        if (!quiet) {
            if (credentials.kind() == Credentials.Kind.NONE) {
                err.println("labhooks send: no --secret or --token: the deliveries carry no credentials");
            }
            err.println("labhooks send: " + scenario.size() + " deliveries to " + shownUrl + "; " + policy.describe()
                    + (timeScale == 1.0 ? "" : ", retry intervals x " + timeScale));
            err.flush();
        }
        Simulator.Builder b = Simulator.builder(target).credentials(credentials).policy(policy).rate(rate)
                .concurrency(concurrency).timeScale(timeScale);
        if (!quiet) {
            b.progress(Duration.ofSeconds(2), r -> {
                err.println(r.progressLine());
                err.flush();
            });
        }
        Report report;
        try (Simulator sim = b.build()) {
            report = sim.run(scenario);
        }
        out.printf(Locale.ROOT, "%-11s %s -> %s%n", "vendor", v.id(), shownUrl);
        String entities = v == Vendor.COREONE
                ? options.count() + " objects in each of " + Scenario.COREONE_FAMILIES.size() + " families"
                : options.count() + " entities";
        out.printf(Locale.ROOT, "%-11s %s, %d deliveries (%d duplicates)%s, seed %d, id prefix %s%n", "scenario",
                entities, scenario.size(), scenario.duplicateCount(), options.shuffle() ? ", shuffled" : "",
                options.seed(), options.idPrefix());
        out.print(report.summary());
        if (expectOut != null) {
            ExpectedState expected = scenario.expected(report.acknowledgedEventKeys());
            expected.write(expectOut);
            out.printf(Locale.ROOT, "%-11s %s -> %s%n", "expected", expected.counts(), expectOut);
        }
        out.flush();
        return report.exitCode();
    }

    private Vendor vendor(List<String> problems) {
        String id = vendor.trim().toLowerCase(Locale.ROOT);
        for (Vendor v : List.of(Vendor.CONFIDENT, Vendor.FLABS, Vendor.LML, Vendor.COREONE)) {
            if (v.id().equals(id)) {
                return v;
            }
        }
        problems.add("--vendor must be confident, flabs, lml or coreone, was '" + vendor + "'");
        return null;
    }

    private URI url(List<String> problems) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
                return u;
            }
        } catch (URISyntaxException e) {
            problems.add("--url is not a URL: " + e.getMessage());
            return null;
        }
        problems.add("--url must be http:// or https:// with a host, was '" + url + "'");
        return null;
    }

    private Duration timeout(List<String> problems) {
        if (requestTimeout == null) {
            return null;
        }
        Duration d = parseDuration(requestTimeout);
        if (d == null || d.isZero() || d.isNegative()) {
            problems.add("--request-timeout must be a positive duration such as 500ms, 10s or 2m, was '" + requestTimeout + "'");
            return null;
        }
        return d;
    }

    /** A duration in the command-line form of {@link Durations#parse} ({@code 500ms}, {@code 1.5s}, {@code PT10S}); null if not one. */
    static Duration parseDuration(String text) {
        try {
            return Durations.parse(text);
        } catch (UnitFormatException e) {
            return null;
        }
    }

    /** The Scenario's message with the option's command-line name. */
    private static String optionName(String message) {
        return "--" + message.replaceFirst("^idPrefix", "id-prefix");
    }

    /** A Confident URL with its path token hidden: {@code …/hooks/confident/****}. */
    static String redact(Vendor v, String url) {
        if (v != Vendor.CONFIDENT) {
            return url;
        }
        return url.replaceFirst("(/hooks/[^/?#]+/)[^/?#]+", "$1****");
    }
}
