package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rsk standalone} as a user runs it: a separate JVM, its banner, SIGTERM (as Ctrl-C) stops it cleanly. */
class StandaloneCommandTest {

  @TempDir Path dataDir;

  @Test
  void startsPrintsItsAddressesAndStopsCleanlyOnSigterm() throws Exception {
    final Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    final Process process = new ProcessBuilder(javaBin.toString(), "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), Rsk.class.getName(), "standalone",
        "--kafka-port", "0", "--registry-port", "0", "--http-port", "0", "--data-dir", dataDir.toString())
        .redirectError(dataDir.resolve("stderr.txt").toFile())
        .start();
    final Path stderr = dataDir.resolve("stderr.txt");
    try {
      final List<String> banner = new ArrayList<>();
      final BufferedReader out =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      String line;
      while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
        banner.add(line);
        if (line.startsWith("  console")) { // the last address line, after "Press Ctrl-C"
          break;
        }
      }
      assertThat(banner).as("stdout; stderr: %s", Files.exists(stderr) ? Files.readString(stderr) : "")
          .anyMatch(l -> l.startsWith("Press Ctrl-C")).anyMatch(l -> l.startsWith("  console"));
      final String registryUrl = value(banner, "schema.registry.url");
      assertThat(value(banner, "bootstrap.servers")).matches("127\\.0\\.0\\.1:\\d+");
      // what rsk soak reads from this banner: the ports bound, the API's reachable on 127.0.0.1
      final StandaloneChild.Ports ports = StandaloneChild.ports(banner);
      assertThat("127.0.0.1:" + ports.kafka()).isEqualTo(value(banner, "bootstrap.servers"));
      assertThat("http://127.0.0.1:" + ports.registry()).isEqualTo(registryUrl);
      final HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.http() + "/health"))
              .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      final HttpResponse<String> subjects = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(registryUrl + "/subjects")).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(subjects.body()).contains("\"activations-value\"").contains("\"sketches-value\"");

      // Logs go to <data-dir>/rsk.log (said on stderr); the console gets a progress line within a few seconds.
      final Path log = dataDir.resolve("rsk.log").toAbsolutePath();
      final long progressBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < progressBy && !Files.readString(stderr).contains("queryable: ")) {
        Thread.sleep(200);
      }
      assertThat(Files.readString(stderr)).contains("rsk standalone: logs in " + log)
          .contains("published 0 events (0/s) | sketched 0 inferences (0/s) | queryable: up to date");
      assertThat(Files.readString(log)).contains("INFO");

      process.destroy(); // SIGTERM: the same shutdown path as Ctrl-C
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      assertThat(Files.readString(stderr)).contains("rsk standalone: stopped.");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    final StandaloneCommand command = new StandaloneCommand();
    new CommandLine(command).parseArgs();
    assertThat(command.options().kafkaPort()).isEqualTo(9092);
    assertThat(command.options().registryPort()).isEqualTo(8081);
    assertThat(command.options().httpPort()).isEqualTo(8080);
    assertThat(command.options().dataDir()).isEqualTo(Path.of("data"));
    assertThat(command.options().partitions()).isEqualTo(4);
    assertThat(command.options().dlqTopic()).isEqualTo("activations-dlq");
  }

  @Test
  void badOptionsFailWithExitCodeOneAndAMessage() {
    final int code = new CommandLine(new Rsk()).execute("standalone", "--partitions", "0", "--data-dir",
        dataDir.toString());
    assertThat(code).isEqualTo(1);
  }

  private static String value(final List<String> banner, final String key) {
    return banner.stream().map(String::trim).filter(l -> l.startsWith(key + " ")).findFirst()
        .map(l -> l.substring(key.length()).trim())
        .orElseThrow(() -> new AssertionError("no " + key + " in " + banner));
  }
}
