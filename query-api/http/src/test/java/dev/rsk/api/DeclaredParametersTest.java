package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Over real HTTP, on an instance that is still starting (no Kafka needed): every {@code /v1} operation accepts the
 * query parameters its served {@code /openapi.json} declares and no other, each at most once, and the public bodies
 * reject unknown fields; all before the 503 of a starting instance, so a typo never waits for state.
 */
class DeclaredParametersTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** A valid value of each declared parameter. */
  private static final Map<String, String> VALID = Map.of("from", "2026-01-01", "to", "2026-01-02", "bucket", "PT6H",
      "zone", "Europe/Paris", "k", "3", "state", "emerged");
  private static ApiServer api;
  private static String base;

  @BeforeAll
  static void start() {
    api = ApiServer.start("127.0.0.1", 0, ApiLimits.defaults(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    base = "http://127.0.0.1:" + api.port();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void theDocumentedParametersOfTheRoutesThatTakeThem() throws Exception {
    final Map<String, List<String>> declared = Map.of(
        "/v1/modules/{module}/frequency", List.of("from", "to", "bucket"),
        "/v1/modules/{module}/hours", List.of("from", "to", "zone"),
        "/v1/modules/{module}/stats", List.of("from", "to"),
        "/v1/inferences/{id}/related", List.of("k"),
        "/v1/concepts", List.of("state"));
    final JsonNode paths = Json.mapper().readTree(send("GET", "/openapi.json", null).body()).get("paths");
    declared.forEach((path, names) -> assertThat(queryParameters(paths.get(path).get("get"))).as(path)
        .isEqualTo(names));
  }

  @Test
  void everyV1OperationTakesItsDeclaredParametersAndNoOther() throws Exception {
    final JsonNode paths = Json.mapper().readTree(send("GET", "/openapi.json", null).body()).get("paths");
    int operations = 0;
    for (final var path : (Iterable<Map.Entry<String, JsonNode>>) paths::fields) {
      if (!path.getKey().startsWith("/v1/")) {
        continue;
      }
      for (final var op : (Iterable<Map.Entry<String, JsonNode>>) path.getValue()::fields) {
        final String method = op.getKey().toUpperCase();
        final String url = path.getKey().replace("{module}", "cat").replace("{id}", "x");
        final List<String> names = queryParameters(op.getValue());
        final String body = method.equals("POST") ? "{}" : null;
        final StringBuilder query = new StringBuilder();
        names.forEach(n -> query.append(query.length() == 0 ? "?" : "&").append(n).append('=').append(VALID.get(n)));
        // Declared ones: the instance is starting, so the request goes as far as the 503 (or a body's own 400).
        final HttpResponse<String> ok = send(method, url + query, body);
        assertThat(ok.body()).as(method + " " + url + query).doesNotContain("query parameter");
        final HttpResponse<String> extra = send(method, url + query + (query.length() == 0 ? "?" : "&") + "zoen=1",
            body);
        assertThat(extra.statusCode()).isEqualTo(400);
        assertThat(detail(extra)).isEqualTo("unknown query parameter 'zoen': " + method + " " + path.getKey()
            + (names.isEmpty() ? " takes none" : " takes " + String.join(", ", names)));
        operations++;
      }
    }
    assertThat(operations).as("the /v1 operations of openapi.json").isEqualTo(11);
  }

  @Test
  void aTypoOrARepeatIsA400BeforeTheStartingInstancesAnswer() throws Exception {
    final String hours = "/v1/modules/cat/hours?from=2026-01-01&to=2026-01-02";
    assertThat(send("GET", hours + "&zone=Europe/Paris", null).statusCode()).isEqualTo(503);
    final HttpResponse<String> typo = send("GET", hours + "&zoen=Europe/Paris", null);
    assertThat(typo.statusCode()).isEqualTo(400);
    assertThat(typo.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(detail(typo))
        .isEqualTo("unknown query parameter 'zoen': GET /v1/modules/{module}/hours takes from, to, zone");
    final HttpResponse<String> twice = send("GET",
        "/v1/modules/cat/frequency?bucket=P1D&from=2026-01-01&bucket=P2D", null);
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(detail(twice)).isEqualTo("query parameter 'bucket' is given 2 times: give it once");
    assertThat(detail(send("GET", "/v1/modules?limit=2", null)))
        .isEqualTo("unknown query parameter 'limit': GET /v1/modules takes none");
  }

  @Test
  void publicBodiesRejectUnknownFieldsAndTheOtherRoutesTakeAnyParameter() throws Exception {
    final HttpResponse<String> kk = send("POST", "/v1/similar", "{\"inferenceId\": \"x\", \"kk\": 5}");
    assertThat(kk.statusCode()).isEqualTo(400);
    assertThat(detail(kk)).startsWith("unknown field 'kk' in the request body; known: exact, from, inferenceId, k,");
    final HttpResponse<String> k = send("POST", "/v1/similar", "{\"inferenceId\": \"x\", \"k\": 2.5}");
    assertThat(detail(k)).isEqualTo("field 'k' must be an integer");
    assertThat(send("POST", "/v1/query", "{\"where\": \"cat\"}").statusCode()).isEqualTo(503);
    assertThat(detail(send("POST", "/v1/query", "{\"where\": \"cat\", \"zone\": \"Mars/Base\"}")))
        .startsWith("unknown time zone 'Mars/Base'");
    assertThat(detail(send("GET", "/v1/concepts?state=bogus", null))).startsWith("state must be one of");
    assertThat(detail(send("GET", "/v1/inferences/x/related?k=many", null)))
        .isEqualTo("parameter 'k' must be an integer: 'many'");
    // Probes and scrapers may add their own parameters: only the /v1 routes are strict.
    assertThat(send("GET", "/health?probe=1", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/openapi.json?v=2", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aMethodARouteDoesNotTakeIsA405NamingTheOnesItDoes() throws Exception {
    final HttpResponse<String> put = send("PUT", "/v1/modules", "{}");
    assertThat(put.statusCode()).isEqualTo(405);
    assertThat(put.headers().firstValue("Allow")).contains("GET");
    assertThat(put.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(detail(put)).isEqualTo("method PUT not allowed on /v1/modules; allowed: GET");
    final HttpResponse<String> get = send("GET", "/v1/query", null);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");
    assertThat(send("DELETE", "/v1/modules/cat/frequency", null).headers().firstValue("Allow")).contains("GET");
    assertThat(send("PUT", "/v2/nothing", "{}").statusCode()).as("no such route: still 404").isEqualTo(404);
  }

  private static List<String> queryParameters(final JsonNode operation) {
    final List<String> names = new ArrayList<>();
    operation.path("parameters").forEach(p -> {
      if (p.path("in").asText().equals("query")) {
        names.add(p.path("name").asText());
      }
    });
    return names;
  }

  private static String detail(final HttpResponse<String> r) throws Exception {
    return Json.mapper().readTree(r.body()).path("detail").asText();
  }

  private static HttpResponse<String> send(final String method, final String path, final String body)
      throws Exception {
    final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
