package io.labhooks.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of docs/architecture.md, over the main classes of every module. The artifact rules (no dev kit,
 * broker, Scala, kafka-tools or second logging backend in a production module's dependencies) are the enforcer's
 * {@code production-dependencies} and {@code one-logging-backend} executions in the parent pom, and ProductionJarIT.
 */
class LayeringTest {
    static JavaClasses all;

    @BeforeAll
    static void importClasses() {
        all = Modules.mainClasses();
        assertThat(all.size()).isGreaterThan(150);
        assertThat(all.contain("io.labhooks.cli.LocalCommand")).isTrue();
        assertThat(Modules.moduleOf(all.get("io.labhooks.cli.LocalCommand"))).isEqualTo("cli-dev");
        assertThat(Modules.moduleOf(all.get("io.labhooks.cli.Main"))).isEqualTo("cli");
    }

    @Test
    void ingressNormalizerAndSinkDoNotDependOnEachOther() {
        String ingress = "io.labhooks.ingress..";
        String normalizer = "io.labhooks.normalizer..";
        String sink = "io.labhooks.sink..";
        noClasses().that().resideInAPackage(ingress).should().dependOnClassesThat().resideInAnyPackage(normalizer, sink)
                .check(all);
        noClasses().that().resideInAPackage(normalizer).should().dependOnClassesThat().resideInAnyPackage(ingress, sink)
                .check(all);
        noClasses().that().resideInAPackage(sink).should().dependOnClassesThat().resideInAnyPackage(ingress, normalizer)
                .check(all);
        // and the shared modules (contracts, config, runtime) depend on none of the parts
        noClasses().that().resideInAnyPackage("io.labhooks.schemas..", "io.labhooks.config..", "io.labhooks.runtime..")
                .should().dependOnClassesThat()
                .resideInAnyPackage(ingress, normalizer, sink, "io.labhooks.cli..", "io.labhooks.testkit..", "io.labhooks.bench..")
                .check(all);
        // the contracts a consumer depends on need nothing else of labhooks
        noClasses().that().resideInAPackage("io.labhooks.schemas..").should().dependOnClassesThat()
                .resideInAnyPackage("io.labhooks.config..", "io.labhooks.runtime..").check(all);
    }

    @Test
    void noProductionClassDependsOnTheDevKit() {
        DescribedPredicate<JavaClass> devKit = Modules.inModule(Modules.DEV_KIT, "are in the dev kit (testkit, bench, cli-dev)")
                .or(resideInAnyPackage("io.labhooks.testkit..", "io.labhooks.bench..", "kafka..", "scala..",
                        "org.apache.kafka.tools..", "org.apache.kafka.controller..", "org.apache.kafka.raft..",
                        "org.apache.kafka.metadata..", "org.apache.logging.log4j.core..")
                        .as("are the broker, Scala, kafka-tools or log4j-core"));
        noClasses().that(Modules.inModule(Modules.PRODUCTION, "are in a production module (" + Modules.PRODUCTION + ")"))
                .should().dependOnClassesThat(devKit).check(all);
    }

    @Test
    void noAdapterReachesIntoAnotherAdapter() {
        String vendorAdapter = "io.labhooks.normalizer.adapter.VendorAdapter";
        assertThat(all.get(vendorAdapter).isInterface()).isTrue();
        classes().that().areAssignableTo(vendorAdapter).and().areNotInterfaces()
                .should(notDependOnOtherAdapters(vendorAdapter)).check(all);
    }

    /** An adapter may use its own nested classes and its superclasses (ObjectAdapter), not a sibling adapter. */
    private static ArchCondition<JavaClass> notDependOnOtherAdapters(String vendorAdapter) {
        return new ArchCondition<>("not depend on another vendor adapter (shared code lives in the adapter package's helpers)") {
            @Override
            public void check(JavaClass adapter, ConditionEvents events) {
                for (Dependency d : adapter.getDirectDependenciesFromSelf()) {
                    JavaClass target = top(d.getTargetClass());
                    boolean otherAdapter = target.isAssignableTo(vendorAdapter) && !target.isInterface()
                            && !target.equals(top(adapter)) && !adapter.isAssignableTo(target.getName());
                    if (otherAdapter) {
                        events.add(SimpleConditionEvent.violated(adapter, d.getDescription()));
                    }
                }
            }
        };
    }

    private static JavaClass top(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }

    @Test
    void noMainClassWritesToSystemOutOrErrOutsideTheCliWriters() {
        // Main builds the picocli writers over System.out/err; every command prints through them. StdoutCapture exists
        // to capture what ProducerPerformance (kafka-tools, the benchmark's baseline) prints to System.out.
        // KafkaNodeMain is the chaos suite's child-process broker: its READY line on stdout is its interface.
        DescribedPredicate<JavaClass> allowed = DescribedPredicate.describe(
                "the CLI's writers (Main), bench's StdoutCapture or the dev kit's child-process broker (KafkaNodeMain)",
                c -> c.getName().equals("io.labhooks.cli.Main") || c.getName().startsWith("io.labhooks.bench.StdoutCapture")
                        || c.getName().startsWith("io.labhooks.testkit.KafkaNodeMain"));
        noClasses().that(not(allowed)).should(GeneralCodingRules.ACCESS_STANDARD_STREAMS).check(all);
    }
}
