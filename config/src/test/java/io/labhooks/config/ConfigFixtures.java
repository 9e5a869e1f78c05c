package io.labhooks.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

/** Small YAML fragments and assertion helpers shared by the config tests. */
final class ConfigFixtures {
    /** A valid sources block; append other sections to it to test them in isolation. */
    static final String ONE_SOURCE = """
            sources:
              - {id: flabs, vendor: flabs, auth: {type: bearer, tokens: ["flabs-token"]}}
            """;

    private ConfigFixtures() {
    }

    static LabhooksConfig parse(String yaml) {
        return parse(yaml, Map.of());
    }

    static LabhooksConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, "test.yaml", env);
    }

    static ConfigException failure(String yaml) {
        return failure(yaml, Map.of());
    }

    static ConfigException failure(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml, env));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(e.problems()).isNotEmpty();
        assertThat(e.getMessage()).startsWith("test.yaml: " + e.problems().size() + " problem");
        return e;
    }

    static List<String> problems(String yaml) {
        return failure(yaml).problems();
    }

    /** The config fails with exactly one problem, at {@code path}, whose message contains {@code fragment}. */
    static String onlyProblem(String yaml, String path, String fragment) {
        List<String> problems = problems(yaml);
        assertThat(problems).as("problems").hasSize(1);
        assertThat(problems.get(0)).startsWith(path + ": ").contains(fragment);
        return problems.get(0);
    }

    /** The key path a problem names: the text before the first ": ". */
    static String pathOf(String problem) {
        return problem.substring(0, problem.indexOf(": "));
    }

    /** A one-source config whose source is the given flow mapping, e.g. {@code {id: a, vendor: lml, auth: ...}}. */
    static String source(String flowMapping) {
        return "sources:\n  - " + flowMapping + "\n";
    }
}
