package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole product end to end, as CI runs it: {@code rsk demo --days 7 --exit} starts the standalone stack (broker,
 * registry, processor, aggregator, API), publishes a simulated week through the registry, waits until every
 * inference is queryable, asks the five questions over HTTP and exits 0 only if every answer agrees with the truth.
 */
class DemoCommandTest {

  @Test
  void aSimulatedWeekIsAnsweredWithinTheStatedTolerances(@TempDir final Path dir) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final PrintStream saved = System.out;
    final int code;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      code = new CommandLine(new Rsk()).execute("demo", "--days", "7", "--exit", "--http-port", "0",
          "--data-dir", dir.resolve("data").toString(), "--timeout", "PT3M");
    } finally {
      System.setOut(saved);
    }
    final String text = out.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(code).as(text).isZero();
    assertThat(text).contains("published 11,059 events of 840 inferences")
        .contains("How often was there a cat, by month?")
        .contains("mostly at night")
        .contains("5 of 5 answers agree with the truth within their stated tolerance.")
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
