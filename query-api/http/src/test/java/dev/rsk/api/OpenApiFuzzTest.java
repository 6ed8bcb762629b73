package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.testing.KafkaExtension;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.StringJoiner;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An API fuzzer driven by the server's own {@code /openapi.json}: every operation it lists is called
 * {@value #PER_OPERATION} times (seed {@value #SEED}) with random path and query parameters (valid values,
 * boundaries, garbage, encodings, huge strings; optional ones sometimes left out) and, where a body is
 * declared, random bodies built from the schema with mutations (wrong types, nulls, huge and non-finite
 * numbers, extra fields, truncated or non-JSON text), against a real instance holding data. Never a 5xx
 * (503 included: the instance is settled); every 4xx is {@code application/problem+json} with a detail.
 */
class OpenApiFuzzTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  static final long SEED = 20260314L;
  static final int PER_OPERATION = 60;
  static final int N = 30;
  static final ObjectMapper MAPPER = Json.mapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static final List<String> STRINGS = List.of("cat", "scene", "dog", "inf-1", "inf-29", "nobody", "", " ",
      "2026-03-02T00:00:00Z", "2026-03-01", "2026-03-04T00:00:00Z", "1970-01-01T00:00:00Z",
      "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "2026-02-30", "2026-13-01T00:00:00Z",
      "PT1H", "P1D", "P7D", "PT0S", "-PT1H", "PT1S", "P9999999999D", "PT90M", "P1M", "P1Y", "UTC", "Europe/Paris",
      "+14:00", "Mars/Olympus", "null", "0", "-1", "1e309", "NaN", "%", "%00", "../../etc/passwd", "a/b",
      "\u0000", "\u00e9\u00e8\ud83d\udc08", "<script>", "'; DROP TABLE x;--", "{\"a\":1}");

  static StatsServer server;
  static String base;
  static JsonNode openApi;

  @BeforeAll
  static void start() throws Exception {
    KAFKA.createTopic("sketches", 4);
    KAFKA.createTopic("concepts", 1); // concept detection on: its routes answer, not 501
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final Scenes scenes = new Scenes(SketchSpec.of(256, 7L, 0.5, 0.5), 1);
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(), AvroSerdes.specific(InferenceSketch.class, registry, false).serializer())) {
      for (int i = 0; i < N; i++) {
        final InferenceSketch s = scenes.scene("inf-" + i,
            Instant.parse("2026-03-02T00:00:00Z").toEpochMilli() + i * 3_600_000L, i % 2, i % 3 == 0 ? 1 : 0, i % 4);
        producer.send(new ProducerRecord<>("sketches", s.getInferenceId(), s));
      }
    }
    final Properties p = OneServer.props(KAFKA, "fuzz-test", Files.createTempDirectory(KAFKA.tempDir(), "state"), 200);
    server = StatsServer.start(new ServerConfig(p), AvroSerdes.specific(InferenceSketch.class, registry, false),
        AvroSerdes.specific(dev.rsk.avro.ConceptEvent.class, registry, false));
    base = server.url();
    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
      final HttpResponse<String> r = send("GET", "/v1/modules/scene/frequency?from=2026-03-01&to=2026-03-05", null);
      return r.statusCode() == 200 && MAPPER.readTree(r.body()).get("inferences").asLong() == N;
    });
    openApi = MAPPER.readTree(send("GET", "/openapi.json", null).body());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyOperationOfTheOpenApiDocumentSurvivesRandomInputWithoutA5xx() throws Exception {
    final Random random = new Random(SEED);
    final List<String> failures = new ArrayList<>();
    int calls = 0;
    int fourXx = 0;
    int operations = 0;
    for (final Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
      final Map.Entry<String, JsonNode> path = paths.next();
      for (final Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        final Map.Entry<String, JsonNode> op = ops.next();
        operations++;
        for (int i = 0; i < PER_OPERATION; i++) {
          final String url = url(path.getKey(), op.getValue().path("parameters"), random);
          final String body = op.getValue().has("requestBody") ? body(op.getValue().get("requestBody"), random) : null;
          final String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
          final HttpResponse<String> r = send(method, url, body);
          calls++;
          final String what = method + " " + url + (body == null ? "" : " body " + abbreviate(body)) + " -> "
              + r.statusCode() + " " + abbreviate(r.body());
          if (r.statusCode() >= 500) {
            failures.add(what);
          } else if (r.statusCode() >= 400) {
            fourXx++;
            if (!problemWithDetail(r)) {
              failures.add("not problem+json with a detail: " + what);
            }
          }
        }
      }
    }
    // the 10 routes of the first API, POST /v1/query, GET /v1/network, the web console's GET / and
    // GET /v1/inferences/{id}/related, GET /v1/concepts and /v1/concepts/{id}
    assertThat(operations).isEqualTo(16);
    assertThat(failures).as("%d calls", calls).isEmpty();
    // The fuzzer reaches both sides: answers and rejections.
    assertThat(fourXx).isBetween(calls / 10, calls - calls / 10);
  }

  private static boolean problemWithDetail(final HttpResponse<String> r) {
    if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
      return false;
    }
    try {
      final JsonNode p = MAPPER.readTree(r.body());
      return p.path("status").asInt() == r.statusCode() && !p.path("detail").asText("").isBlank();
    } catch (Exception e) {
      return false;
    }
  }

  private static String url(final String template, final JsonNode parameters, final Random random) {
    String path = template;
    final StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    for (final JsonNode p : parameters) {
      final String name = p.get("name").asText();
      if ("path".equals(p.path("in").asText())) {
        String v = value(random);
        if (v.isEmpty()) {
          v = "x"; // an empty path segment is another route
        }
        path = path.replace("{" + name + "}", URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
      } else if (random.nextInt(4) > 0) {
        final String v =
            random.nextInt(20) == 0 ? "%25zz%2500" : URLEncoder.encode(value(random), StandardCharsets.UTF_8);
        query.add((random.nextInt(25) == 0 ? name.toUpperCase(java.util.Locale.ROOT) : name) + "=" + v);
      }
    }
    if (random.nextInt(10) == 0) {
      query.add("unknown=" + random.nextInt());
    }
    return path + query;
  }

  private static String value(final Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> randomText(random, 1 + random.nextInt(40));
      case 1 -> "x".repeat(1 + random.nextInt(6000));
      default -> STRINGS.get(random.nextInt(STRINGS.size()));
    };
  }

  private static String randomText(final Random random, final int length) {
    final StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0xD7FF)));
    }
    return sb.toString();
  }

  private static String body(final JsonNode requestBody, final Random random) throws Exception {
    final JsonNode schema = requestBody.path("content").path("application/json").path("schema");
    return switch (random.nextInt(12)) {
      case 0 -> "";
      case 1 -> randomText(random, random.nextInt(200));
      case 2 -> "[1,2,3]";
      default -> {
        final String json = MAPPER.writeValueAsString(instance(schema, random, 0));
        yield random.nextInt(10) == 0 ? json.substring(0, random.nextInt(json.length() + 1)) : json;
      }
    };
  }

  /** A random instance of {@code schema}, mutated: sometimes the wrong type, null, or extra fields. */
  private static JsonNode instance(final JsonNode schemaOrRef, final Random random, final int depth) {
    final JsonNode schema = resolve(schemaOrRef);
    final JsonNodeFactory f = JsonNodeFactory.instance;
    if (random.nextInt(12) == 0 || depth > 4) {
      return anyScalar(random);
    }
    switch (schema.path("type").asText("object")) {
      case "object": {
        final ObjectNode o = f.objectNode();
        for (final Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
            props.hasNext(); ) {
          final Map.Entry<String, JsonNode> prop = props.next();
          if (random.nextInt(3) > 0) {
            o.set(prop.getKey(), instance(prop.getValue(), random, depth + 1));
          }
        }
        if (random.nextInt(8) == 0) {
          o.put("extra" + random.nextInt(3), random.nextInt());
        }
        return o;
      }
      case "array": {
        final ArrayNode a = f.arrayNode();
        final int n = random.nextInt(4) == 0 ? random.nextInt(3000) : random.nextInt(300);
        for (int i = 0; i < n; i++) {
          a.add(instance(schema.path("items"), random, depth + 1));
        }
        return a;
      }
      case "integer":
        return switch (random.nextInt(6)) {
          case 0 -> f.numberNode(Long.MAX_VALUE);
          case 1 -> f.numberNode(-1 - random.nextInt(5));
          case 2 -> f.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
          default -> f.numberNode(random.nextInt(2000));
        };
      case "number":
        return switch (random.nextInt(6)) {
          case 0 -> f.numberNode(Double.MAX_VALUE);
          case 1 -> f.textNode(random.nextBoolean() ? "NaN" : "Infinity");
          case 2 -> f.numberNode(-random.nextDouble());
          default -> f.numberNode(random.nextGaussian());
        };
      default:
        return f.textNode(value(random));
    }
  }

  private static JsonNode anyScalar(final Random random) {
    final JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (random.nextInt(4)) {
      case 0 -> f.nullNode();
      case 1 -> f.booleanNode(random.nextBoolean());
      case 2 -> f.textNode(value(random));
      default -> f.numberNode(random.nextLong());
    };
  }

  private static JsonNode resolve(final JsonNode schema) {
    final String ref = schema.path("$ref").asText("");
    if (ref.startsWith("#/")) {
      JsonNode node = openApi;
      for (final String part : ref.substring(2).split("/")) {
        node = node.path(part);
      }
      return node;
    }
    return schema;
  }

  private static HttpResponse<String> send(final String method, final String pathAndQuery, final String body)
      throws Exception {
    final HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30));
    if (body != null) {
      r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      r.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String abbreviate(final String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
