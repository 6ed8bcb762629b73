package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole product end to end, as CI runs it: {@code rsk demo --days 7 --exit} starts the standalone stack (broker,
 * registry, processor, aggregator, API), publishes a simulated week through the registry, waits until every
 * inference is queryable, asks the nine questions over HTTP (one of them: the planted party found as a concept) and
 * exits 0 only if every answer agrees with the truth.
 */
class DemoCommandTest {

  /**
   * Runs as a user does: its own JVM with the production log configuration (not the tests'), console = stdout and
   * stderr merged. The data directory is under target/, not /tmp, as the demo's default is (Kafka Streams warns
   * about state in an OS temp directory).
   */
  @Test
  void aSimulatedWeekIsAnsweredWithinTheStatedTolerancesWithACleanConsole() throws Exception {
    final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "demo-test")), "run-");
    final Path log = dir.resolve("logs").resolve("demo.log");
    final Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dlog4j2.configurationFile=" + getClass().getResource("/log4j2.xml"),
        "-cp", System.getProperty("java.class.path"), Rsk.class.getName(),
        "demo", "--days", "7", "--exit", "--http-port", "0", "--data-dir", dir.resolve("data").toString(),
        "--log-file", log.toString(), "--timeout", "PT3M").redirectErrorStream(true).start();
    final String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    final boolean ended = p.waitFor(4, TimeUnit.MINUTES);
    System.out.println(text);
    assertThat(ended).isTrue();
    final int code = p.exitValue();
    assertThat(code).as(text).isZero();
    assertThat(text).contains("logs: " + log.toAbsolutePath())
        .containsPattern("\\[#{20}\\] 100% \\| published 840/840 \\([0-9,]+/s\\) \\| sketched 840 .*"
            + " \\| queryable 840 ")
        .doesNotContain("WARN").doesNotContain("ERROR");
    // The log file got the logs the console did not show.
    assertThat(Files.readString(log)).contains("INFO");
    // the week holds a party every evening from day 3 (the default plant): more people, more events
    assertThat(text).contains("published 12,373 events of 840 inferences")
        .contains("How often was there a cat, by month?")
        .contains("mostly at night")
        .contains("How much does decoding lose as stored sketches are cut")
        .contains("How often were the cat and a person there together, by part of the day?")
        .contains("What size was the cat at night, read from the sketches alone?")
        .contains("Did a new kind of scene appear (emerging concepts)?")
        .contains("9 of 9 answers agree with the truth within their stated tolerance.")
        .doesNotContain("DISAGREES");
    // A data directory given by the user is kept.
    assertThat(Files.isDirectory(dir.resolve("data").resolve("kafka"))).isTrue();
  }

  @Test
  void refusesADataDirectoryThatAlreadyHoldsAStack(@TempDir final Path dir) throws Exception {
    Files.createDirectories(dir.resolve("kafka"));
    final int code = new CommandLine(new Rsk()).execute("demo", "--days", "1", "--exit", "--data-dir", dir.toString());
    assertThat(code).isEqualTo(DemoCommand.EXIT_USAGE);
  }

  @Test
  void aSketchDimensionOutOfRangeIsAUsageErrorBeforeAnythingStarts(@TempDir final Path dir) throws Exception {
    final Path data = dir.resolve("data");
    for (final String d : new String[] {"7", "65537"}) {
      final int code = new CommandLine(new Rsk()).execute("demo", "--days", "1", "--exit", "--sketch-d", d,
          "--data-dir", data.toString(), "--http-port", "0");
      assertThat(code).as("--sketch-d " + d).isEqualTo(DemoCommand.EXIT_USAGE);
      assertThat(data).as("no stack was started").doesNotExist();
    }
  }

  @Test
  void aTakenHttpPortIsReportedClearly(@TempDir final Path dir) throws Exception {
    final Path data = dir.resolve("data");
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final PrintStream saved = System.err;
    final int code;
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        code = new CommandLine(new Rsk()).execute("demo", "--days", "1", "--exit", "--http-port",
            String.valueOf(taken.getLocalPort()), "--data-dir", data.toString());
      } finally {
        System.setErr(saved);
      }
    }
    assertThat(code).isEqualTo(DemoCommand.EXIT_STACK);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("rsk demo: the stack did not start")
        .contains("--http-port 0");
  }
}
