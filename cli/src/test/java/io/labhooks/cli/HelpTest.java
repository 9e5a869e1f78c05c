package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class HelpTest {
    @Test
    void topLevelHelpListsEveryCommand() {
        CliRun r = CliRun.of("--help");
        assertThat(r.exitCode()).isZero();
        for (String sub : Main.commandLine().getSubcommands().keySet()) {
            assertThat(r.out()).contains(sub);
        }
        assertThat(CliRun.of().out()).contains("Usage: labhooks");
    }

    @Test
    void everyCommandsHelpDescribesEveryOption() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine(), all);
        assertThat(all).hasSizeGreaterThanOrEqualTo(4);
        for (CommandLine cl : all) {
            CommandSpec spec = cl.getCommandSpec();
            String path = spec.qualifiedName(" ");
            String[] args = (path.replaceFirst("^labhooks ?", "") + " --help").trim().split(" ");
            CliRun r = CliRun.of(args);
            assertThat(r.exitCode()).as(path).isZero();
            assertThat(spec.usageMessage().description()).as(path + " has a description").isNotEmpty();
            for (OptionSpec o : spec.options()) {
                assertThat(r.out()).as(path + " --help shows " + o.longestName()).contains(o.longestName());
                assertThat(String.join(" ", o.description())).as(path + " " + o.longestName() + " is described").isNotBlank();
            }
        }
    }

    private static void collect(CommandLine cl, List<CommandLine> out) {
        if (!cl.getCommandName().equals("help")) {
            out.add(cl);
        }
        cl.getSubcommands().values().forEach(c -> collect(c, out));
    }

    @Test
    void withoutTheDevKitItsCommandsAreListedAndSayWhereTheyAre() {
        assertThat(Main.commandLine().getSubcommands()).containsKeys("local", "send", "bench");
        assertThat(CliRun.of("--help").out()).contains("local").contains("send").contains("bench");
        for (String command : List.of("local", "send", "bench")) {
            CliRun r = CliRun.of(command, "--demo", "--port", "0");
            assertThat(r.exitCode()).as(command).isEqualTo(2);
            assertThat(r.err()).startsWith("labhooks " + command + " needs the dev kit: use labhooks-dev.jar (");
            CliRun help = CliRun.of(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Only in the dev kit").contains("labhooks-dev.jar");
        }
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        CliRun r = CliRun.of("topics", "--config", "x.yaml", "--nope");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--nope'");
    }
}
