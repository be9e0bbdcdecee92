package io.recsys.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules that each {@code package-info.java} states, checked over the main classes of
 * every module on this module's class path (schemas, feature-store, model and streams-app). A new
 * dependency that breaks one fails the build with the offending class and line.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.recsys");
  }

  @Test
  void shouldHaveNoPackageCycles() {
    slices().matching("io.recsys.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void shouldKeepTheModelFreeOfKafkaAndOfTheApplication() {
    noClasses()
        .that()
        .resideInAPackage("io.recsys.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "io.recsys.app..", "io.recsys.features..")
        .check(classes);
  }

  @Test
  void shouldKeepTheModelsInternalsToTheModel() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.recsys.model..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.recsys.model.internal..")
        .check(classes);
  }

  @Test
  void shouldKeepSchemasAndFeatureStoreBelowEverythingElse() {
    noClasses()
        .that()
        .resideInAPackage("io.recsys.schemas..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.recsys.features..", "io.recsys.model..", "io.recsys.app..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.recsys.features..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.recsys.model..", "io.recsys.app..")
        .check(classes);
  }

  /**
   * From the command line down to the model: each layer uses only the layers below it. The wiring
   * ({@code io.recsys.app}) builds one instance; the use cases (replay, retrain) and the entry
   * points (command line, demo) drive it; nothing below knows them.
   */
  @Test
  void shouldPointDependenciesFromTheWiringDownToThePipelineAndTheModel() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("Entry points")
        .definedBy("io.recsys.app.cli..", "io.recsys.app.demo..")
        .layer("Use cases")
        .definedBy("io.recsys.app.replay..", "io.recsys.app.retrain..")
        .layer("Wiring")
        .definedBy("io.recsys.app")
        .layer("Services")
        .definedBy(
            "io.recsys.app.http..",
            "io.recsys.app.training..",
            "io.recsys.app.registry..",
            "io.recsys.app.history..")
        .layer("Pipeline")
        .definedBy("io.recsys.app.pipeline..")
        .layer("Shared parts")
        .definedBy(
            "io.recsys.app.modelsync..",
            "io.recsys.app.erasure..",
            "io.recsys.app.eventfiles..",
            "io.recsys.app.prequential..",
            "io.recsys.app.metrics..",
            "io.recsys.app.kafka..",
            "io.recsys.app.config..")
        .layer("Embedded broker")
        .definedBy("io.recsys.app.broker..")
        .whereLayer("Entry points")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("Use cases")
        .mayOnlyBeAccessedByLayers("Entry points")
        .whereLayer("Wiring")
        .mayOnlyBeAccessedByLayers("Entry points", "Use cases")
        .whereLayer("Services")
        .mayOnlyBeAccessedByLayers("Entry points", "Use cases", "Wiring")
        .whereLayer("Pipeline")
        .mayOnlyBeAccessedByLayers("Entry points", "Use cases", "Wiring", "Services")
        .whereLayer("Shared parts")
        .mayOnlyBeAccessedByLayers(
            "Entry points", "Use cases", "Wiring", "Services", "Pipeline", "Embedded broker")
        .whereLayer("Embedded broker")
        .mayOnlyBeAccessedByLayers("Entry points")
        .check(classes);
  }
}
