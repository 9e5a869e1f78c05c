package io.labhooks.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code labhooks} command. Each part of the pipeline is a subcommand; {@code local} runs them all. */
@Command(name = "labhooks", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Lab webhooks to Kafka to a SQL warehouse, without losing or duplicating a delivery.", ""},
        footer = {"", "Run 'labhooks COMMAND --help' for a command's options.",
                "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or config."})
public final class Main implements Runnable {
    /** The subcommands of the dev kit, with the summary their placeholder shows where the dev kit is absent. */
    static final Map<String, String> DEV_COMMANDS = devCommands();

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
        CommandLine cl = commandLine();
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

    /**
     * The command tree, in the order of the help: each production part, and each dev-kit command from
     * {@link ServiceLoader} or, where the dev kit is absent, its {@link DevOnly} placeholder.
     */
    static CommandLine commandLine() {
        Map<String, Object> dev = new LinkedHashMap<>();
        for (DevCommand d : ServiceLoader.load(DevCommand.class, Main.class.getClassLoader())) {
            if (!DEV_COMMANDS.containsKey(d.name())) {
                throw new IllegalStateException("unknown dev-kit command '" + d.name() + "' from " + d.getClass().getName());
            }
            dev.put(d.name(), d.command());
        }
        CommandLine cl = new CommandLine(new Main());
        addDev(cl, dev, "local");
        cl.addSubcommand(new IngressCommand());
        cl.addSubcommand(new NormalizerCommand());
        cl.addSubcommand(new SinkCommand());
        cl.addSubcommand(new TopicsCommand());
        addDev(cl, dev, "send");
        cl.addSubcommand(new ReplayCommand());
        cl.addSubcommand(new DlqCommand());
        cl.addSubcommand(new TraceCommand());
        addDev(cl, dev, "bench");
        cl.addSubcommand(new CommandLine.HelpCommand());
        return cl;
    }

    private static void addDev(CommandLine cl, Map<String, Object> dev, String name) {
        Object command = dev.get(name);
        if (command != null) {
            cl.addSubcommand(name, command);
        } else {
            cl.addSubcommand(name, DevOnly.commandLine(name, DEV_COMMANDS.get(name)));
        }
    }

    private static Map<String, String> devCommands() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("local", "Run the pipeline in one JVM with an embedded single-node Kafka broker (KRaft).");
        m.put("send", "Simulate a vendor's webhook: realistic payloads, sent the way the vendor sends them.");
        m.put("bench", "Run a benchmark (bench/README.md).");
        return java.util.Collections.unmodifiableMap(m);
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
