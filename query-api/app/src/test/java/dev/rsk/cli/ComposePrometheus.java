package dev.rsk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus} package) running the compose stack's scrape configuration
 * ({@code docker/prometheus/prometheus.yml}) with its targets pointed at a stack of this JVM, because compose's
 * service names do not resolve outside compose, and scraping every second. Test fixture; {@link #close} kills it.
 */
final class ComposePrometheus implements AutoCloseable {

  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  private final Process process;
  private final String url;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ComposePrometheus(final Process process, final String url) {
    this.process = process;
    this.url = url;
  }

  /** Whether Prometheus and promtool are installed. */
  static boolean installed() {
    return Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL);
  }

  /**
   * The shipped configuration with every target replaced by {@code hostPort} and a 1 s scrape interval; fails
   * if the file no longer has the shape this rewrite expects (so the test cannot silently scrape nothing).
   */
  static String pointedAt(final String shipped, final String hostPort) {
    final String rewritten = shipped.replace("scrape_interval: 10s", "scrape_interval: 1s")
        .replace("[\"server-1:8080\", \"server-2:8080\"]", "[\"" + hostPort + "\"]")
        .replace("[\"processor:9100\"]", "[\"" + hostPort + "\"]");
    if (!rewritten.contains("scrape_interval: 1s") || rewritten.contains(":8080") || rewritten.contains(":9100")) {
      throw new IllegalStateException("docker/prometheus/prometheus.yml changed shape; update ComposePrometheus:\n"
          + shipped);
    }
    return rewritten;
  }

  /** Starts Prometheus on {@code config} in {@code dir} and waits (at most 60 s) until it is ready. */
  static ComposePrometheus start(final String config, final Path dir) throws Exception {
    final Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config);
    final int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    final Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + file,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    final ComposePrometheus prometheus = new ComposePrometheus(p, "http://127.0.0.1:" + port);
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!prometheus.ready()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        prometheus.close();
        throw new IllegalStateException("prometheus did not become ready; see " + dir.resolve("prometheus.log"));
      }
      Thread.sleep(250);
    }
    return prometheus;
  }

  private boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The {@code data} of an instant query; {@link IllegalStateException} when Prometheus refuses the PromQL. */
  JsonNode query(final String promql) throws IOException, InterruptedException {
    final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    final JsonNode body = new ObjectMapper().readTree(r.body());
    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("prometheus refused " + promql + ": " + r.body());
    }
    return body.get("data");
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
