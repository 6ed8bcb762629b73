package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.ConceptEvent;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.testing.KafkaExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/concepts} on a real broker and real RocksDB: a new kind of scene after 15 days of another becomes
 * one concept, answered with its decoded centroid; the concept keeps its id and its members across a restart of
 * the instance on the same state directory; without a concepts topic the server runs and the routes say 501 why.
 */
class ConceptApiTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  private static final SketchSpec SPEC = SketchSpec.of(1024, 3L, 0.5, 0.5);
  private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000L;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = Json.mapper();

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  private StatsServer server(final String app, final Path state, final String conceptsTopic) {
    final Properties p = OneServer.props(KAFKA, app, state, 200);
    p.put("kafka.num.stream.threads", "1");
    p.put("rsk.topic.sketches", app + "-sketches");
    p.put("rsk.topic.concepts", conceptsTopic);
    return StatsServer.start(new ServerConfig(p), AvroSerdes.specific(InferenceSketch.class, registry, false),
        AvroSerdes.specific(ConceptEvent.class, registry, false));
  }

  private void send(final String topic, final Scenes scenes, final int from, final int to, final long t0,
      final boolean party) {
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(), AvroSerdes.specific(InferenceSketch.class, registry, false).serializer())) {
      for (int i = from; i < to; i++) {
        final String id = (party ? "party-" : "cat-") + i;
        final InferenceSketch s = party ? scenes.scene(id, t0 + i * HOUR, 0, 0, 4)
            : scenes.scene(id, t0 + i * HOUR, 1, 0, 0);
        producer.send(new ProducerRecord<>(topic, id, s));
      }
      producer.flush();
    }
  }

  private static HttpResponse<String> get(final StatsServer s, final String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofSeconds(30)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode concepts(final StatsServer s) throws Exception {
    final HttpResponse<String> r = get(s, "/v1/concepts");
    return r.statusCode() == 200 ? JSON.readTree(r.body()).get("concepts") : JSON.createArrayNode();
  }

  @Test
  void aNewKindOfSceneBecomesOneConceptThatKeepsItsIdAcrossARestart() throws Exception {
    KAFKA.createTopic("concepts-sketches", 2);
    KAFKA.createTopic("concepts-out", 1);
    final Scenes scenes = new Scenes(SPEC, 5);
    final long partyStart = T0 + 15 * 24 * HOUR;
    send("concepts-sketches", scenes, 0, 15 * 24, T0, false);
    send("concepts-sketches", scenes, 0, 20, partyStart, true);
    final Path state = Files.createTempDirectory(KAFKA.tempDir(), "concepts-state");
    String id;
    try (StatsServer s = server("concepts", state, "concepts-out")) {
      Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> concepts(s).size() == 1 && concepts(s).get(0).get("size").asLong() == 20);
      final JsonNode c = concepts(s).get(0);
      id = c.get("id").asText();
      assertThat(c.get("state").asText()).isEqualTo("emerged");
      // the first member to reach the clusterer: the repartition interleaves the two sketches partitions
      assertThat(c.get("firstMember").asText()).startsWith("party-");
      assertThat(Instant.parse(c.get("firstSeen").asText())).isBetween(Instant.ofEpochMilli(partyStart),
          Instant.ofEpochMilli(partyStart + 19 * HOUR));
      assertThat(c.get("lastSeen").asText()).isEqualTo(Instant.ofEpochMilli(partyStart + 19 * HOUR).toString());
      assertThat(c.get("params").get("d").asInt()).isEqualTo(1024);
      assertThat(c.get("centroid").isNull()).isTrue();
      long perDay = 0;
      for (final JsonNode d : c.get("sizePerDay")) {
        perDay += d.get("members").asLong();
      }
      assertThat(perDay).isEqualTo(20);

      final HttpResponse<String> one = get(s, "/v1/concepts/" + id);
      assertThat(one.statusCode()).isEqualTo(200);
      final JsonNode centroid = JSON.readTree(one.body()).get("centroid");
      // every member holds 4 persons and nothing else under the scene: the centroid decodes to that
      JsonNode person = null;
      for (final JsonNode m : centroid.get("modules")) {
        assertThat(m.get("module").asText()).isNotIn("cat", "dog", "eye");
        if ("person".equals(m.get("module").asText())) {
          person = m;
        }
      }
      assertThat(person).isNotNull();
      assertThat(Math.abs(person.get("count").asDouble() - 4.0))
          .isLessThanOrEqualTo(4 * person.get("countStdError").asDouble());

      assertThat(get(s, "/v1/concepts/nope").statusCode()).isEqualTo(404);
      assertThat(get(s, "/v1/concepts?state=bogus").statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(get(s, "/v1/concepts?state=faded").body()).get("concepts")).isEmpty();
    }

    send("concepts-sketches", scenes, 20, 30, partyStart, true);
    try (StatsServer s = server("concepts", state, "concepts-out")) {
      Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> concepts(s).size() == 1 && concepts(s).get(0).get("size").asLong() == 30);
      assertThat(concepts(s).get(0).get("id").asText()).isEqualTo(id);
    }
  }

  @Test
  void withoutItsTopicTheServerRunsAndTheRoutesSay501Why() throws Exception {
    KAFKA.createTopic("noconcepts-sketches", 1);
    try (StatsServer s = server("noconcepts", Files.createTempDirectory(KAFKA.tempDir(), "noconcepts-state"),
        "absent-topic")) {
      Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
          .until(() -> get(s, "/ready").statusCode() == 200);
      for (final String path : new String[] {"/v1/concepts", "/v1/concepts/x"}) {
        final HttpResponse<String> r = get(s, path);
        assertThat(r.statusCode()).isEqualTo(501);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(r.body()).get("detail").asText()).contains("'absent-topic' does not exist");
      }
    }
  }
}
