package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.model.FrequencyResponse;
import dev.rsk.api.model.HoursResponse;
import dev.rsk.api.model.QueryResponse;
import dev.rsk.api.model.StatsResponse;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleEdge;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.StreetScenes;
import dev.rsk.stats.testing.StreetScenes.Scene;
import dev.rsk.testing.KafkaExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/query} on two instances over a 4-partition topic of street scenes: every form of the
 * contract against the truth computed here from the scenes sent, both instances alike, the single-module
 * answers equal to the frequency, hours and stats routes, and every bad query a 400 naming the problem.
 */
class QueryApiTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  static final SketchSpec SPEC = SketchSpec.of(4096, 5L, 0.5, 0.5);
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z"); // a Monday
  static final int N = 240;
  static final String RANGE = "\"from\": \"2026-03-02\", \"to\": \"2026-03-09\"";
  /** The day of the one record whose edges show a rider its sketch does not hold, after RANGE. */
  static final String BLIND_DAY = "\"from\": \"2026-03-10\", \"to\": \"2026-03-11\"";
  static final List<Scene> SENT = new ArrayList<>();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static StatsServer a;
  static StatsServer b;
  /** A third application over the same topic, with exact attribute data for dimension 0 only. */
  static StatsServer narrow;

  @BeforeAll
  static void start() throws Exception {
    KAFKA.createTopic("sketches", 4);
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final StreetScenes scenes = new StreetScenes(SPEC, 11);
    for (int i = 0; i < N; i++) {
      // 41-minute steps over ~7 days, two cameras
      SENT.add(scenes.random("s" + i, T0.plus(Duration.ofMinutes(41L * i)).toEpochMilli(), "cam-" + (i % 3)));
    }
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(), AvroSerdes.specific(InferenceSketch.class, registry, false).serializer())) {
      for (final Scene s : SENT) {
        producer.send(new ProducerRecord<>("sketches", s.record().getInferenceId(), s.record()));
      }
      final InferenceSketch blind = blind(scenes);
      producer.send(new ProducerRecord<>("sketches", blind.getInferenceId(), blind));
      producer.flush();
    }
    a = server(registry, "a", "query-test");
    b = server(registry, "b", "query-test");
    final Properties narrowKeys = new Properties();
    narrowKeys.put(ServerConfig.EXACT_DIMS, "1");
    narrow = server(registry, "narrow", "query-test-narrow", narrowKeys);
    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions().until(() -> query(a, "{" + RANGE + "}").inferences() == N
            && query(b, "{" + RANGE + "}").inferences() == N && query(a, "{" + RANGE + "}").instances().size() == 2
            && query(narrow, "{" + RANGE + "}").inferences() == N
            && query(a, "{" + BLIND_DAY + "}").inferences() == 1 && query(b, "{" + BLIND_DAY + "}").inferences() == 1);
  }

  /**
   * A complete inference whose edges say a person rides a bicycle and another bicycle is parked (so they do not
   * tell which bicycles {@code person/bicycle} selects), with the sketch of a street of cars only.
   */
  private static InferenceSketch blind(final StreetScenes scenes) {
    final long day = Instant.parse("2026-03-10T12:00:00Z").toEpochMilli();
    final InferenceSketch record = scenes.scene("blind", day, "cam-0", 0, 1, 1, 1).record();
    return InferenceSketch.newBuilder(record).setVector(scenes.scene("cars", day, "cam-0", 2, 0, 0, 0).record()
        .getVector()).setStructureVersion(NetworkStructure.VERSION).setRootModule("street").setEdges(List.of(
            new ModuleEdge("street", "person", "person", 1), new ModuleEdge("person", "1", "bicycle", 1),
            new ModuleEdge("person", "0", "face", 1), new ModuleEdge("street", "bicycle", "bicycle", 1))).build();
  }

  private static StatsServer server(final InMemorySchemaRegistryClient registry, final String name,
      final String applicationId) throws Exception {
    return server(registry, name, applicationId, new Properties());
  }

  private static StatsServer server(final InMemorySchemaRegistryClient registry, final String name,
      final String applicationId, final Properties keys) throws Exception {
    final Properties p = OneServer.props(KAFKA, applicationId,
        Files.createTempDirectory(KAFKA.tempDir(), "state-" + name), 200);
    p.put("kafka.num.stream.threads", "1");
    keys.forEach(p::putIfAbsent); // the test's keys never override the instance's own
    return StatsServer.start(new ServerConfig(p), AvroSerdes.specific(InferenceSketch.class, registry, false));
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (narrow != null) {
      narrow.close();
    }
  }

  static HttpResponse<String> post(final StatsServer s, final String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + "/v1/query")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static QueryResponse query(final StatsServer s, final String body) throws Exception {
    final HttpResponse<String> r = post(s, body);
    assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(200);
    return Json.mapper().readValue(r.body(), QueryResponse.class);
  }

  static String body(final String where, final String... select) {
    return "{\"where\": " + Json.mapper().valueToTree(where) + ", " + RANGE + ", \"select\": "
        + Json.mapper().valueToTree(List.of(select)) + "}";
  }

  /** Asks both instances; they must agree; the count must equal the truth and be exact. */
  static QueryResponse exactly(final String where, final Predicate<Scene> truth) throws Exception {
    final QueryResponse ra = query(a, body(where, "count", "fraction"));
    final QueryResponse rb = query(b, body(where, "count", "fraction"));
    assertThat(ra.matched()).as(where).isEqualTo(rb.matched());
    assertThat(ra.buckets()).isEqualTo(rb.buckets());
    assertThat(ra.hours()).isEqualTo(rb.hours());
    final long want = SENT.stream().filter(truth).count();
    assertThat(ra.matched()).as(where).isEqualTo(want);
    assertThat(ra.exact()).as(where).isTrue();
    assertThat(ra.matchedStdError()).isZero();
    assertThat(ra.inferences()).isEqualTo(N);
    assertThat(ra.values().get("fraction").value()).isCloseTo((double) want / N, within(1e-12));
    assertThat(ra.stale()).isFalse();
    return ra;
  }

  static int hour(final Scene s) {
    return s.record().getEventTime().atZone(ZoneId.of("UTC")).getHour();
  }

  @Test
  void exactFormsEqualTheTruthOnBothInstances() throws Exception {
    exactly("car", s -> s.cars() > 0);
    exactly("count(person) >= 2", s -> s.persons() >= 2);
    exactly("count(wheel) = 4", s -> s.cars() == 1);
    exactly("car & bicycle", s -> s.cars() > 0 && s.riders() + s.parked() > 0);
    exactly("car | !person", s -> s.cars() > 0 || s.persons() == 0);
    exactly("!(car | person)", s -> s.cars() == 0 && s.persons() == 0);
    exactly("hour(7..9)", s -> hour(s) >= 7 && hour(s) <= 9);
    exactly("hour(22..2) & car", s -> (hour(s) >= 22 || hour(s) <= 2) && s.cars() > 0);
    exactly("weekday(sat..sun)",
        s -> s.record().getEventTime().atZone(ZoneId.of("UTC")).getDayOfWeek().getValue() >= 6);
    exactly("source = \"cam-1\"", s -> s.record().getSource().equals("cam-1"));
    exactly("car[0] > 2", s -> s.cars() > 0 && s.carAttributes().stream().mapToDouble(x -> x[0]).average()
        .orElseThrow() > 2);
    final QueryResponse r = exactly("count(car) >= 1 & hour(7..9)", s -> s.cars() > 0 && hour(s) >= 7 && hour(s) <= 9);
    // buckets: one per day of the range, each the truth of its day
    assertThat(r.buckets()).hasSize(7);
    for (int d = 0; d < 7; d++) {
      final int day = d;
      final long want = SENT.stream().filter(s -> s.cars() > 0 && hour(s) >= 7 && hour(s) <= 9
          && Duration.between(T0, s.record().getEventTime()).toDays() == day).count();
      assertThat(r.buckets().get(d).matched()).isEqualTo(want);
      assertThat(r.buckets().get(d).start()).isEqualTo(T0.plus(Duration.ofDays(d)).toString());
    }
  }

  @Test
  void exactMeanAndDecodedPathWithinTheirError() throws Exception {
    final QueryResponse mean = query(a, body("bicycle", "mean(car[0])"));
    double sum = 0;
    long n = 0;
    for (final Scene s : SENT) {
      if (s.riders() + s.parked() > 0) {
        for (final float[] x : s.carAttributes()) {
          sum += x[0];
          n++;
        }
      }
    }
    assertThat(mean.values().get("mean(car[0])").exact()).isTrue();
    assertThat(mean.values().get("mean(car[0])").value()).isCloseTo(sum / n, within(1e-9));

    final QueryResponse ra = query(a, body("person/bicycle", "count", "mean(person/bicycle[0])"));
    final QueryResponse rb = query(b, body("person/bicycle", "count", "mean(person/bicycle[0])"));
    assertThat(ra.matched()).isEqualTo(rb.matched());
    assertThat(ra.values().get("mean(person/bicycle[0])").value())
        .isCloseTo(rb.values().get("mean(person/bicycle[0])").value(), within(1e-4));
    final long riding = SENT.stream().filter(s -> s.riders() > 0).count();
    assertThat(ra.exact()).isFalse();
    assertThat(ra.matchedStdError()).isPositive();
    assertThat((double) ra.matched()).isCloseTo(riding, within(2 * ra.matchedStdError() + 0.5));
    final QueryResponse.Value v = ra.values().get("mean(person/bicycle[0])");
    final double truth = SENT.stream().flatMap(s -> s.riddenAttributes().stream()).mapToDouble(x -> x[0])
        .average().orElseThrow();
    assertThat(v.exact()).isFalse();
    assertThat(v.value()).isCloseTo(truth, within(2 * v.stdError()));
  }

  /** Asked of both instances: one scans the record's partition itself, the other through /internal. */
  @Test
  void aComparisonNeitherTheRecordNorItsSketchCanReadIsCountedUndecided() throws Exception {
    for (final StatsServer s : List.of(a, b)) {
      final QueryResponse r = query(s, "{\"where\": \"person/bicycle[0] > 0.2\", " + BLIND_DAY + "}");
      assertThat(r.inferences()).isEqualTo(1);
      assertThat(r.matched()).isZero();
      assertThat(r.exact()).isFalse();
      assertThat(r.undecided()).isEqualTo(1);
      // an exact term decides it anyway
      assertThat(query(s, "{\"where\": \"person/bicycle[0] > 0.2 & car\", " + BLIND_DAY + "}").undecided())
          .isZero();
    }
    // without edges (the scenes of RANGE) nothing is undecided
    assertThat(query(a, body("person/bicycle[0] > 0.2", "count")).undecided()).isZero();
  }

  @Test
  void aSingleModuleAnswersAsTheFrequencyHoursAndStatsRoutes() throws Exception {
    final RskClient client = new RskClient(a.url(), Duration.ofSeconds(20));
    final Instant from = T0;
    final Instant to = T0.plus(Duration.ofDays(7));
    final FrequencyResponse f = client.frequency("car", from, to, "P1D");
    final QueryResponse q = query(a, "{\"where\": \"car\", " + RANGE + ", \"bucket\": \"P1D\", "
        + "\"zone\": \"Asia/Tokyo\", "
        + "\"select\": [\"count\", \"hours\", \"mean(car[0])\", \"mean(car[1])\", \"mass(car)\"]}");
    assertThat(q.inferences()).isEqualTo(f.inferences());
    assertThat(q.matched()).isEqualTo(f.withModule());
    for (int d = 0; d < 7; d++) {
      assertThat(q.buckets().get(d).inferences()).isEqualTo(f.buckets().get(d).inferences());
      assertThat(q.buckets().get(d).matched()).isEqualTo(f.buckets().get(d).withModule());
    }
    final HoursResponse h = client.hours("car", from, to, "Asia/Tokyo");
    for (int hour = 0; hour < 24; hour++) {
      assertThat(q.hours().get(hour).matched()).as("hour " + hour).isEqualTo(h.hours().get(hour).withModule());
    }
    final StatsResponse st = client.stats("car", from, to);
    for (int i = 0; i < 2; i++) {
      assertThat(q.values().get("mean(car[" + i + "])").value()).isCloseTo(st.attributes().get(i).mean(),
          within(1e-9));
    }
    // the mass of every car: over all inferences (a car-less one adds no car mass) it is the stats' sum estimate
    final QueryResponse all = query(a, body(null, "mass(car)"));
    // the query sums the repository's int8 sketches, the stats the float32 sums: they differ by int8 rounding
    // (at most half a quantum per coordinate, a few 1e-5 of the mass), far below the mass's standard error
    assertThat(all.values().get("mass(car)").value()).isCloseTo(st.fromSums().mass(),
        within(1e-4 * Math.abs(st.fromSums().mass())));
    assertThat(all.values().get("mass(car)").stdError()).isGreaterThan(0);
  }

  /**
   * With {@code rsk.attributes.exact.dims} 1, dimension 0 of car (k = 2) stays exact everywhere, dimension 1 is
   * answered from the sketches with its stated error: the query decodes it, the stats route lists one dimension
   * and estimates both from the sums.
   */
  @Test
  void dimensionsPastTheExactLimitAreDecodedWithinTheirError() throws Exception {
    final double[] sum = new double[2];
    long n = 0;
    for (final Scene s : SENT) {
      for (final float[] x : s.carAttributes()) {
        sum[0] += x[0];
        sum[1] += x[1];
        n++;
      }
    }
    final QueryResponse q = query(narrow, body("car", "mean(car[0])", "mean(car[1])"));
    final QueryResponse.Value exact = q.values().get("mean(car[0])");
    assertThat(exact.exact()).isTrue();
    assertThat(exact.value()).isCloseTo(sum[0] / n, within(1e-9));
    final QueryResponse.Value decoded = q.values().get("mean(car[1])");
    System.out.printf("car[1] past the exact limit: truth %.4f decoded %.4f +- %.4f%n", sum[1] / n,
        decoded.value(), decoded.stdError());
    assertThat(decoded.exact()).isFalse();
    assertThat(decoded.stdError()).isPositive();
    assertThat(decoded.value()).isCloseTo(sum[1] / n, within(3 * decoded.stdError()));
    // the same query on the default limit is exact on both
    assertThat(query(a, body("car", "mean(car[1])")).values().get("mean(car[1])").exact()).isTrue();

    final RskClient client = new RskClient(narrow.url(), Duration.ofSeconds(20));
    final StatsResponse st = client.stats("car", T0, T0.plus(Duration.ofDays(7)));
    assertThat(st.attributeLength()).isEqualTo(2);
    assertThat(st.exactDimensions()).isEqualTo(1);
    assertThat(st.attributes()).hasSize(1);
    assertThat(st.attributes().get(0).mean()).isCloseTo(sum[0] / n, within(1e-9));
    assertThat(st.attributeObjects()).isEqualTo(n);
    assertThat(st.fromSums().meanAttributes()).hasSize(2);
    final StatsResponse full = new RskClient(a.url(), Duration.ofSeconds(20)).stats("car", T0,
        T0.plus(Duration.ofDays(7)));
    assertThat(full.exactDimensions()).isEqualTo(2);
    assertThat(full.attributes().get(1).mean()).isCloseTo(sum[1] / n, within(1e-9));
  }

  private static void problem(final String body, final String detail) throws Exception {
    final HttpResponse<String> r = post(a, body);
    assertThat(r.statusCode()).as(body + " -> " + r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    final JsonNode p = Json.mapper().readTree(r.body());
    assertThat(p.get("detail").asText()).contains(detail);
  }

  @Test
  void badQueriesAre400ProblemsNamingTheProblem() throws Exception {
    problem(body("(car & bicycle", "count"), "where: expected ')' at column 15, found end of text");
    problem(body("car & unicorn", "count"), "unknown module 'unicorn' (never seen) at column 7");
    problem(body("car[5] > 1", "count"), "attribute index 5 out of range: module 'car' has 2 attributes");
    problem(body("car", "mean(car[9])"), "select 'mean(car[9])': attribute index 9 out of range");
    problem(body("car", "median(car[0])"), "select[0]: unknown select item 'median'");
    problem("{\"where\": \"car\", \"from\": \"2026-03-09\", \"to\": \"2026-03-02\"}", "must be before");
    problem("{\"where\": \"car\", \"from\": \"2026-03-02\", \"to\": \"2026-03-02\"}", "must be before");
    problem("{\"where\": \"car\", \"from\": \"someday\"}", "'from' is not an ISO-8601 instant");
    problem("{\"where\": \"car\", " + RANGE + ", \"bucket\": \"PT30M\"}", "whole number of hours");
    problem("{\"where\": \"car\", " + RANGE + ", \"zone\": \"Mars/Olympus\"}", "unknown time zone");
    problem("{\"where\": \"car\"", "malformed JSON");
    problem("{\"where\": 7}", "field 'where' must be a string");
    problem("{\"where\": \"car\", " + RANGE + ", \"selcet\": [\"count\"]}", "unknown field 'selcet'");
    problem("{\"where\": \"car\", " + RANGE + ", \"pathsFromSketches\": \"yes\"}",
        "field 'pathsFromSketches' must be true or false");
  }

  @Test
  void openApiDescribesTheRoute() throws Exception {
    final var r = HTTP.send(HttpRequest.newBuilder(URI.create(a.url() + "/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(Json.mapper().readTree(r.body()).get("paths").has("/v1/query")).isTrue();
  }
}
