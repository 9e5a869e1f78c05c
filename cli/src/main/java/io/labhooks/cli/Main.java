package io.labhooks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code labhooks} command. Each part of the pipeline is a subcommand; {@code local} runs them all. */
@Command(name = "labhooks", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Lab webhooks to Kafka to a SQL warehouse, without losing or duplicating a delivery.", ""},
        subcommands = {LocalCommand.class, IngressCommand.class, NormalizerCommand.class, SinkCommand.class, TopicsCommand.class,
                SendCommand.class, ReplayCommand.class, DlqCommand.class, TraceCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'labhooks COMMAND --help' for a command's options.",
                "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or config."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (the tests call this directly). */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs with the given output streams. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof io.labhooks.config.ConfigException ce) {
                cmd.getErr().println(ce.getMessage());
                return 2;
            }
            cmd.getErr().println("labhooks " + cmd.getCommandName() + ": " + ex.getMessage());
            org.slf4j.LoggerFactory.getLogger(Main.class).debug("failure", ex);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"labhooks " + (v == null ? "dev" : v)};
        }
    }
}
