package io.labhooks.cli;

/** The dev kit's subcommands, registered in {@code META-INF/services/io.labhooks.cli.DevCommand}. */
public final class DevCommands {
    private DevCommands() {
    }

    /** {@code labhooks local}. */
    public static final class Local implements DevCommand {
        @Override
        public String name() {
            return "local";
        }

        @Override
        public Object command() {
            return new LocalCommand();
        }
    }

    /** {@code labhooks send}. */
    public static final class Send implements DevCommand {
        @Override
        public String name() {
            return "send";
        }

        @Override
        public Object command() {
            return new SendCommand();
        }
    }

    /** {@code labhooks bench}. */
    public static final class Bench implements DevCommand {
        @Override
        public String name() {
            return "bench";
        }

        @Override
        public Object command() {
            return new BenchCommand();
        }
    }
}
