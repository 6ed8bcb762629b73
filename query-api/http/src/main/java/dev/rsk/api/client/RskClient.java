package dev.rsk.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.Json;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.model.HealthResponse;
import dev.rsk.api.model.HoursResponse;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.ModulesResponse;
import dev.rsk.api.model.NetworkResponse;
import dev.rsk.api.model.QueryRequest;
import dev.rsk.api.model.QueryResponse;
import dev.rsk.api.model.SimilarRequest;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.model.SketchParamsJson;
import dev.rsk.api.model.StatsResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;

/**
 * A small typed client of the rsk HTTP API ({@code java.net.http} + Jackson). Every call has a request
 * timeout (default 30 s); an error answer throws {@link RskClientException} with the problem's status
 * and detail. Thread-safe.
 */
public final class RskClient {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final String base;
  private final Duration timeout;
  private final String bearerToken;
  private final HttpClient http;
  private final ObjectMapper mapper = Json.mapper();

  /** A client of the API at {@code baseUrl} (e.g. {@code http://localhost:8080}). */
  public RskClient(final String baseUrl) {
    this(baseUrl, DEFAULT_TIMEOUT);
  }

  public RskClient(final String baseUrl, final Duration timeout) {
    this(baseUrl, timeout, null);
  }

  /** A client sending {@code Authorization: Bearer <bearerToken>} on every call (none if null). */
  public RskClient(final String baseUrl, final Duration timeout, final String bearerToken) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.timeout = timeout;
    this.bearerToken = bearerToken;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** {@code GET /v1/modules}. */
  public ModulesResponse modules() {
    return get("/v1/modules", ModulesResponse.class);
  }

  /** {@code GET /v1/modules/{module}/frequency}; null arguments use the server defaults. */
  public FrequencyResponse frequency(final String module, final Instant from, final Instant to, final String bucket) {
    return get("/v1/modules/" + path(module) + "/frequency" + query("from", from, "to", to, "bucket", bucket),
        FrequencyResponse.class);
  }

  /** {@code GET /v1/modules/{module}/hours}; null arguments use the server defaults. */
  public HoursResponse hours(final String module, final Instant from, final Instant to, final String zone) {
    return get("/v1/modules/" + path(module) + "/hours" + query("from", from, "to", to, "zone", zone),
        HoursResponse.class);
  }

  /** {@code GET /v1/modules/{module}/stats}; null arguments use the server defaults. */
  public StatsResponse stats(final String module, final Instant from, final Instant to) {
    return get("/v1/modules/" + path(module) + "/stats" + query("from", from, "to", to), StatsResponse.class);
  }

  /** {@code GET /v1/network}. */
  public NetworkResponse network() {
    return get("/v1/network", NetworkResponse.class);
  }

  /** {@code GET /v1/concepts}. */
  public dev.rsk.api.model.ConceptsResponse concepts() {
    return get("/v1/concepts", dev.rsk.api.model.ConceptsResponse.class);
  }

  /** {@code GET /v1/concepts/{id}}. */
  public dev.rsk.api.model.ConceptResponse concept(final String id) {
    return get("/v1/concepts/" + path(id), dev.rsk.api.model.ConceptResponse.class);
  }

  /** {@code GET /v1/inferences/{id}}. */
  public InferenceResponse inference(final String inferenceId) {
    return get("/v1/inferences/" + path(inferenceId), InferenceResponse.class);
  }

  /** {@code POST /v1/similar} with a stored inference. */
  public SimilarResponse similarTo(final String inferenceId, final int k) {
    return post("/v1/similar", new SimilarRequest(inferenceId, null, null, k), SimilarResponse.class);
  }

  /** {@code POST /v1/similar} with a sketch vector and its parameters. */
  public SimilarResponse similarTo(final float[] vector, final SketchParamsJson params, final int k) {
    return post("/v1/similar", new SimilarRequest(null, vector, params, k), SimilarResponse.class);
  }

  /** {@code POST /v1/similar} with any body (filters, exact). */
  public SimilarResponse similar(final SimilarRequest request) {
    return post("/v1/similar", request, SimilarResponse.class);
  }

  /** {@code POST /v1/query} (docs/queries.md). */
  public QueryResponse query(final QueryRequest request) {
    return post("/v1/query", request, QueryResponse.class);
  }

  /** {@code GET /v1/inferences/{id}/related?k=}. */
  public dev.rsk.api.model.RelatedResponse related(final String inferenceId, final int k) {
    return get("/v1/inferences/" + path(inferenceId) + "/related" + query("k", k),
        dev.rsk.api.model.RelatedResponse.class);
  }

  /** {@code GET /health}. */
  public HealthResponse health() {
    return get("/health", HealthResponse.class);
  }

  /** {@code GET /ready}: true on 200, false on 503. */
  public boolean ready() {
    try {
      get("/ready", HealthResponse.class);
      return true;
    } catch (RskClientException e) {
      if (e.status() == 503) {
        return false;
      }
      throw e;
    }
  }

  /** {@code GET /metrics} (Prometheus text). */
  public String metrics() {
    return new String(send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET()), StandardCharsets.UTF_8);
  }

  private <T> T get(final String pathAndQuery, final Class<T> type) {
    return parse(send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET()), type);
  }

  private <T> T post(final String path, final Object body, final Class<T> type) {
    final byte[] json;
    try {
      json = mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new RskClientException(-1, "", "cannot encode request: " + e.getMessage(), null, e);
    }
    return parse(send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json))), type);
  }

  private byte[] send(final HttpRequest.Builder request) {
    final HttpResponse<byte[]> response;
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    try {
      response = http.send(request.timeout(timeout).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RskClientException(-1, "", "cannot reach " + base + ": " + e, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RskClientException(-1, "", "interrupted", null, e);
    }
    if (response.statusCode() / 100 != 2) {
      String title = "";
      String detail = new String(response.body(), StandardCharsets.UTF_8);
      try {
        final JsonNode problem = mapper.readTree(response.body());
        title = problem.path("title").asText("");
        detail = problem.path("detail").asText(detail);
      } catch (IOException | RuntimeException e) {
        // not problem+json: keep the raw body as the detail
      }
      final Integer retryAfter = response.headers().firstValue("Retry-After").map(Integer::valueOf).orElse(null);
      throw new RskClientException(response.statusCode(), title, detail, retryAfter, null);
    }
    return response.body();
  }

  private <T> T parse(final byte[] body, final Class<T> type) {
    try {
      return mapper.readValue(body, type);
    } catch (IOException e) {
      throw new RskClientException(-1, "", "unreadable answer: " + e.getMessage(), null, e);
    }
  }

  private static String path(final String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String query(final Object... nameValues) {
    final StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    for (int i = 0; i < nameValues.length; i += 2) {
      if (nameValues[i + 1] != null) {
        q.add(nameValues[i] + "=" + URLEncoder.encode(nameValues[i + 1].toString(), StandardCharsets.UTF_8));
      }
    }
    return q.toString();
  }
}
