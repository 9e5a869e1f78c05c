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
        for (String sub : new CommandLine(new Main()).getSubcommands().keySet()) {
            assertThat(r.out()).contains(sub);
        }
        assertThat(CliRun.of().out()).contains("Usage: labhooks");
    }

    @Test
    void everyCommandsHelpDescribesEveryOption() {
        List<CommandLine> all = new ArrayList<>();
        collect(new CommandLine(new Main()), all);
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
    void unknownOptionIsAUsageErrorWithExitCode2() {
        CliRun r = CliRun.of("topics", "--config", "x.yaml", "--nope");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--nope'");
    }
}
