package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rsk.api.cluster.ClusterException;
import dev.rsk.api.model.InstanceStatus;
import dev.rsk.stats.query.StoreUnavailableException;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exceptions become problem+json answers in one place: each kind of cluster failure has its status and,
 * when worth retrying, its Retry-After; checked on the mapping itself and through a real server.
 */
class HttpErrorsTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<InstanceStatus> WHO = List.of(new InstanceStatus("a:1", List.of(0), "ok"),
      new InstanceStatus("b:2", List.of(1, 2), "unavailable"));
  private static Javalin app;
  /** The same routes on an instance whose Kafka Streams is stopping. */
  private static Javalin stopping;

  @BeforeAll
  static void start() {
    app = routes();
    new HttpErrors(Json.mapper(), 9, () -> false).install(app);
    app.start("127.0.0.1", 0);
    stopping = routes();
    new HttpErrors(Json.mapper(), 9, () -> true).install(stopping);
    stopping.start("127.0.0.1", 0);
  }

  private static Javalin routes() {
    final Javalin server = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.startupWatcherEnabled = false;
    });
    server.get("/unavailable", ctx -> {
      throw ClusterException.unavailable("state is migrating (Kafka Streams is REBALANCING); retry shortly", 7);
    });
    server.get("/missing", ctx -> {
      throw ClusterException.partitionsMissing("partitions [1, 2] could not be queried", 5, WHO, List.of(1, 2));
    });
    server.get("/not-found", ctx -> {
      throw ClusterException.notFound("no stored inference with id 'x'");
    });
    server.get("/remote", ctx -> {
      throw ClusterException.remote("instance b:2 answered 500: boom", 500, null);
    });
    server.get("/store", ctx -> {
      throw new StoreUnavailableException("sketch-repository", 3, null);
    });
    server.get("/bad", ctx -> {
      throw ApiException.badRequest("parameter 'from' is bad");
    });
    server.get("/bug", ctx -> {
      throw new IllegalStateException("a bug");
    });
    server.get("/npe", ctx -> {
      throw new NullPointerException("a bug");
    });
    server.get("/v1/secret", ctx -> {
      throw new ApiException(401, "Unauthorized", "a bearer token is required", null, null);
    });
    server.get("/internal/secret", ctx -> {
      throw new ApiException(401, "Unauthorized", "the cluster secret is required", null, null);
    });
    server.get("/status-404", ctx -> ctx.status(404));
    server.get("/status-405", ctx -> ctx.status(405));
    return server;
  }

  @AfterAll
  static void stop() {
    app.stop();
    stopping.stop();
  }

  @Test
  void kafkaStreamsNotRunningWhileStoppingIs503WithRetryAfterAndOtherBugsStay500() throws Exception {
    final HttpResponse<String> r = get(stopping, "/bug");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("9");
    assertThat(problem(r).get("detail").asText()).isEqualTo("the instance is stopping (a bug); retry on another"
        + " instance or shortly");
    assertThat(get(stopping, "/npe").statusCode()).isEqualTo(500);
    assertThat(get(app, "/bug").statusCode()).isEqualTo(500);
  }

  @Test
  void eachKindOfClusterFailureHasItsStatusAndRetryHint() {
    final ApiException unavailable = HttpErrors.problem(ClusterException.unavailable("migrating", 7));
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.title()).isEqualTo("Service Unavailable");
    assertThat(unavailable.retryAfterSeconds()).isEqualTo(7);
    assertThat(unavailable.getMessage()).isEqualTo("migrating");
    assertThat(unavailable.extensions()).isEmpty();

    final ApiException missing =
        HttpErrors.problem(ClusterException.partitionsMissing("partitions [1, 2]", 5, WHO, List.of(1, 2)));
    assertThat(missing.status()).isEqualTo(503);
    assertThat(missing.retryAfterSeconds()).isEqualTo(5);
    assertThat(missing.extensions()).containsExactly(java.util.Map.entry("instances", WHO),
        java.util.Map.entry("missingPartitions", List.of(1, 2)));

    final ApiException notFound = HttpErrors.problem(ClusterException.notFound("no stored inference with id 'x'"));
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.title()).isEqualTo("Not Found");
    assertThat(notFound.retryAfterSeconds()).isNull();
    assertThat(notFound.getMessage()).isEqualTo("no stored inference with id 'x'");

    final ApiException remote = HttpErrors.problem(ClusterException.remote("instance b:2 answered 500", 500, null));
    assertThat(remote.status()).isEqualTo(502);
    assertThat(remote.title()).isEqualTo("Bad Gateway");
    assertThat(remote.retryAfterSeconds()).isNull();
  }

  @Test
  void unavailableIs503WithRetryAfter() throws Exception {
    final HttpResponse<String> r = get("/unavailable");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("7");
    final JsonNode p = problem(r);
    assertThat(p.get("title").asText()).isEqualTo("Service Unavailable");
    assertThat(p.get("status").asInt()).isEqualTo(503);
    assertThat(p.get("detail").asText()).isEqualTo("state is migrating (Kafka Streams is REBALANCING); retry shortly");
    assertThat(p.get("instance").asText()).isEqualTo("/unavailable");
    assertThat(p.has("missingPartitions")).isFalse();
  }

  @Test
  void aFailedGatherIs503NamingWhoAnsweredAndWhatIsMissing() throws Exception {
    final HttpResponse<String> r = get("/missing");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("5");
    final JsonNode p = problem(r);
    assertThat(p.get("missingPartitions").toString()).isEqualTo("[1,2]");
    assertThat(p.get("instances").toString()).isEqualTo("[{\"instance\":\"a:1\",\"partitions\":[0],\"status\":\"ok\"},"
        + "{\"instance\":\"b:2\",\"partitions\":[1,2],\"status\":\"unavailable\"}]");
  }

  @Test
  void notFoundIs404AndARemoteErrorIs502BothWithoutRetryAfter() throws Exception {
    final HttpResponse<String> notFound = get("/not-found");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.headers().firstValue("Retry-After")).isEmpty();
    assertThat(problem(notFound).get("detail").asText()).isEqualTo("no stored inference with id 'x'");

    final HttpResponse<String> remote = get("/remote");
    assertThat(remote.statusCode()).isEqualTo(502);
    assertThat(remote.headers().firstValue("Retry-After")).isEmpty();
    assertThat(problem(remote).get("detail").asText()).isEqualTo("instance b:2 answered 500: boom");
  }

  @Test
  void theOtherFailuresKeepTheirStatuses() throws Exception {
    final HttpResponse<String> store = get("/store");
    assertThat(store.statusCode()).isEqualTo(503);
    assertThat(store.headers().firstValue("Retry-After")).contains("9");
    assertThat(problem(store).get("detail").asText()).startsWith("store sketch-repository partition 3");

    assertThat(get("/bad").statusCode()).isEqualTo(400);
    assertThat(problem(get("/bad")).get("detail").asText()).isEqualTo("parameter 'from' is bad");

    final HttpResponse<String> bug = get("/bug");
    assertThat(bug.statusCode()).isEqualTo(500);
    assertThat(problem(bug).get("detail").asText()).isEqualTo("internal error: IllegalStateException");

    final HttpResponse<String> none = get("/nothing-here");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(problem(none).get("detail").asText()).isEqualTo("Endpoint GET /nothing-here not found");
  }

  @Test
  void a401UnderTheApiNamesItsBearerRealmAndElsewhereNot() throws Exception {
    final HttpResponse<String> api = get("/v1/secret");
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"rsk\"");
    assertThat(problem(api).get("title").asText()).isEqualTo("Unauthorized");

    final HttpResponse<String> internal = get("/internal/secret");
    assertThat(internal.statusCode()).isEqualTo(401);
    assertThat(internal.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(problem(internal).get("detail").asText()).isEqualTo("the cluster secret is required");
  }

  @Test
  void aBare404Or405BecomesAProblemNamingTheRouteAndAProblemIsKeptAsItIs() throws Exception {
    final JsonNode notFound = problem(get("/status-404"));
    assertThat(notFound.get("status").asInt()).isEqualTo(404);
    assertThat(notFound.get("title").asText()).isEqualTo("Not Found");
    assertThat(notFound.get("detail").asText()).isEqualTo("no route GET /status-404");

    final HttpResponse<String> notAllowed = get("/status-405");
    assertThat(notAllowed.statusCode()).isEqualTo(405);
    final JsonNode p = problem(notAllowed);
    assertThat(p.get("title").asText()).isEqualTo("Method Not Allowed");
    assertThat(p.get("detail").asText()).isEqualTo("method GET not allowed on /status-405");

    // a 404 that is a problem already (an unknown inference) keeps its own detail
    assertThat(problem(get("/not-found")).get("detail").asText()).isEqualTo("no stored inference with id 'x'");
    // Javalin's own 404 keeps its title
    assertThat(problem(get("/nothing-here")).get("title").asText()).isEqualTo("Not Found");
  }

  private static JsonNode problem(final HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    return Json.mapper().readTree(r.body());
  }

  private static HttpResponse<String> get(final String path) throws Exception {
    return get(app, path);
  }

  private static HttpResponse<String> get(final Javalin server, final String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
