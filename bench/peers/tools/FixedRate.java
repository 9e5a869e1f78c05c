import io.labhooks.bench.Latency;
import io.labhooks.bench.LoadClient;
import io.labhooks.bench.Payloads;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The project's own load client (labhooks-dev.jar's {@code io.labhooks.bench.LoadClient}) at a fixed rate, each
 * request timed from when it was due (coordinated omission corrected, as wrk2 does), against one server; prints one
 * line {@code FIXEDRATE requests=… ok=… rps=… p50_us=… p99_us=… p999_us=… max_us=… non2xx=… errors=…}:
 *
 *   java -cp cli-dev/target/labhooks-dev.jar:TOOLS FixedRate HOST PORT PATH BODY_BYTES RATE SECONDS CONNECTIONS
 *
 * A closed loop (wrk) hides the tail: a stalled server delays the requests behind it, and they are never sent late.
 */
public class FixedRate {
    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: FixedRate HOST PORT PATH BODY_BYTES RATE SECONDS CONNECTIONS");
            System.exit(2);
        }
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int bodyBytes = Integer.parseInt(args[3]);
        double rate = Double.parseDouble(args[4]);
        double seconds = Double.parseDouble(args[5]);
        int connections = Integer.parseInt(args[6]);
        int requests = (int) Math.max(1, Math.round(rate * seconds));
        try (LoadClient client = new LoadClient(server, args[2], Map.of(), new Payloads(bodyBytes), connections, rate,
                Duration.ofSeconds(10))) {
            LoadClient.Outcome o = client.run(0, requests);
            Latency l = Latency.ofNanos(o.latencyNanos());
            int non2xx = o.nonOk().values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf(Locale.ROOT, "FIXEDRATE requests=%d ok=%d rps=%.1f p50_us=%.0f p99_us=%.0f p999_us=%.0f max_us=%.0f "
                            + "non2xx=%d errors=%d%n", o.requests(), o.ok(), o.requestsPerSec(), l.p50Ms() * 1000, l.p99Ms() * 1000,
                    l.p999Ms() * 1000, l.maxMs() * 1000, non2xx, o.ioErrors());
        }
    }
}
