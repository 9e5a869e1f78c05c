package io.labhooks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** With the dev kit on the class path, {@code labhooks} offers its commands through {@link DevCommand}. */
class DevCommandsTest {
    @Test
    void theDevKitsCommandsReplaceThePlaceholders() {
        CommandLine cl = Main.commandLine();
        assertThat((Object) cl.getSubcommands().get("local").getCommand()).isInstanceOf(LocalCommand.class);
        assertThat((Object) cl.getSubcommands().get("send").getCommand()).isInstanceOf(SendCommand.class);
        assertThat((Object) cl.getSubcommands().get("bench").getCommand()).isInstanceOf(BenchCommand.class);
        assertThat(cl.getSubcommands().keySet()).containsExactly("local", "ingress", "normalizer", "sink", "topics", "send",
                "replay", "dlq", "trace", "bench", "help");
    }

    @Test
    void everyDevCommandsHelpDescribesEveryOption() {
        for (String command : List.of("local", "send", "bench", "bench ingress")) {
            CliRun r = CliRun.of((command + " --help").split(" "));
            assertThat(r.exitCode()).as(command).isZero();
            assertThat(r.out()).doesNotContain("Only in the dev kit");
            CommandLine cl = Main.commandLine();
            for (String part : command.split(" ")) {
                cl = cl.getSubcommands().get(part);
            }
            for (OptionSpec o : cl.getCommandSpec().options()) {
                assertThat(r.out()).as(command + " --help shows " + o.longestName()).contains(o.longestName());
            }
        }
    }
}
