package dev.rsk.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.RegistryUnavailableException;
import dev.rsk.registry.UnknownSchemaIdException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's retry, timeout, error-mapping and authentication behaviour, against a scripted HTTP
 * server that injects the faults a real registry or network would produce.
 */
class HttpSchemaRegistryClientFaultsTest {

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  /** Holds the "slow registry" answer back until the test ends. */
  private final java.util.concurrent.CountDownLatch slowAnswer = new java.util.concurrent.CountDownLatch(1);

  private String serve(final Function<HttpExchange, Answer> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      final Answer answer = script.apply(exchange);
      final byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
      exchange.sendResponseHeaders(answer.status(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private record Answer(int status, String body) {}

  @AfterEach
  void stop() {
    slowAnswer.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  private static Map<String, Object> fast(final String url) {
    return Map.of(RegistryClientConfig.URL, url, "retries.wait.ms", 10, "retries.max.wait.ms", 20,
        "http.read.timeout.ms", 1000, "http.connect.timeout.ms", 1000);
  }

  @Test
  void anUnreachableRegistryFailsAfterTheBoundedRetries() throws IOException {
    final int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fast("http://127.0.0.1:" + closedPort));

    assertThatThrownBy(() -> client.byId(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort)
        .hasMessageContaining("4 attempt(s)");
  }

  @Test
  void transientServerErrorsAreRetriedThenSucceed() throws IOException {
    final AtomicInteger calls = new AtomicInteger();
    final String url = serve(x -> calls.incrementAndGet() <= 2
        ? new Answer(503, "{\"error_code\":50301,\"message\":\"busy\"}")
        : new Answer(200, "{\"id\":7}"));
    final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fast(url));

    assertThat(client.register("activations-value", ModuleActivation.getClassSchema())).isEqualTo(7);
    assertThat(requests).containsExactly("POST /subjects/activations-value/versions",
        "POST /subjects/activations-value/versions", "POST /subjects/activations-value/versions");
    // Cached: a second registration does not call the registry again.
    assertThat(client.register("activations-value", ModuleActivation.getClassSchema())).isEqualTo(7);
    assertThat(requests).hasSize(3);
  }

  @Test
  void persistentServerErrorsBecomeUnavailableWithTheLastStatus() throws IOException {
    final String url = serve(x -> new Answer(500, "{\"error_code\":50001,\"message\":\"store down\"}"));
    final HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(Map.of(RegistryClientConfig.URL, url, "max.retries", 1, "retries.wait.ms", 1));

    assertThatThrownBy(() -> client.latest("x")).isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("HTTP 500").hasMessageContaining("store down");
    assertThat(requests).hasSize(2);
  }

  @Test
  void anUnknownIdIsNotRetriedAndHasItsOwnType() throws IOException {
    final String url = serve(x -> new Answer(404, "{\"error_code\":40403,\"message\":\"Schema 42 not found\"}"));
    final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fast(url));

    assertThatThrownBy(() -> client.byId(42))
        .isInstanceOfSatisfying(UnknownSchemaIdException.class, e -> assertThat(e.schemaId()).isEqualTo(42));
    assertThat(requests).containsExactly("GET /schemas/ids/42");
  }

  @Test
  void errorBodiesKeepTheirConfluentCode() throws IOException {
    final String url = serve(x -> new Answer(409,
        "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));
    final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(fast(url));

    assertThatThrownBy(() -> client.register("s", ModuleActivation.getClassSchema()))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
        })
        .hasMessageContaining("incompatible");
  }

  @Test
  void aSlowRegistryTimesOut() throws IOException {
    final String url = serve(x -> {
      try {
        slowAnswer.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Answer(200, "{}");
    });
    final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(Map.of(RegistryClientConfig.URL, url,
        "http.read.timeout.ms", 200, "max.retries", 0));
    final long start = System.nanoTime();

    assertThatThrownBy(() -> client.byId(1)).isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("HttpTimeoutException");
    // Far below the 10 s the server takes to answer: the client gave up on its own timeout.
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
  }

  @Test
  void basicAuthFromUserInfoOrUrl() throws IOException {
    final String url = serve(x -> new Answer(200,
        "{\"subject\":\"s\",\"id\":1,\"version\":1,\"schema\":\"\\\"string\\\"\"}"));
    new HttpSchemaRegistryClient(Map.of(RegistryClientConfig.URL, url,
        "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:s3cret")).latest("s");
    new HttpSchemaRegistryClient(Map.of(RegistryClientConfig.URL, url.replace("http://", "http://bob:pw@")))
        .latest("s");

    assertThat(authorizations).containsExactly("Basic YWxpY2U6czNjcmV0", "Basic Ym9iOnB3");
  }

  @Test
  void badConfigurationIsReportedByKey() {
    assertThatThrownBy(() -> new HttpSchemaRegistryClient(Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
    assertThatThrownBy(() -> new HttpSchemaRegistryClient(Map.of(RegistryClientConfig.URL, "ftp://x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http");
    assertThatThrownBy(() -> new HttpSchemaRegistryClient(Map.of(RegistryClientConfig.URL, "http://x",
        "basic.auth.credentials.source", "USER_INFO"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.user.info");
  }
}
