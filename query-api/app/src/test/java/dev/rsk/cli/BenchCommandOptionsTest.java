package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The benchmark commands check their options before they start anything: a usage error is exit code 3. */
class BenchCommandOptionsTest {

  private static int run(final String... args) {
    return new CommandLine(new Rsk()).execute(args);
  }

  @Test
  void daysOrEmbeddingOutOfRangeAreUsageErrors() {
    assertThat(run("bench-storage", "--days", "0")).isEqualTo(DemoCommand.EXIT_USAGE);
    assertThat(run("bench-storage", "--days", "3661")).isEqualTo(DemoCommand.EXIT_USAGE);
    assertThat(run("bench-storage", "--embedding", "-1")).isEqualTo(DemoCommand.EXIT_USAGE);
    assertThat(run("bench-recovery", "--days", "-1")).isEqualTo(DemoCommand.EXIT_USAGE);
    assertThat(run("bench-recovery", "--days", "3661")).isEqualTo(DemoCommand.EXIT_USAGE);
  }
}
