package io.labhooks.config;

import java.util.List;

/** Every problem found in a config, reported at once. Each names its key path, never a secret value. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String origin, List<String> problems) {
        super(format(origin, problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(String origin, List<String> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(origin).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (String p : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(p);
        }
        return sb.toString();
    }
}
