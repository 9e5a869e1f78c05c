package io.labhooks.cli;

/**
 * A subcommand that lives in the dev kit ({@code labhooks-dev.jar}: {@code local}, {@code send}, {@code bench}), found
 * with {@link java.util.ServiceLoader}. The production jar has none; {@link Main} then offers a {@link DevOnly}
 * placeholder under the same name, which says where to find it.
 */
public interface DevCommand {
    /** The subcommand's name, one of {@link Main#DEV_COMMANDS}. */
    String name();

    /** A new picocli command object ({@code @Command}-annotated). */
    Object command();
}
