package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.model.InferenceResponse;
import dev.rsk.api.model.InstanceStatus;
import dev.rsk.api.model.NetworkResponse;
import dev.rsk.api.model.StatsResponse;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecoveredNode;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.NetworkStreetScenes;
import dev.rsk.testing.KafkaExtension;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /v1/network} on a real stack (in-process broker, 4 partitions): two instances of one
 * application answer the same as a single instance of another, and the answer equals the wiring
 * computed here from the scenes' parameters. Then {@code /v1/inferences/{id}} on street-camera scenes
 * decodes with the learned network: the true root, no phantom nodes, wheels and faces at depth 2; a month
 * of street traffic (720 scenes, one an hour in April) is counted from its summed sketches alone within 3%;
 * and, last, a scene with a module and an edge never seen changes the network's version and is decoded by
 * the running servers. Run time: about 1 to 3 minutes (three Streams instances on a loaded machine).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkApiTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  static final String TOPIC = "sketches";
  static final SketchSpec SPEC = SketchSpec.of(1024, 99L, 0.5, 0.5);
  static final long T0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  /** Scene id to {cars, persons, bicycles}; every one carries its structure. */
  static final Map<String, int[]> SCENES = new LinkedHashMap<>();
  /** A month of street traffic in April 2026, one scene an hour: scene id to {cars, persons, bicycles}. */
  static final Map<String, int[]> MONTH = new LinkedHashMap<>();
  static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
  static final int MONTH_DAYS = 30;
  static NetworkStreetScenes scenes;
  static InMemorySchemaRegistryClient registry;
  static final List<StatsServer> SERVERS = new ArrayList<>();
  static RskClient ca;
  static RskClient cb;
  static RskClient single;

  @BeforeAll
  static void start() throws Exception {
    KAFKA.createTopic(TOPIC, 4);
    registry = new InMemorySchemaRegistryClient();
    scenes = new NetworkStreetScenes(SPEC, 11);
    SCENES.put("street-person-face-bicycle", new int[] {0, 1, 1});
    SCENES.put("street-car", new int[] {1, 0, 0});
    SCENES.put("four-cars", new int[] {4, 0, 0});
    SCENES.put("car-person-bicycle", new int[] {1, 1, 1});
    final SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 36; i++) {
      SCENES.put("scene-" + i, new int[] {random.nextInt(4), random.nextInt(3), random.nextInt(2)});
    }
    for (int h = 0; h < 24 * MONTH_DAYS; h++) {
      MONTH.put("april-" + h, new int[] {random.nextInt(4), random.nextInt(3), random.nextInt(2)});
    }
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(), AvroSerdes.specific(InferenceSketch.class, registry, false).serializer())) {
      int i = 0;
      for (final Map.Entry<String, int[]> e : SCENES.entrySet()) {
        final int[] n = e.getValue();
        producer.send(new ProducerRecord<>(TOPIC, e.getKey(),
            scenes.scene(e.getKey(), T0 + 60_000L * i++, n[0], n[1], n[2])));
      }
      int h = 0;
      for (final Map.Entry<String, int[]> e : MONTH.entrySet()) {
        final int[] n = e.getValue();
        producer.send(new ProducerRecord<>(TOPIC, e.getKey(),
            scenes.scene(e.getKey(), APRIL.toEpochMilli() + 3_600_000L * h++ + 60_000L, n[0], n[1], n[2])));
      }
      // an older producer's record: in the catalogue, not in the network
      producer.send(new ProducerRecord<>(TOPIC, "old", scenes.sceneWithoutStructure("old", T0, 2, 2, 1)));
      producer.flush();
    }
    SERVERS.add(server(registry, "a", "network-test"));
    SERVERS.add(server(registry, "b", "network-test"));
    SERVERS.add(server(registry, "single", "network-single"));
    ca = new RskClient(SERVERS.get(0).url(), Duration.ofSeconds(20));
    cb = new RskClient(SERVERS.get(1).url(), Duration.ofSeconds(20));
    single = new RskClient(SERVERS.get(2).url(), Duration.ofSeconds(20));
    // three exactly-once Streams instances start slowly on a loaded 2-core machine: a generous bound
    Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
        .ignoreException(RskClientException.class).until(() -> ready(ca, 2) && ready(cb, 2) && ready(single, 1));
  }

  private static boolean ready(final RskClient c, final int instances) {
    final NetworkResponse n = c.network();
    return n.instances().size() == instances && n.inferences() == SCENES.size() + MONTH.size();
  }

  private static StatsServer server(final InMemorySchemaRegistryClient registry, final String name,
      final String applicationId) throws Exception {
    final Properties p = OneServer.props(KAFKA, applicationId,
        Files.createTempDirectory(KAFKA.tempDir(), "state-" + name), 200);
    p.put("kafka.num.stream.threads", "1");
    return StatsServer.start(new ServerConfig(p), AvroSerdes.specific(InferenceSketch.class, registry, false));
  }

  @AfterAll
  static void stop() {
    SERVERS.forEach(StatsServer::close);
  }

  @Test
  void twoInstancesAnswerTheSameAsOneAndTheWiringOfTheScenes() {
    final NetworkResponse na = ca.network();
    final NetworkResponse nb = cb.network();
    final NetworkResponse n1 = single.network();
    assertThat(na.stale()).isFalse();
    assertThat(na.instances()).extracting(InstanceStatus::status).containsOnly("ok");
    assertThat(na.instances()).flatExtracting(InstanceStatus::partitions).containsExactlyInAnyOrder(0, 1, 2, 3);
    assertThat(n1.instances()).hasSize(1);
    for (final NetworkResponse other : List.of(nb, n1)) {
      assertThat(other.modules()).isEqualTo(na.modules());
      assertThat(other.rootModules()).isEqualTo(na.rootModules());
      assertThat(other.edges()).isEqualTo(na.edges());
      assertThat(other.inferences()).isEqualTo(na.inferences());
    }

    // The truth, from the scenes' parameters: cars, then persons, then bicycles on the street's slots.
    long cars = 0;
    long persons = 0;
    long bicycles = 0;
    final long[] inferencesWith = new long[3];
    final Map<String, Long> rootEdges = new TreeMap<>();
    final List<int[]> all = new ArrayList<>(SCENES.values());
    all.addAll(MONTH.values());
    for (final int[] n : all) {
      int slot = 0;
      final String[] kinds = {"car", "person", "bicycle"};
      for (int kind = 0; kind < 3; kind++) {
        for (int j = 0; j < n[kind]; j++) {
          rootEdges.merge(slot++ + "/" + kinds[kind], 1L, Long::sum);
        }
        inferencesWith[kind] += n[kind] > 0 ? 1 : 0;
      }
      cars += n[0];
      persons += n[1];
      bicycles += n[2];
    }
    final long scenes = all.size();
    assertThat(na.inferences()).isEqualTo(scenes);
    assertThat(na.structureFormat()).isEqualTo(1);
    assertThat(na.version()).matches("[0-9a-f]{16}");
    assertThat(nb.version()).isEqualTo(na.version());
    assertThat(n1.version()).isEqualTo(na.version());
    assertThat(na.rootModules()).isEqualTo(Map.of("street", scenes));
    assertThat(na.modules()).containsExactly(
        new NetworkResponse.Module("bicycle", 1, inferencesWith[2], bicycles, Map.of(1, bicycles)),
        new NetworkResponse.Module("car", 2, inferencesWith[0], cars, Map.of(1, cars)),
        new NetworkResponse.Module("face", 2, inferencesWith[1], persons, Map.of(2, persons)),
        new NetworkResponse.Module("person", 3, inferencesWith[1], persons, Map.of(1, persons)),
        new NetworkResponse.Module("street", 1, scenes, scenes, Map.of(0, scenes)),
        new NetworkResponse.Module("wheel", 1, inferencesWith[0], 4 * cars, Map.of(2, 4 * cars)));
    final List<NetworkResponse.Edge> expected = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      expected.add(new NetworkResponse.Edge("car", "wheel" + w, "wheel", cars));
    }
    expected.add(new NetworkResponse.Edge("person", "0", "face", persons));
    rootEdges.forEach((k, count) -> expected.add(
        new NetworkResponse.Edge("street", k.substring(0, k.indexOf('/')), k.substring(k.indexOf('/') + 1), count)));
    assertThat(na.edges()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void inferencesDecodeWithTheLearnedNetworkTheTrueRootAndNoPhantomNodes() {
    for (final String id : List.of("street-person-face-bicycle", "street-car", "four-cars", "car-person-bicycle")) {
      final InferenceResponse r = ca.inference(id);
      assertThat(r.structureFrom()).isEqualTo("network");
      assertThat(r.structure().module()).as(id + " root").isEqualTo("street");
      final Set<String> found = new HashSet<>();
      collect(r.structure(), found);
      assertThat(truth(SCENES.get(id))).as(id + ": every recovered node is a true one").containsAll(found);
      final Map<String, Integer> depths = new TreeMap<>();
      r.modules().forEach(m -> depths.put(m.module(), m.depth()));
      final int[] n = SCENES.get(id);
      // depth-1 objects weigh alpha = 0.5, far above tau: always found, at depth 1
      if (n[0] > 0) {
        assertThat(depths).containsEntry("car", 1);
      }
      if (n[1] > 0) {
        assertThat(depths).containsEntry("person", 1);
      }
      // depth-2 objects weigh 0.25 each, near tau for one face: when reported, at depth 2 (wheels: 4 per car)
      assertThat(depths.getOrDefault("face", 2)).as(id + " face depth").isEqualTo(2);
      if (n[0] > 0) {
        assertThat(depths).containsEntry("wheel", 2);
      }
    }
  }

  @Test
  void jointDecodingCountsEveryModuleAtEveryDepthWithinItsErrorBarsAndDrawsOnlyTrueNodes() {
    int within = 0;
    int total = 0;
    double squared = 0;
    for (final Map.Entry<String, int[]> e : SCENES.entrySet()) {
      final int[] n = e.getValue();
      final InferenceResponse r = ca.inference(e.getKey());
      assertThat(r.decoded()).as(e.getKey()).isNotNull();
      assertThat(r.decoded().method()).as(e.getKey()).isEqualTo("JOINT");
      assertThat(r.decoded().networkVersion()).as(e.getKey()).isEqualTo(ca.network().version());
      // the truth, written from the scene's parameters: module@depth -> objects (unit weights)
      final Map<String, Integer> truth = Map.of("street@0", 1, "car@1", n[0], "wheel@2", 4 * n[0],
          "person@1", n[1], "face@2", n[1], "bicycle@1", n[2]);
      for (final InferenceResponse.DepthCount c : r.decoded().counts()) {
        final int expected = truth.getOrDefault(c.module() + "@" + c.depth(), 0);
        assertThat(c.countStdError()).as("%s %s@%d standard error", e.getKey(), c.module(), c.depth()).isPositive();
        within += Math.abs(c.count() - expected) <= 2 * c.countStdError() ? 1 : 0;
        squared += (c.count() - expected) * (c.count() - expected);
        total++;
      }
      final Set<String> found = new HashSet<>();
      r.decoded().tree().forEach(t -> collect(t, found));
      assertThat(truth(n)).as(e.getKey() + ": every decoded node is a true one").containsAll(found);
    }
    System.out.printf("NetworkApiTest joint decoding over %d scenes: %d of %d counts within 2 standard errors, "
        + "count RMSE %.4f%n", SCENES.size(), within, total, Math.sqrt(squared / total));
    assertThat((double) within / total).as("fraction of decoded counts within 2 standard errors").isBetween(0.90, 1.0);
    assertThat(Math.sqrt(squared / total)).as("count RMSE").isLessThanOrEqualTo(0.3);
  }

  @Test
  void summedSketchesAloneCountEveryModuleWithinThreePercentAndTheirErrorBars() {
    // every scene plus the older producer's record (2 cars, 2 persons, 1 bicycle): all are in the sums
    final Map<String, Integer> truth = new TreeMap<>(Map.of("street", 1, "car", 2, "wheel", 8, "person", 2,
        "face", 2, "bicycle", 1));
    for (final int[] n : SCENES.values()) {
      truth.merge("street", 1, Integer::sum);
      truth.merge("car", n[0], Integer::sum);
      truth.merge("wheel", 4 * n[0], Integer::sum);
      truth.merge("person", n[1], Integer::sum);
      truth.merge("face", n[1], Integer::sum);
      truth.merge("bicycle", n[2], Integer::sum);
    }
    final Instant from = Instant.ofEpochMilli(T0).minus(Duration.ofDays(1));
    final Instant to = Instant.ofEpochMilli(T0).plus(Duration.ofDays(2));
    for (final Map.Entry<String, Integer> e : truth.entrySet()) {
      final StatsResponse.SumEstimate sums = ca.stats(e.getKey(), from, to).fromSums();
      assertThat(sums.countMethod()).as(e.getKey()).isEqualTo("JOINT");
      final double error = Math.abs(sums.count() - e.getValue());
      assertThat(error).as("%s: %.4f +- %.4f against %d", e.getKey(), sums.count(), sums.countStdError(),
          e.getValue()).isLessThanOrEqualTo(0.03 * e.getValue())
          .isLessThanOrEqualTo(Math.max(2 * sums.countStdError(), 1e-4 * e.getValue()));
    }
  }

  @Test
  void aMonthOfStreetTrafficIsCountedFromItsSummedSketchesAloneWithinThreePercent() {
    // the truth, from the scenes' parameters: every module at depth <= 2 (street 0; car, person, bicycle 1;
    // wheel, face 2), each at one depth
    final Map<String, Integer> truth = new TreeMap<>();
    for (final int[] n : MONTH.values()) {
      truth.merge("street", 1, Integer::sum);
      truth.merge("car", n[0], Integer::sum);
      truth.merge("wheel", 4 * n[0], Integer::sum);
      truth.merge("person", n[1], Integer::sum);
      truth.merge("face", n[1], Integer::sum);
      truth.merge("bicycle", n[2], Integer::sum);
    }
    final Instant to = APRIL.plus(Duration.ofDays(MONTH_DAYS));
    for (final Map.Entry<String, Integer> e : truth.entrySet()) {
      final StatsResponse s = ca.stats(e.getKey(), APRIL, to);
      final StatsResponse.SumEstimate sums = s.fromSums();
      assertThat(s.objects()).as(e.getKey() + " exact objects").isEqualTo(e.getValue().longValue());
      assertThat(s.inferences()).as("inferences in April").isEqualTo(MONTH.size());
      assertThat(sums.sketches()).as(e.getKey() + " sketches summed").isBetween(s.withModule(), s.inferences());
      assertThat(sums.countMethod()).as(e.getKey()).isEqualTo("JOINT");
      final double error = Math.abs(sums.count() - e.getValue());
      System.out.printf("NetworkApiTest month of %d street scenes: %s %.3f +- %.3f from the sums, truth %d (%.4f%%)%n",
          MONTH.size(), e.getKey(), sums.count(), sums.countStdError(), e.getValue(), 100 * error / e.getValue());
      assertThat(error).as("%s: %.4f +- %.4f against %d", e.getKey(), sums.count(), sums.countStdError(),
          e.getValue()).isLessThanOrEqualTo(0.03 * e.getValue())
          .isLessThanOrEqualTo(Math.max(4 * sums.countStdError(), 1e-4 * e.getValue()));
    }
  }

  /** Last: it teaches the running servers a module and an edge the other tests do not expect. */
  @Test
  @Order(Integer.MAX_VALUE)
  void aNewModuleAndEdgeTakeEffectWithoutARestart() throws Exception {
    final String before = ca.network().version();
    // street -> person -> {face on "0", dog on "pet"}: the dog module and the (person, pet, dog) edge are new
    final List<SketchObject> objects = List.of(
        new SketchObject("face", "face", new float[] {0.3f, 0.6f}, List.of()),
        new SketchObject("dog", "dog", new float[] {0.9f, 0.2f}, List.of()),
        new SketchObject("person", "person", new float[] {0.1f, 0.5f, 0.7f},
            List.of(new SketchInput("face", "0", 1f), new SketchInput("dog", "pet", 1f))),
        new SketchObject("street", "street", new float[] {0.4f}, List.of(new SketchInput("person", null, 1f))));
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(), AvroSerdes.specific(InferenceSketch.class, registry, false).serializer())) {
      producer.send(new ProducerRecord<>(TOPIC, "street-person-dog",
          scenes.scene("street-person-dog", Instant.parse("2026-06-01T00:00:00Z").toEpochMilli(),
              ObjectDag.of(objects, "street")))).get();
    }
    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .ignoreException(RskClientException.class)
        .until(() -> ca.network().edges().contains(new NetworkResponse.Edge("person", "pet", "dog", 1))
            && ca.inference("street-person-dog").decoded() != null);
    final NetworkResponse after = ca.network();
    assertThat(after.version()).isNotEqualTo(before).matches("[0-9a-f]{16}");
    assertThat(ca.inference("street-person-dog").decoded().networkVersion()).as("decoded with the new network")
        .isEqualTo(after.version());
    assertThat(after.modules()).extracting(NetworkResponse.Module::module).contains("dog");
    final InferenceResponse r = ca.inference("street-person-dog");
    assertThat(r.decoded().method()).isEqualTo("JOINT");
    final InferenceResponse.DepthCount dog = r.decoded().counts().stream()
        .filter(c -> c.module().equals("dog") && c.depth() == 2).findFirst().orElseThrow();
    assertThat(dog.count()).as("the new module decoded at depth 2").isCloseTo(1.0, within(0.25));
    final Set<String> found = new HashSet<>();
    r.decoded().tree().forEach(t -> collect(t, found));
    assertThat(found).contains("street[0]/person[pet]:dog", "street[0]/person[0]:face", "street[0]:person");
  }

  private static void collect(final InferenceResponse.TreeNode node, final Set<String> out) {
    out.add(String.join("/", node.tagPath()) + ":" + node.module());
    node.children().forEach(c -> collect(c, out));
  }

  @Test
  void overEveryScenePhantomNodesAreRareWithTheNetworkAndCommonWithTheBareCatalogue() {
    final SketchDecoder decoder = new SketchDecoder(SPEC);
    final Map<String, Integer> lengths = new TreeMap<>();
    ca.modules().modules().forEach(m -> lengths.put(m.module(), m.attributeLength()));
    int networkPhantoms = 0;
    int cataloguePhantoms = 0;
    int catalogueWrongRoots = 0;
    for (final Map.Entry<String, int[]> e : SCENES.entrySet()) {
      final InferenceResponse r = ca.inference(e.getKey());
      assertThat(r.structure().module()).as(e.getKey() + " root").isEqualTo("street");
      final Set<String> truth = truth(e.getValue());
      final Set<String> found = new HashSet<>();
      collect(r.structure(), found);
      found.removeAll(truth);
      networkPhantoms += found.size();

      final RecoveredNode bare = decoder.recoverStructure(new Sketch(SPEC, r.vector()), lengths);
      catalogueWrongRoots += bare.module().equals("street") ? 0 : 1;
      final Set<String> bareFound = new HashSet<>();
      collect(bare, bareFound);
      bareFound.removeAll(truth);
      cataloguePhantoms += bareFound.size();
    }
    System.out.printf("NetworkApiTest over %d street scenes at d=%d: phantom nodes %d with the learned network, "
        + "%d with the bare catalogue (wrong roots there: %d)%n", SCENES.size(), SPEC.d(), networkPhantoms,
        cataloguePhantoms, catalogueWrongRoots);
    // about 25 presence tests per scene at about 0.2% false positives each: about 2 phantoms expected in all
    assertThat(networkPhantoms).isLessThanOrEqualTo(8);
  }

  private static void collect(final RecoveredNode node, final Set<String> out) {
    out.add(String.join("/", node.tagPath()) + ":" + node.module());
    node.childrenBySlot().values().forEach(list -> list.forEach(c -> collect(c, out)));
  }

  @Test
  void theRouteIsInTheOpenApiDocumentAndServesJson() throws Exception {
    final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    final String base = SERVERS.get(0).url();
    final var network = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/network"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(network.statusCode()).isEqualTo(200);
    assertThat(network.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    final var json = Json.mapper().readTree(network.body());
    assertThat(json.get("rootModules").get("street").asLong()).isEqualTo(SCENES.size() + MONTH.size());
    assertThat(json.get("modules").get(0).get("depths").get("1").asLong()).isPositive(); // bicycle at depth 1
    final var openApi = Json.mapper().readTree(http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(base + "/openapi.json")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
        .body());
    assertThat(openApi.get("paths").has("/v1/network")).isTrue();
    assertThat(openApi.get("components").get("schemas").get("InferenceResponse").get("properties")
        .has("structureFrom")).isTrue();
    // the docs' example output (docs/api.md) comes from here
    System.out.println("GET /v1/network -> " + network.body());
    System.out.println("GET /v1/inferences/street-person-face-bicycle -> " + http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/inferences/street-person-face-bicycle"))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body());
  }

  /** Recovered nodes as {@code tag/path:module}. */
  private static void collect(final InferenceResponse.Node node, final Set<String> out) {
    out.add(String.join("/", node.tagPath()) + ":" + node.module());
    node.children().values().forEach(list -> list.forEach(c -> collect(c, out)));
  }

  /** The true nodes of a scene as {@code tag/path:module}. */
  private static Set<String> truth(final int[] n) {
    final Set<String> out = new HashSet<>();
    out.add(":street");
    int slot = 0;
    for (int c = 0; c < n[0]; c++, slot++) {
      out.add("street[" + slot + "]:car");
      for (int w = 0; w < 4; w++) {
        out.add("street[" + slot + "]/car[wheel" + w + "]:wheel");
      }
    }
    for (int p = 0; p < n[1]; p++, slot++) {
      out.add("street[" + slot + "]:person");
      out.add("street[" + slot + "]/person[0]:face");
    }
    for (int b = 0; b < n[2]; b++, slot++) {
      out.add("street[" + slot + "]:bicycle");
    }
    return out;
  }
}
