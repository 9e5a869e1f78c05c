package io.labhooks.cli;

import io.labhooks.config.ConfigLoader;
import io.labhooks.config.LabhooksConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config F}: the YAML config, with ${ENV} substitution from the process environment. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "YAML config file (see README, Configuration). $${VAR} and $${VAR:-default} in values are read from the environment.")
    Path file;

    LabhooksConfig load() {
        return ConfigLoader.load(file, System.getenv());
    }
}
