package io.labhooks.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The main classes of every module, read from {@code ../<module>/target/classes} (the reactor builds the modules
 * first: this module depends on all of them), with predicates for where a class comes from. Modules share packages
 * ({@code io.labhooks.cli} is in cli and cli-dev), so "which module" is answered by the class file's location.
 */
final class Modules {
    /** The production modules: everything in labhooks.jar. */
    static final Set<String> PRODUCTION = Set.of("contracts", "config", "runtime", "ingress", "normalizer", "sink-jdbc", "cli");
    /** The dev kit: the embedded broker, generators, simulator, benchmark and the dev commands. */
    static final Set<String> DEV_KIT = Set.of("testkit", "bench", "cli-dev");
    static final Path ROOT = Path.of("..");

    private Modules() {
    }

    static JavaClasses mainClasses() {
        List<Path> dirs = new ArrayList<>();
        for (String m : List.of("contracts", "config", "runtime", "ingress", "normalizer", "sink-jdbc", "cli", "testkit", "bench", "cli-dev")) {
            Path d = ROOT.resolve(m).resolve("target").resolve("classes");
            if (!Files.isDirectory(d)) {
                throw new IllegalStateException(d.toAbsolutePath().normalize() + " is missing: build the modules first");
            }
            dirs.add(d);
        }
        return new ClassFileImporter().importPaths(dirs);
    }

    static String moduleOf(JavaClass c) {
        String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
        for (String m : List.of("contracts", "config", "runtime", "ingress", "normalizer", "sink-jdbc", "cli-dev", "cli", "testkit", "bench")) {
            if (uri.contains("/" + m + "/target/classes/")) {
                return m;
            }
        }
        return null;
    }

    static DescribedPredicate<JavaClass> inModule(Set<String> modules, String description) {
        return DescribedPredicate.describe(description, c -> {
            String m = moduleOf(c);   // null: a library class, or a JDK class
            return m != null && modules.contains(m);
        });
    }
}
