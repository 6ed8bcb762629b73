package dev.rsk.registry.server;

import dev.rsk.registry.HttpSchemaRegistryClient;
import dev.rsk.registry.RegisteredSchema;
import dev.rsk.registry.SchemaRegistryClient;
import dev.rsk.registry.SchemaRegistryException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.UnknownSchemaIdException;
import dev.rsk.testing.KafkaExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The in-process registry over a real broker: REST subset, compatibility, durability, agreement. */
class SchemaRegistryServerTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Schema record(final String name, final String... fields) {
    final StringBuilder sb = new StringBuilder("{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[");
    for (int i = 0; i < fields.length; i++) {
      sb.append(i == 0 ? "" : ",").append(fields[i]);
    }
    return new Schema.Parser().parse(sb.append("]}").toString());
  }

  @Test
  void registersLooksUpAndListsLikeConfluent() {
    final SchemaRegistryClient client = KAFKA.registryClient();
    final int id = client.register("activations-value", ModuleActivation.getClassSchema());

    assertThat(client.register("activations-value", ModuleActivation.getClassSchema())).isEqualTo(id);
    assertThat(client.register("other-value", ModuleActivation.getClassSchema()))
        .as("the same schema has one id in every subject").isEqualTo(id);
    assertThat(client.byId(id)).isEqualTo(ModuleActivation.getClassSchema());
    assertThat(client.latest("activations-value"))
        .isEqualTo(new RegisteredSchema("activations-value", id, 1, ModuleActivation.getClassSchema()));
    assertThat(client.lookup("other-value", ModuleActivation.getClassSchema()).version()).isEqualTo(1);
    final int sketchId = client.register("sketches-value", InferenceSketch.getClassSchema());
    assertThat(sketchId).isNotEqualTo(id);
    assertThat(client.byId(sketchId)).isEqualTo(InferenceSketch.getClassSchema());
  }

  @Test
  void enforcesBackwardCompatibilityUnlessConfiguredOtherwise() throws Exception {
    final String subject = "compat-value";
    final Schema v1 = record("Compat", "{\"name\":\"a\",\"type\":\"int\"}");
    final Schema v2 = record("Compat", "{\"name\":\"a\",\"type\":\"int\"}",
        "{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}");
    final Schema breaking = record("Compat", "{\"name\":\"a\",\"type\":\"int\"}", "{\"name\":\"c\",\"type\":\"long\"}");
    final SchemaRegistryClient client = KAFKA.registryClient();
    client.register(subject, v1);
    client.register(subject, v2);

    final HttpResponse<String> rejected = post("/subjects/" + subject + "/versions", body(breaking));
    assertThat(rejected.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(rejected.body()).path("error_code").asInt()).isEqualTo(409);
    assertThat(JSON.readTree(rejected.body()).path("message").asText()).contains("incompatible").contains("c");

    final JsonNode check = JSON.readTree(post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true",
        body(breaking)).body());
    assertThat(check.path("is_compatible").asBoolean()).isFalse();
    assertThat(check.path("messages")).isNotEmpty();

    assertThat(put("/config/" + subject, "{\"compatibility\":\"NONE\"}").statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(get("/config/" + subject).body()).path("compatibilityLevel").asText()).isEqualTo("NONE");
    assertThat(client.register(subject, breaking)).isPositive();
    assertThat(JSON.readTree(get("/subjects/" + subject + "/versions").body()).toString()).isEqualTo("[1,2,3]");
    assertThat(JSON.readTree(get("/config").body()).path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
  }

  @Test
  void errorsCarryConfluentBodies() throws Exception {
    assertError(get("/subjects/nope/versions"), 404, 40401);
    assertError(get("/subjects/nope/versions/latest"), 404, 40401);
    assertError(get("/schemas/ids/987654"), 404, 40403);
    KAFKA.registryClient().register("errs-value", ModuleActivation.getClassSchema());
    assertError(get("/subjects/errs-value/versions/7"), 404, 40402);
    assertError(get("/subjects/errs-value/versions/seven"), 422, 42202);
    assertError(post("/subjects/errs-value/versions", "{\"schema\":\"{not avro\"}"), 422, 42201);
    assertError(post("/subjects/errs-value/versions", "{\"schema\":\"\\\"int\\\"\",\"schemaType\":\"PROTOBUF\"}"),
        422, 42201);
    assertError(post("/subjects/errs-value/versions", "not json"), 400, 400);
    assertError(put("/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
    assertError(get("/config/errs-value"), 404, 40408);
    assertError(get("/no/such/route"), 404, 404);
    assertThatThrownBy(() -> KAFKA.registryClient().byId(987654)).isInstanceOf(UnknownSchemaIdException.class);
    assertThatThrownBy(() -> KAFKA.registryClient().latest("nope"))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
  }

  @Test
  void twoRegistriesOverOneBrokerAgreeEvenUnderConcurrentRegistration() throws Exception {
    try (SchemaRegistryServer second = SchemaRegistryServer.start(KAFKA.bootstrapServers(), 0)) {
      final SchemaRegistryClient a = KAFKA.registryClient();
      final SchemaRegistryClient b = HttpSchemaRegistryClient.forUrl(second.url());
      final ExecutorService pool = Executors.newFixedThreadPool(2);
      final List<Future<Map<Schema, Integer>>> futures = new ArrayList<>();
      try {
        for (final SchemaRegistryClient client : List.of(a, b)) {
          final String who = client == a ? "A" : "B";
          futures.add(pool.submit(() -> {
            final Map<Schema, Integer> ids = new HashMap<>();
            for (int i = 0; i < 6; i++) {
              // Both registries race on the same subjects with different, mutually compatible schemas.
              final Schema s = who.equals("A") ? record("Race" + i, "{\"name\":\"x\",\"type\":\"int\"}")
                  : record("Race" + i, "{\"name\":\"x\",\"type\":\"int\"}",
                      "{\"name\":\"y\",\"type\":\"string\",\"default\":\"\"}");
              ids.put(s, client.register("race-" + i + "-value", s));
            }
            return ids;
          }));
        }
        final Map<Schema, Integer> all = new HashMap<>();
        for (final Future<Map<Schema, Integer>> f : futures) {
          all.putAll(f.get(120, TimeUnit.SECONDS));
        }
        assertThat(all).hasSize(12);
        assertThat(all.values()).doesNotHaveDuplicates();
        for (final Map.Entry<Schema, Integer> e : all.entrySet()) {
          assertThat(a.byId(e.getValue())).isEqualTo(e.getKey());
          assertThat(b.byId(e.getValue())).isEqualTo(e.getKey());
        }
        for (int i = 0; i < 6; i++) {
          assertThat(get(second.url(), "/subjects/race-" + i + "-value/versions").body())
              .isEqualTo(get("/subjects/race-" + i + "-value/versions").body()).isEqualTo("[1,2]");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void idsSurviveARegistryRestart() {
    final Schema schema = record("Durable", "{\"name\":\"x\",\"type\":\"int\"}");
    final int id;
    final String url;
    try (SchemaRegistryServer first = SchemaRegistryServer.start(KAFKA.bootstrapServers(), 0)) {
      id = HttpSchemaRegistryClient.forUrl(first.url()).register("durable-value", schema);
      url = first.url();
    }
    try (SchemaRegistryServer again = SchemaRegistryServer.start(KAFKA.bootstrapServers(), 0)) {
      final SchemaRegistryClient client = HttpSchemaRegistryClient.forUrl(again.url());
      assertThat(client.byId(id)).isEqualTo(schema);
      assertThat(client.latest("durable-value").id()).isEqualTo(id);
      final int next = client.register("durable2-value", record("Durable2", "{\"name\":\"y\",\"type\":\"int\"}"));
      assertThat(next).as("a new schema never reuses an id").isGreaterThan(id);
    }
    assertThat(url).isNotNull();
  }

  private void assertError(final HttpResponse<String> response, final int status, final int code) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    final JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("error_code").asInt()).as(response.body()).isEqualTo(code);
    assertThat(body.path("message").asText()).isNotBlank();
  }

  private static String body(final Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private HttpResponse<String> get(final String path) throws Exception {
    return get(KAFKA.registryUrl(), path);
  }

  private HttpResponse<String> get(final String base, final String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(final String path, final String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(KAFKA.registryUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(final String path, final String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(KAFKA.registryUrl() + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
