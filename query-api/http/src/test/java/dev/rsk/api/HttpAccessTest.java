package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rsk.api.internal.InternalRoutes;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.testing.KafkaExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two real instances over HTTPS (a self-signed keystore made by keytool), with bearer tokens and a cluster
 * secret, called the way curl would be: a token is needed on /v1 and only there; instances gather from
 * each other over HTTPS with the secret; a client token never opens an /internal route; plain HTTP and an
 * untrusted client are refused at the TLS layer.
 */
class HttpAccessTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  static final String SECRET = "cluster-secret-0123456789";
  static final int N = 40;
  static SelfSignedCert cert;
  static StatsServer a;
  static StatsServer b;
  static HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    cert = SelfSignedCert.create(Files.createTempDirectory(KAFKA.tempDir(), "tls"));
    https = HttpClient.newBuilder().sslContext(cert.clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
    KAFKA.createTopic("sketches", 4);
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final Scenes scenes = new Scenes(SketchSpec.of(256, 7L, 0.5, 0.5), 1);
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(), AvroSerdes.specific(InferenceSketch.class, registry, false).serializer())) {
      for (int i = 0; i < N; i++) {
        final InferenceSketch s = scenes.scene("inf-" + i,
            Instant.parse("2026-03-02T00:00:00Z").toEpochMilli() + i * 60_000L, 1, 0, 0);
        producer.send(new ProducerRecord<>("sketches", s.getInferenceId(), s));
      }
    }
    a = start(registry, "a");
    b = start(registry, "b");
    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
      final HttpResponse<String> r = get(a.url() + "/v1/modules", "Bearer t2");
      return r.statusCode() == 200 && r.body().contains("\"inferences\":" + N)
          && Json.mapper().readTree(r.body()).get("instances").size() == 2;
    });
  }

  private static StatsServer start(final InMemorySchemaRegistryClient registry, final String name)
      throws IOException {
    final Properties p = OneServer.props(KAFKA, "access-test",
        Files.createTempDirectory(KAFKA.tempDir(), "state-" + name), 200);
    p.put("rsk.api.tokens", "t1");
    p.put("rsk.cluster.secret", SECRET);
    p.put("rsk.http.tls.keystore.path", cert.keystore().toString());
    p.put("rsk.http.tls.keystore.password", cert.password());
    p.put("rsk.http.tls.truststore.path", cert.truststore().toString());
    p.put("rsk.http.tls.truststore.password", cert.password());
    return StatsServer.start(new ServerConfig(p, java.util.Map.of("RSK_API_TOKENS", "t1,t2")),
        AvroSerdes.specific(InferenceSketch.class, registry, false));
  }

  @AfterAll
  static void stop() {
    for (final StatsServer s : new StatsServer[] {a, b}) {
      if (s != null) {
        s.close();
      }
    }
  }

  private static HttpResponse<String> get(final String url, final String authorization) throws Exception {
    final HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    return https.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertProblem(final HttpResponse<String> r, final int status, final String detail)
      throws IOException {
    assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    final JsonNode body = Json.mapper().readTree(r.body());
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("detail").asText()).contains(detail);
  }

  @Test
  void theServerSpeaksHttpsAndAdvertisesIt() {
    assertThat(a.url()).startsWith("https://127.0.0.1:");
  }

  @Test
  void v1RoutesNeedOneOfTheTokensFromTheFileOrTheEnvironment() throws Exception {
    final HttpResponse<String> none = get(a.url() + "/v1/modules", null);
    assertProblem(none, 401, "missing 'Authorization: Bearer <token>'");
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"rsk\"");
    assertProblem(get(a.url() + "/v1/modules", "Bearer t3"), 401, "not valid");
    assertProblem(get(a.url() + "/v1/modules", "Bearer t"), 401, "not valid");
    assertProblem(get(a.url() + "/v1/modules", "Basic dDE6"), 401, "missing");
    assertProblem(get(a.url() + "/v1/inferences/inf-1", null), 401, "missing");
    // Unknown routes under /v1 do not reveal themselves without a token either.
    assertProblem(get(a.url() + "/v1/nope", null), 401, "missing");
    // The secret is not a client token.
    assertProblem(get(a.url() + "/v1/modules", "Bearer " + SECRET), 401, "not valid");

    // t1 from rsk.api.tokens... overridden by the environment's t1,t2: both work, on both instances.
    for (final String token : new String[] {"t1", "t2"}) {
      final HttpResponse<String> ok = get(b.url() + "/v1/modules/scene/frequency?from=2026-03-01&to=2026-03-04",
          "Bearer " + token);
      assertThat(ok.statusCode()).isEqualTo(200);
      final JsonNode body = Json.mapper().readTree(ok.body());
      assertThat(body.get("inferences").asLong()).isEqualTo(N);
      // Gathered from both instances, over HTTPS, with the cluster secret.
      assertThat(body.get("instances").size()).isEqualTo(2);
      assertThat(body.get("stale").asBoolean()).isFalse();
    }
    assertThat(get(a.url() + "/v1/inferences/inf-3", "bearer t1").statusCode()).isEqualTo(200);
  }

  @Test
  void healthReadyMetricsAndOpenApiStayOpen() throws Exception {
    assertThat(get(a.url() + "/health", null).statusCode()).isEqualTo(200);
    assertThat(get(a.url() + "/ready", null).statusCode()).isEqualTo(200);
    assertThat(get(a.url() + "/metrics", null).statusCode()).isEqualTo(200);
    assertThat(get(a.url() + "/openapi.json", null).statusCode()).isEqualTo(200);
  }

  @Test
  void internalRoutesTakeTheClusterSecretNeverAClientToken() throws Exception {
    final String url = a.url() + InternalRoutes.CATALOGUE + "?partitions=0&stale=false";
    assertProblem(get(url, null), 401, "cluster secret");
    assertProblem(get(url, "Bearer t1"), 401, "client tokens are not accepted here");
    final HttpRequest.Builder tokenAsSecret = HttpRequest.newBuilder(URI.create(url))
        .header(InternalRoutes.SECRET_HEADER, "t1");
    assertProblem(https.send(tokenAsSecret.build(), HttpResponse.BodyHandlers.ofString()), 401, "cluster secret");
    final HttpRequest.Builder withSecret = HttpRequest.newBuilder(URI.create(url))
        .header(InternalRoutes.SECRET_HEADER, SECRET);
    assertThat(https.send(withSecret.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isIn(200, 503);
  }

  @Test
  void plainHttpAndUntrustedClientsAreRefused() {
    final String plain = a.url().replace("https://", "http://") + "/health";
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(plain))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(a.url() + "/health"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
  }
}
