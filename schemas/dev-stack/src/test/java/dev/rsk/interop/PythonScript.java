package dev.rsk.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Python script of the repository (the publisher library's probe, unit tests and examples) with
 * Debian's {@code /usr/bin/python3} as a real process, waiting a bounded time. Usable from sibling modules
 * through the dev stack's test-jar.
 */
public final class PythonScript {

  static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final ObjectMapper JSON = new ObjectMapper();

  private PythonScript() {}

  /** What a run printed and how it ended. */
  public record Result(int exitCode, List<String> stdout, String stderr, Duration elapsed) {
    /** The stdout lines that are JSON objects, parsed. */
    public List<JsonNode> json() {
      final List<JsonNode> out = new ArrayList<>();
      for (final String line : stdout) {
        if (line.startsWith("{")) {
          try {
            out.add(JSON.readTree(line));
          } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
          }
        }
      }
      return out;
    }

    /** Asserts exit code 0, showing stderr otherwise. */
    public Result succeeded() {
      assertThat(exitCode).as("python exit code; stderr:%n%s", stderr).isZero();
      return this;
    }
  }

  /** A path under the repository root (found from the working directory, whichever module runs the test). */
  public static Path inRepository(final String path) {
    return PythonClient.inRepository(path);
  }

  /** True when {@code /usr/bin/python3} exists and imports every module named. */
  public static boolean hasModules(final String... modules) throws IOException, InterruptedException {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    final Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import " + String.join(", ", modules))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    final boolean done = probe.waitFor(120, TimeUnit.SECONDS);
    probe.destroyForcibly();
    return done && probe.exitValue() == 0;
  }

  /**
   * Runs {@code /usr/bin/python3 args...} in {@code workDir} (its output files go there); fails the test if it
   * has not ended within {@code timeout}. The exit code is returned, not asserted.
   */
  public static Result run(final Path workDir, final Duration timeout, final String... args)
      throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
    command.addAll(List.of(args));
    final Path stdout = Files.createTempFile(workDir, "python", ".out");
    final Path stderr = Files.createTempFile(workDir, "python", ".err");
    final long start = System.nanoTime();
    final Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile()).start();
    try {
      assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .as("%s finished within %s; stderr so far:%n%s", command, timeout, Files.readString(stderr)).isTrue();
    } finally {
      process.destroyForcibly();
    }
    return new Result(process.exitValue(), Files.readAllLines(stdout), Files.readString(stderr),
        Duration.ofNanos(System.nanoTime() - start));
  }
}
