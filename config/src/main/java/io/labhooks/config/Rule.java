package io.labhooks.config;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A rule across keys of one section (PEM or PKCS12, the auth type needs its credentials, unique source ids),
 * declared once in {@link ConfigKeys} next to the keys. It reports its problems on the section's node, at
 * the key paths it names; the README lists it under the reference table.
 */
public final class Rule {
    private final String section;
    private final String doc;
    private final Consumer<ConfigNode> check;

    Rule(String section, String doc, Consumer<ConfigNode> check) {
        this.section = Objects.requireNonNull(section, "section");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.check = Objects.requireNonNull(check, "check");
    }

    /** The path of the section the rule belongs to, e.g. {@code sources[].auth}. */
    public String section() {
        return section;
    }

    public String doc() {
        return doc;
    }

    void check(ConfigNode node) {
        check.accept(node);
    }

    @Override
    public String toString() {
        return section + ": " + doc;
    }
}
