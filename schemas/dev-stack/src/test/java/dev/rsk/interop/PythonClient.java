package dev.rsk.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code schemas/dev-stack/src/test/python/avro_interop.py} with Debian's {@code /usr/bin/python3} and parses its
 * JSON lines. Usable from the schemas module and, through its test-jar, from sibling modules (Surefire runs each
 * module's tests in its own directory, so paths are resolved from either).
 */
public final class PythonClient {

  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path SCRIPT = inRepository("schemas/dev-stack/src/test/python/avro_interop.py");
  /** The {@code ModuleActivation} schema file, for the script's {@code --schema} option. */
  public static final Path ACTIVATION_AVSC = inRepository("schemas/contract/src/main/avro/ModuleActivation.avsc");
  static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  private PythonClient() {}

  /** {@code path} under the repository root: the first directory above the working directory holding it. */
  public static Path inRepository(final String path) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(path))) {
        return dir.resolve(path);
      }
    }
    throw new IllegalStateException(path + " not found above " + Path.of("").toAbsolutePath());
  }

  /** True when /usr/bin/python3 has confluent_kafka, avro and requests. */
  public static boolean available() throws IOException, InterruptedException {
    if (!Files.isExecutable(PYTHON)) {
      return false;
    }
    final Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import confluent_kafka, avro, requests")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    final boolean done = probe.waitFor(60, TimeUnit.SECONDS);
    probe.destroyForcibly();
    return done && probe.exitValue() == 0;
  }

  /** Runs one mode of the script; asserts exit code 0 (showing stderr otherwise); the JSON lines it printed. */
  public static List<JsonNode> run(final Path workDir, final String bootstrap, final String registry, final String mode,
      final String... args) throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString(), mode,
        "--bootstrap", bootstrap, "--registry", registry));
    command.addAll(List.of(args));
    final Path stdout = Files.createTempFile(workDir, mode, ".out");
    final Path stderr = Files.createTempFile(workDir, mode, ".err");
    final Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
        .start();
    try {
      assertThat(process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("python %s finished within %s", mode, PROCESS_TIMEOUT).isTrue();
    } finally {
      process.destroyForcibly();
    }
    assertThat(process.exitValue()).as("python %s exit code; stderr:%n%s", mode, Files.readString(stderr)).isZero();
    final List<JsonNode> lines = new ArrayList<>();
    for (final String line : Files.readAllLines(stdout)) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line));
      }
    }
    return lines;
  }
}
