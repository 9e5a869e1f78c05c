package io.labhooks.cli.replay;

import io.labhooks.config.LabhooksConfig;
import java.io.PrintWriter;

/** Runs one scan for a command: progress lines on {@code err}, the totals on {@code out} (also after a failure). */
public final class Runner {
    private Runner() {
    }

    /**
     * @return 0 when every selected record was published (or counted, in a dry run)
     * @throws RepublishException after printing the totals so far
     */
    public static int run(LabhooksConfig config, String label, boolean dryRun, Scan scan, Selector selector,
                          PrintWriter out, PrintWriter err) {
        Totals totals;
        try (Republisher republisher = new Republisher(config, label.replace(' ', '-'), dryRun)) {
            totals = republisher.run(scan, selector, t -> {
                err.println(t.progressLine(label));
                err.flush();
            });
        } catch (RepublishException e) {
            out.print(e.totals().summary());
            out.flush();
            throw e;
        }
        out.print(totals.summary());
        out.flush();
        return 0;
    }
}
