package io.labhooks.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Stands in for a dev-kit subcommand in the production jar: whatever the arguments, it says that the command needs
 * the dev kit and exits 2 (bad usage). {@code --help} still describes it.
 */
@Command(mixinStandardHelpOptions = true)
final class DevOnly implements Callable<Integer> {
    static final String DEV_JAR = "labhooks-dev.jar";
    static final String HINT = "build it with 'mvn -B -q -DskipTests package' and run java -jar cli-dev/target/" + DEV_JAR;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    static CommandLine commandLine(String name, String summary) {
        CommandLine cl = new CommandLine(new DevOnly());
        cl.getCommandSpec().usageMessage().description(summary,
                "Only in the dev kit: this jar is the production distribution. Use " + DEV_JAR + " (" + HINT + ").");
        cl.getCommandSpec().name(name);
        return cl;
    }

    @Override
    public Integer call() {
        CommandLine.Help.ColorScheme colors = spec.commandLine().getColorScheme();
        spec.commandLine().getErr().println(colors.errorText("labhooks " + spec.name() + " needs the dev kit: use "
                + DEV_JAR + " (" + HINT + " " + spec.name() + ")"));
        spec.commandLine().getErr().flush();
        return 2;
    }
}
