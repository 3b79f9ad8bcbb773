package io.sluice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/** The public API is separated from the internals by package, and the rule is enforced here. */
class PublicApiBoundaryTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.sluice");

  @Test
  void publicApiSignaturesCarryNoInternalTypes() {
    methods().that().arePublic()
        .and().areDeclaredInClassesThat().resideInAnyPackage("io.sluice.api..",
            "io.sluice.testkit..")
        .and().areDeclaredInClassesThat().arePublic()
        .should(useOnlyPublicTypes())
        .check(CLASSES);
  }

  @Test
  void internalsDoNotDependOnTheTestKit() {
    noClasses().that().resideInAPackage("io.sluice.internal..")
        .should().dependOnClassesThat().resideInAPackage("io.sluice.testkit..")
        .check(CLASSES);
  }

  @Test
  void theApiDoesNotDependOnTheTestKit() {
    noClasses().that().resideInAPackage("io.sluice.api..")
        .should().dependOnClassesThat().resideInAPackage("io.sluice.testkit..")
        .check(CLASSES);
  }

  /** Micrometer is optional: no class of it may load unless the application binds a registry. */
  @Test
  void onlyTheMetricsPackageUsesMicrometer() {
    noClasses().that().resideOutsideOfPackage("io.sluice.metrics..")
        .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
        .check(CLASSES);
  }

  private static ArchCondition<JavaMethod> useOnlyPublicTypes() {
    DescribedPredicate<JavaClass> internal = DescribedPredicate.describe("internal",
        c -> c.getPackageName().startsWith("io.sluice.internal"));
    return new ArchCondition<>("have no internal type in their signature") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        if (!method.getModifiers().contains(JavaModifier.PUBLIC)) {
          return;
        }
        boolean leaks = internal.test(method.getRawReturnType())
            || method.getRawParameterTypes().stream().anyMatch(internal);
        if (leaks) {
          events.add(SimpleConditionEvent.violated(method,
              method.getFullName() + " exposes an io.sluice.internal type"));
        }
      }
    };
  }
}
