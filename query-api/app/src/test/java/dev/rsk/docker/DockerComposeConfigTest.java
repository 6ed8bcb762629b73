package dev.rsk.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Validates docker/compose.yaml with the Docker CLI's own parser ({@code docker compose config}, or the standalone
 * {@code docker-compose config}); needs no daemon. Skipped when neither CLI is installed.
 */
class DockerComposeConfigTest {

  private static final long TIMEOUT_SECONDS = 60;

  @Test
  void composeFileIsValidAndDefinesTheWholeStack() throws Exception {
    final Path compose = repoRoot().resolve("docker/compose.yaml");
    assertThat(compose).exists();
    final Optional<List<String>> cli = composeCli();
    assumeTrue(cli.isPresent(), "neither `docker compose` nor `docker-compose` is installed");

    final List<String> command = new ArrayList<>(cli.get());
    command.addAll(List.of("-f", compose.toString(), "config"));
    final Result result = run(command);
    assertThat(result.exitCode()).as("%s\n%s", command, result.output()).isZero();
    final String config = result.output();
    for (final String service : List.of("kafka:", "topics:", "schema-registry:", "processor:", "server-1:",
        "server-2:", "simulator:")) {
      assertThat(config).contains("\n  " + service);
    }
    assertThat(config).contains("apache/kafka:").contains("confluentinc/cp-schema-registry:");
    assertThat(config).contains("KAFKA_PROCESS_ROLES: broker,controller");
    // Each server advertises its own address, so queries route between them.
    assertThat(config).contains("RSK_KAFKA_APPLICATION_SERVER: server-1:8080")
        .contains("RSK_KAFKA_APPLICATION_SERVER: server-2:8080");
    assertThat(config).contains("docker/Dockerfile");
    assertThat(repoRoot().resolve("docker/config/processor.properties")).exists();
    assertThat(repoRoot().resolve("docker/config/server.properties")).exists();
  }

  @Test
  void dockerfileShipsTheShadedJarOnTemurin17() throws IOException {
    final String dockerfile = Files.readString(repoRoot().resolve("docker/Dockerfile"));
    assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre")
        .contains("COPY query-api/app/target/rsk.jar")
        .contains("ENTRYPOINT");
    // the jar the image copies is the one the app module shades, and the build context lets it through
    assertThat(Files.readString(repoRoot().resolve("query-api/app/pom.xml"))).contains("<finalName>rsk</finalName>");
    assertThat(Files.readString(repoRoot().resolve("docker/Dockerfile.dockerignore")))
        .contains("!query-api/app/target/rsk.jar");
  }

  private static Optional<List<String>> composeCli() throws InterruptedException {
    for (final List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      final List<String> version = new ArrayList<>(candidate);
      version.add("version");
      try {
        if (run(version).exitCode() == 0) {
          return Optional.of(candidate);
        }
      } catch (final IOException notInstalled) {
        // try the next one
      }
    }
    return Optional.empty();
  }

  private record Result(int exitCode, String output) {}

  private static Result run(final List<String> command) throws IOException, InterruptedException {
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    final byte[] out;
    try (var in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish within " + TIMEOUT_SECONDS + " s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docker/compose.yaml"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("repository root with docker/compose.yaml above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }
}
