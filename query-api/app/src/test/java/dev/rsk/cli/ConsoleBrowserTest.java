package dev.rsk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.client.RskClient;
import dev.rsk.api.model.ModuleInfo;
import dev.rsk.api.server.StatsServer;
import dev.rsk.demo.DemoQuestions;
import dev.rsk.sim.GroundTruth;
import dev.rsk.sim.RoomModel;
import dev.rsk.sim.SimulationConfig;
import dev.rsk.standalone.StandaloneApi;
import dev.rsk.standalone.StandaloneOptions;
import dev.rsk.standalone.StandaloneProcessor;
import dev.rsk.standalone.StandaloneStack;
import java.io.IOException;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The web console in a real headless Chromium (Debian's chromium + chromium-driver, driven by Debian's
 * python3-selenium) against a real standalone stack holding a simulated day: the page lists the catalogue, draws
 * both charts, the decoded tree of one inference and its similar inferences, and runs a query. The screenshot is
 * kept in target/console-screenshot.png. The API requires a bearer token (RSK_API_TOKENS), as a guarded deployment
 * would: the page itself is open, without the token it says why nothing loads, and with the token typed in it
 * renders everything. Skips, saying why, when the browser or selenium is missing (.ci/run installs them). The same
 * stack (one class, so CI starts it once) checks the Grafana dashboard of docker/: every metric its queries name
 * is served on {@code /metrics}, and the compose stack's Prometheus configuration scraping it in a real
 * Prometheus gives every panel data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

  private StandaloneStack stack;
  private StatsServer api;
  private RskClient client;
  private GroundTruth truth;
  private final SimulationConfig sim = SimulationConfig.defaults().withDays(1);
  private static final String TOKEN = "console-test-token-0123456789";

  /** A standalone stack holding a simulated day, everything queryable. */
  @BeforeAll
  void startAStackWithData() throws Exception {
    final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "console-test")), "run-");
    stack = StandaloneStack.start(StandaloneOptions.defaults().withDataDir(dir.resolve("data")).withPorts(0, 0, 0));
    api = StandaloneApi.attach(stack, StandaloneApi.config(stack.options(), stack.bootstrapServers(),
        stack.registryUrl(), java.util.Map.of("RSK_API_TOKENS", TOKEN)));
    StandaloneProcessor.attach(stack, api.registry());
    client = new RskClient(api.url(), Duration.ofSeconds(30), TOKEN);
    truth = new GroundTruth(sim, true);
    assertThat(new DemoPublisher(stack, client, sim, truth, Duration.ofMinutes(3)).publishAndProcess()).isNotNull();
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyMetricTheGrafanaDashboardNamesIsServed() throws Exception {
    final Path dashboard = repoRoot().resolve(DASHBOARD);
    final java.util.Set<String> named = new java.util.TreeSet<>();
    for (final String expr : dashboardExpressions()) {
      final java.util.regex.Matcher m = METRIC.matcher(expr);
      while (m.find()) {
        named.add(m.group());
      }
    }
    // Guard against a regex that finds nothing: the dashboard has a dozen panels over rsk's own meters.
    assertThat(named).contains("rsk_processor_events_in_total", "rsk_http_requests_seconds_count")
        .hasSizeGreaterThan(10);
    final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.url() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    final java.util.Set<String> served = new java.util.HashSet<>();
    metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .forEach(l -> served.add(l.split("[{ ]", 2)[0]));
    assertThat(named).as("named by %s but not on /metrics", dashboard).allSatisfy(n -> assertThat(served).contains(n));
  }

  private static final String DASHBOARD = "docker/grafana/dashboards/rsk.json";

  /** Every PromQL expression of the dashboard's panels. */
  private static List<String> dashboardExpressions() throws IOException {
    final JsonNode json = new ObjectMapper().readTree(repoRoot().resolve(DASHBOARD).toFile());
    final List<String> exprs = new ArrayList<>();
    json.get("panels").forEach(p -> p.get("targets").forEach(t -> exprs.add(t.get("expr").asText())));
    return exprs;
  }

  /**
   * The compose stack's Prometheus configuration, run by a real Prometheus against this stack (compose itself
   * needs a Docker daemon): promtool accepts the shipped file, both scrape jobs are up, every panel of the
   * Grafana dashboard gets data, and a value read through Prometheus is the right one (every simulated inference
   * sketched once). Skips, saying why, without Debian's prometheus (.ci/run installs it).
   */
  @Test
  void theComposePrometheusScrapesTheStackAndEveryDashboardPanelHasData() throws Exception {
    assumeTrue(ComposePrometheus.installed(),
        "skipped: Debian's prometheus is needed (apt-get install --no-install-recommends prometheus)");
    final Path shipped = repoRoot().resolve("docker/prometheus/prometheus.yml");
    final Process check = new ProcessBuilder(ComposePrometheus.PROMTOOL.toString(), "check", "config",
        shipped.toString()).redirectErrorStream(true).start();
    final String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(checked).isZero();

    final Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "prometheus-");
    final String config = ComposePrometheus.pointedAt(Files.readString(shipped), URI.create(api.url()).getAuthority());
    try (ComposePrometheus prometheus = ComposePrometheus.start(config, dir)) {
      final List<String> exprs = dashboardExpressions();
      List<String> empty = exprs;
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!empty.isEmpty() && System.nanoTime() < deadline) {
        client.modules(); // HTTP traffic of a route, beside the scrapes themselves
        Thread.sleep(1000);
        final List<String> noData = new ArrayList<>();
        for (final String expr : exprs) {
          if (prometheus.query(expr).get("result").isEmpty()) {
            noData.add(expr);
          }
        }
        empty = noData;
      }
      assertThat(empty).as("dashboard expressions without data in Prometheus (see %s)", dir).isEmpty();
      final List<String> up = new ArrayList<>();
      prometheus.query("up == 1").get("result").forEach(r -> up.add(r.get("metric").get("job").asText()));
      assertThat(up).containsExactlyInAnyOrder("rsk-server", "rsk-processor");
      final JsonNode sketched = prometheus.query("sum(rsk_processor_sketches_out_total{job=\"rsk-processor\"})")
          .get("result").get(0).get("value").get(1);
      assertThat(Double.parseDouble(sketched.asText())).isEqualTo((double) sim.inferenceCount());
    }
  }

  /** Metric names in PromQL: rsk's, Kafka Streams', JVM and process ones (label names, functions excluded). */
  private static final java.util.regex.Pattern METRIC =
      java.util.regex.Pattern.compile("\\b(rsk|kafka|jvm|process|system)_[a-z0-9_]+");

  private static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("docker/compose.yaml"))) {
      p = p.getParent();
    }
    return p;
  }

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  @Test
  void theConsoleRendersRealData() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "skipped: /usr/bin/chromium and /usr/bin/chromedriver are needed (apt-get install chromium chromium-driver)");
    assumeTrue(new ProcessBuilder("/usr/bin/python3", "-c", "import selenium").start().waitFor() == 0,
        "skipped: Debian's python3-selenium is needed (apt-get install python3-selenium)");
    {
      final String example = DemoQuestions.example(truth.inferenceList()).inferenceId();

      // The page itself is served from the jar, as HTML.
      final HttpResponse<String> page = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(api.url() + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<title>rsk console</title>");

      // /v1 is guarded: without the token the page loads but says it needs one, and draws no data.
      final String url = api.url() + "/?module=cat&inference=" + example;
      final JsonNode refused = browse(url, Path.of("target", "console-no-token.png").toAbsolutePath(), null);
      assertThat(refused.get("status").asText()).as(refused.toString()).contains("set the bearer token above");
      assertThat(refused.get("modules")).isEmpty();

      final Path screenshot = Path.of("target", "console-screenshot.png").toAbsolutePath();
      final JsonNode seen = browse(url, screenshot, TOKEN);
      final List<String> expected = client.modules().modules().stream().map(ModuleInfo::module).toList();
      assertThat(names(seen.get("modules"))).as(seen.toString()).containsExactlyElementsOf(expected)
          .contains(RoomModel.SCENE, "cat");
      assertThat(seen.get("status").asText()).contains(expected.size() + " modules").contains("ready");
      assertThat(seen.get("charts").asInt()).isEqualTo(2);
      // Drawn: a blank canvas has no opaque pixel; axes, labels and a line or bars have thousands.
      assertThat(seen.get("frequencyPixels").asInt()).isGreaterThan(1000);
      assertThat(seen.get("hoursPixels").asInt()).isGreaterThan(1000);
      final List<String> tree = names(seen.get("treeNodes"));
      assertThat(tree).isNotEmpty();
      assertThat(tree.get(0)).startsWith(RoomModel.SCENE + " (presence ");
      assertThat(tree.size()).isGreaterThan(1);
      assertThat(seen.get("similar").size()).isEqualTo(5);
      // The query "cat" over the catalogue's span matches exactly the inferences the catalogue counts with a cat,
      // out of all of them (every simulated inference has one scene root).
      final JsonNode query = new ObjectMapper().readTree(seen.get("query").asText());
      assertThat(query.get("matched").asLong()).isEqualTo(count(client, "cat"));
      assertThat(query.get("inferences").asLong()).isEqualTo(sim.inferenceCount());
      assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }
  }

  /** Runs console_check.py over {@code url}, typing {@code token} into the page first unless it is null. */
  private static JsonNode browse(final String url, final Path screenshot, final String token) throws Exception {
    final Path script = Path.of(ConsoleBrowserTest.class.getResource("/console/console_check.py").toURI());
    final List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), url,
        screenshot.toString()));
    if (token != null) {
      command.add(token);
    }
    final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the browser script ended").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse("{}"));
  }

  private static long count(final RskClient client, final String module) {
    return client.modules().modules().stream().filter(m -> m.module().equals(module)).findFirst().orElseThrow()
        .inferences();
  }

  private static List<String> names(final JsonNode array) {
    final List<String> names = new ArrayList<>();
    array.forEach(n -> names.add(n.asText()));
    return names;
  }
}
