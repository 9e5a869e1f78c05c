package io.labhooks.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration reference is the rendering of {@link ConfigKeys}; this test fails when they
 * differ. Regenerate with {@code -Dlabhooks.config.reference.update=true} (see the README).
 */
class ConfigReferenceTest {
    static final String BEGIN = "<!-- BEGIN config-reference: generated from ConfigKeys by ConfigReferenceTest, do not edit -->";
    static final String END = "<!-- END config-reference -->";

    @Test
    void readmeReferenceIsTheRenderingOfTheDeclarations() throws IOException {
        Path readme = readme();
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(end).as("README.md holds the marker " + END).isGreaterThan(begin);
        String current = text.substring(begin + BEGIN.length(), end);
        String expected = "\n" + ConfigKeys.referenceMarkdown();
        if (Boolean.getBoolean("labhooks.config.reference.update") && !current.equals(expected)) {
            Files.writeString(readme, text.substring(0, begin + BEGIN.length()) + expected + text.substring(end), StandardCharsets.UTF_8);
            current = expected;
        }
        assertThat(current)
                .as("README.md's configuration reference differs from ConfigKeys; regenerate it with "
                        + "mvn -B -q -pl config -am test -Dtest=ConfigReferenceTest -Dsurefire.failIfNoSpecifiedTests=false "
                        + "-Dlabhooks.config.reference.update=true")
                .isEqualTo(expected);
    }

    @Test
    void everyDeclaredKeyAndRuleIsInTheCatalogue() throws IllegalAccessException {
        List<Object> keys = new ArrayList<>();
        List<Object> rules = new ArrayList<>();
        for (Field f : ConfigKeys.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                Object v = f.get(null);
                if (v instanceof Key<?>) {
                    keys.add(v);
                } else if (v instanceof Rule) {
                    rules.add(v);
                }
            }
        }
        assertThat(ConfigKeys.ALL).containsExactlyInAnyOrderElementsOf(keys.stream().map(k -> (Key<?>) k).toList());
        assertThat(ConfigKeys.RULES).containsExactlyInAnyOrderElementsOf(rules.stream().map(r -> (Rule) r).toList());
    }

    @Test
    void everyKeyHasAPathTypeDefaultAndOneLineOfDoc() {
        assertThat(ConfigKeys.ALL).extracting(Key::path).doesNotHaveDuplicates();
        for (Key<?> k : ConfigKeys.ALL) {
            assertThat(k.type()).as(k.path()).isNotBlank();
            assertThat(k.defaultText()).as(k.path()).isNotBlank();
            assertThat(k.doc()).as(k.path()).isNotBlank().doesNotContain("\n");
        }
    }

    @Test
    void theRenderingHasARowPerKeyAndALinePerRule() {
        String md = ConfigKeys.referenceMarkdown();
        assertThat(md).contains("| `ingress.ack-timeout` | duration | `2s` | ");
        assertThat(md).contains("| `sources[].auth.type` | one of hmac-sha256, bearer, basic, path-token, none | required | ");
        assertThat(md).contains("| `ingress.spool.max-bytes` | size, at least 1MiB | `1GiB` | ");
        for (Rule r : ConfigKeys.RULES) {
            assertThat(md).contains("- `" + r.section() + "`: " + r.doc());
        }
    }

    /** The README.md holding the reference: the first one with the marker, walking up from the module directory. */
    private static Path readme() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("README.md");
            if (Files.isRegularFile(candidate) && Files.readString(candidate, StandardCharsets.UTF_8).contains(BEGIN)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no README.md with " + BEGIN + " above " + Path.of("").toAbsolutePath());
    }
}
