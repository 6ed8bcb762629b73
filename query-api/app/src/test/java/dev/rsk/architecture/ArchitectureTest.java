package dev.rsk.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rooms and their one-way doors, as written in docs/architecture.md. Each rule fails the build when a
 * class crosses a door the wrong way. The Maven enforcer rules in the engine's and the contract's poms hold
 * the artifacts' dependency trees; these rules hold the code.
 */
class ArchitectureTest {
  private static final String[] ENGINE = {"dev.rsk.sketch.."};
  private static final String[] CONTRACT = {"dev.rsk.avro..", "dev.rsk.serde..", "dev.rsk.contract..",
      "dev.rsk.config.."};
  private static final String[] DEV_STACK = {"dev.rsk.kafka..", "dev.rsk.registry.server.."};
  private static final String[] APP = {"dev.rsk.cli..", "dev.rsk.standalone..", "dev.rsk.demo..", "dev.rsk.sim.."};
  /** Lines above which a production class must say in its javadoc why it is that long. */
  static final int MAX_LINES = 300;
  /** Columns above which a line of Java source, main or test, is too long. */
  static final int MAX_COLUMNS = 120;

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    // DO_NOT_INCLUDE_TESTS knows test-classes folders, not the test-jars other modules' tests come in
    production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar")).importPackages("dev.rsk");
  }

  @Test
  void everyRoomIsOnTheClasspath() {
    // a rule over an empty package passes vacuously: make sure each room was imported
    for (final String pkg : List.of("dev.rsk.sketch", "dev.rsk.avro", "dev.rsk.serde", "dev.rsk.registry",
        "dev.rsk.registry.server", "dev.rsk.kafka", "dev.rsk.streams", "dev.rsk.processor", "dev.rsk.stats",
        "dev.rsk.api", "dev.rsk.cli")) {
      assertThat(production.containPackage(pkg)).as(pkg).isTrue();
    }
  }

  @Test
  void theEngineDependsOnNothingButTheJdk() {
    classes().that().resideInAnyPackage(ENGINE).should().onlyDependOnClassesThat()
        .resideInAnyPackage(concat(ENGINE, "java.."))
        .because("the sketch math knows nothing of Kafka, Avro or metrics").check(production);
  }

  @Test
  void theContractHasNoBrokerNoStreamsAndNoHttpServer() {
    noClasses().that().resideInAnyPackage(concat(CONTRACT, "dev.rsk.registry")).should().dependOnClassesThat()
        .resideInAnyPackage(concat(concat(DEV_STACK, APP), "dev.rsk.processor..", "dev.rsk.stats..", "dev.rsk.api..",
            "org.apache.kafka.streams..", "kafka..", "org.apache.kafka.server..", "org.apache.kafka.metadata..",
            "io.javalin..", "org.eclipse.jetty..", "io.micrometer.."))
        .because("an inference service depends on the contract alone to publish").check(production);
  }

  @Test
  void theStreamsSupportKnowsNoRoom() {
    classes().that().resideInAPackage("dev.rsk.streams..").should().onlyDependOnClassesThat()
        .resideInAnyPackage("dev.rsk.streams..", "java..", "org.apache.kafka..", "org.rocksdb..", "org.slf4j..",
            "io.micrometer..")
        .because("both topologies share it; it must not pull either one into the other (RocksDB, the store engine"
            + " Kafka Streams brings, and the logging and metrics facades both roles use pull neither)")
        .check(production);
  }

  @Test
  void theDevStackServesTheRolesButKnowsNoneOfThem() {
    noClasses().that().resideInAnyPackage(DEV_STACK).should().dependOnClassesThat()
        .resideInAnyPackage(concat(APP, "dev.rsk.processor..", "dev.rsk.stats..", "dev.rsk.api..", "dev.rsk.sketch.."))
        .check(production);
  }

  @Test
  void theTopologiesKnowEachOtherOnlyThroughTheContract() {
    noClasses().that().resideInAPackage("dev.rsk.processor..").should().dependOnClassesThat()
        .resideInAnyPackage(concat(concat(DEV_STACK, APP), "dev.rsk.stats..", "dev.rsk.api.."))
        .check(production);
    noClasses().that().resideInAPackage("dev.rsk.stats..").should().dependOnClassesThat()
        .resideInAnyPackage(concat(concat(DEV_STACK, APP), "dev.rsk.processor..", "dev.rsk.api.."))
        .because("the aggregator reads sketches, not the processor's internals").check(production);
  }

  @Test
  void theHttpLayerKnowsNothingOfTheLauncherStandaloneDemoOrSimulator() {
    noClasses().that().resideInAPackage("dev.rsk.api..").should().dependOnClassesThat()
        .resideInAnyPackage(concat(concat(DEV_STACK, APP), "dev.rsk.processor.."))
        .check(production);
  }

  @Test
  void benchmarksStayOutOfProductionCode() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.openjdk.jmh..", "dev.rsk.bench..")
        .check(production);
  }

  @Test
  void onlyAMainMethodEndsTheJvm() {
    ONLY_MAIN_ENDS_THE_JVM.check(production);
    // the rule can fail: a class that ends the JVM from another method breaks it
    assertThatThrownBy(() -> ONLY_MAIN_ENDS_THE_JVM.check(new ClassFileImporter().importClasses(EndsTheJvm.class)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("EndsTheJvm.stop()", "EndsTheJvm.halt()")
        .hasMessageNotContaining("EndsTheJvm.main(");
  }

  @Test
  void noCyclesBetweenRooms() {
    slices().matching("dev.rsk.(*)..").should().beFreeOfCycles().check(production);
  }

  @Test
  void noProductionClassIsOverThreeHundredLinesUnlessItsJavadocSaysWhy() throws IOException {
    final List<String> tooLong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(repositoryRoot())) {
      for (final Path f : files.filter(ArchitectureTest::isProductionSource).toList()) {
        final List<String> lines = Files.readAllLines(f);
        if (lines.size() > MAX_LINES && lines.stream().noneMatch(l -> l.contains("Longer than 300 lines because"))) {
          tooLong.add(f + " (" + lines.size() + " lines)");
        }
      }
    }
    assertThat(tooLong).as("production classes over %d lines without 'Longer than 300 lines because' in their"
        + " javadoc", MAX_LINES).isEmpty();
  }

  @Test
  void noJavaLineIsOverOneHundredTwentyColumns() throws IOException {
    final Path root = repositoryRoot();
    final List<String> tooLong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (final Path f : files.filter(ArchitectureTest::isJavaSource).sorted().toList()) {
        final String path = root.relativize(f).toString().replace('\\', '/');
        final List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).length() > MAX_COLUMNS) {
            tooLong.add(path + ":" + (i + 1) + " (" + lines.get(i).length() + ")");
          }
        }
      }
    }
    assertThat(tooLong).as("Java lines over %d columns (reflow them: docs/architecture.md)", MAX_COLUMNS).isEmpty();
  }

  @Test
  void noSourcesOutsideAModule() {
    // the top-level folders are aggregators: a src/ there is compiled by nobody, so its tests would never run
    for (final String folder : List.of("schemas", "sketch-processor", "query-api")) {
      assertThat(repositoryRoot().resolve(folder).resolve("src")).as(folder + "/src").doesNotExist();
    }
  }

  /** {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt}, called from a method not named main. */
  private static final ArchRule ONLY_MAIN_ENDS_THE_JVM = noClasses().should().callMethodWhere(
      new DescribedPredicate<JavaMethodCall>("System.exit, Runtime.exit or Runtime.halt outside a main method") {
        @Override
        public boolean test(final JavaMethodCall call) {
          final String owner = call.getTarget().getOwner().getName();
          final String name = call.getTarget().getName();
          final boolean ends = owner.equals(System.class.getName()) && name.equals("exit")
              || owner.equals(Runtime.class.getName()) && (name.equals("exit") || name.equals("halt"));
          return ends && !call.getOrigin().getName().equals("main");
        }
      }).because("a library method that ends the JVM takes the decision, and the shutdown, from its caller");

  /** A class that breaks {@link #ONLY_MAIN_ENDS_THE_JVM} twice and keeps it once. */
  @SuppressWarnings("unused")
  static final class EndsTheJvm {
    public static void main(final String[] args) {
      System.exit(0);
    }

    void stop() {
      System.exit(1);
    }

    void halt() {
      Runtime.getRuntime().halt(1);
    }
  }

  private static boolean isProductionSource(final Path p) {
    final String s = p.toString().replace('\\', '/');
    return s.endsWith(".java") && s.contains("/src/main/java/") && !s.contains("/target/")
        && !s.contains("/bench/src/");
  }

  /** Every Java file of every module's sources, main and test; not what a build generates. */
  private static boolean isJavaSource(final Path p) {
    final String s = p.toString().replace('\\', '/');
    return s.endsWith(".java") && s.contains("/src/") && !s.contains("/target/")
        && !s.contains("/generated-sources/") && !s.contains("/generated-test-sources/");
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("docs/architecture.md"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no docs/architecture.md above " + Path.of("").toAbsolutePath());
  }

  private static String[] concat(final String[] a, final String... b) {
    final String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
