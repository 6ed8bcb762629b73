package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsTopology;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While state is not queryable (instance starting, Streams not RUNNING) the API answers 503 with
 * Retry-After after its bounded wait, /ready is 503 and /health stays 200. No broker needed.
 */
class ApiUnavailableTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path stateDir;

  @Test
  void queriesAre503WithRetryAfterUntilStreamsRun() throws Exception {
    final ApiLimits limits = ApiLimits.defaults().withStoreWait(Duration.ofMillis(300));
    try (ApiServer api =
        ApiServer.start("127.0.0.1", 0, limits, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      final String base = "http://127.0.0.1:" + api.port();
      // Not attached yet: the instance is starting.
      assertUnavailable(base + "/v1/modules");
      assertThat(get(base + "/health").statusCode()).isEqualTo(200);
      assertThat(get(base + "/ready").statusCode()).isEqualTo(503);

      // Attached to streams that are not running (CREATED): still 503, after the bounded wait.
      final Properties p = new Properties();
      p.put(StreamsConfig.APPLICATION_ID_CONFIG, "unavailable-test");
      p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
      p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + api.port());
      final StatsConfig stats = StatsConfig.defaults(
          AvroSerdes.specific(InferenceSketch.class, new InMemorySchemaRegistryClient(), false));
      try (KafkaStreams streams = new KafkaStreams(StatsTopology.buildTopology(stats), p)) {
        api.attach(streams, stats, new HostInfo("127.0.0.1", api.port()), () -> 4);
        final long t0 = System.nanoTime();
        assertUnavailable(base + "/v1/modules");
        assertUnavailable(base + "/v1/modules/cat/frequency?from=2026-01-01&to=2026-01-02");
        assertUnavailable(base + "/v1/inferences/some-id");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        // Bad input is still a 400, not a 503: parameters are checked first.
        assertThat(get(base + "/v1/modules/cat/frequency?from=nonsense").statusCode()).isEqualTo(400);
        final HttpResponse<String> ready = get(base + "/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("CREATED");
      }
    }
  }

  private static void assertUnavailable(final String url) throws Exception {
    final HttpResponse<String> r = get(url);
    assertThat(r.statusCode()).as(url).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("5");
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(r.body()).contains("\"status\":503");
  }

  private static HttpResponse<String> get(final String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
