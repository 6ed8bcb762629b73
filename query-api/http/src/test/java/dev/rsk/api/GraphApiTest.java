package dev.rsk.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.api.client.RskClient;
import dev.rsk.api.client.RskClientException;
import dev.rsk.api.model.ModuleInfo;
import dev.rsk.api.model.RelatedResponse;
import dev.rsk.api.model.SimilarRequest;
import dev.rsk.api.model.SimilarResponse;
import dev.rsk.api.server.ServerConfig;
import dev.rsk.api.server.StatsServer;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.testing.BruteForce;
import dev.rsk.stats.testing.Scenes;
import dev.rsk.testing.KafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The knowledge-graph routes on the in-process broker: approximate answers equal to a brute-force
 * cosine computed here (the data set is small enough for HNSW to be exact), filters, related edges,
 * and the index answering the same after its instance is closed and reopened on the same state
 * directory and after a second instance joins (a rebalance: partitions move, their indexes are rebuilt).
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class GraphApiTest {

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  static final String TOPIC = "sketches";
  static final SketchSpec SPEC = SketchSpec.of(1024, 5L, 0.5, 0.5);
  static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
  static final List<InferenceSketch> SENT = new ArrayList<>();
  static final InMemorySchemaRegistryClient REGISTRY = new InMemorySchemaRegistryClient();
  static Path stateA;
  static StatsServer a;
  static RskClient ca;

  @BeforeAll
  static void start() throws Exception {
    KAFKA.createTopic(TOPIC, 4);
    final Scenes scenes = new Scenes(SPEC, 3);
    for (int i = 0; i < 100; i++) {
      final InferenceSketch s = scenes.scene("inf-" + i, T0.plus(Duration.ofMinutes(47L * i)).toEpochMilli(),
          i % 3, i % 2, i % 4);
      SENT.add(i % 5 == 0 ? InferenceSketch.newBuilder(s).setSource("garden").build() : s);
    }
    // the same distinctive cat on two days, in otherwise different scenes
    SENT.add(withOddCat("odd-cat-monday", T0.plus(Duration.ofDays(1)), 3, 0));
    SENT.add(withOddCat("odd-cat-thursday", T0.plus(Duration.ofDays(4)), 0, 2));
    send(SENT);
    stateA = Files.createTempDirectory(KAFKA.tempDir(), "state-a");
    a = server("a", stateA);
    ca = new RskClient(a.url(), Duration.ofSeconds(20));
    awaitAll(ca, 1);
  }

  static InferenceSketch withOddCat(final String id, final Instant t, final int persons, final int dogs) {
    final List<SketchObject> objects = new ArrayList<>();
    final List<SketchInput> root = new ArrayList<>();
    objects.add(SketchObject.leaf("eye0", "eye", 1f, -1f));
    objects.add(SketchObject.leaf("eye1", "eye", -1f, 1f));
    objects.add(new SketchObject("cat", "cat", new float[] {-1.5f, 1.5f, -1f, 1f},
        List.of(SketchInput.of("eye0", "0"), SketchInput.of("eye1", "1"))));
    root.add(SketchInput.of("cat", "0"));
    for (int p = 0; p < persons; p++) {
      objects.add(SketchObject.leaf("person" + p, "person", 0.5f, 0.4f, 0.6f));
      root.add(SketchInput.of("person" + p, String.valueOf(root.size())));
    }
    for (int d = 0; d < dogs; d++) {
      objects.add(SketchObject.leaf("dog" + d, "dog", -1f, -1f, -1f, -1f));
      root.add(SketchInput.of("dog" + d, String.valueOf(root.size())));
    }
    objects.add(new SketchObject("root", "scene", new float[] {0f, 0f}, root));
    final ObjectDag dag = ObjectDag.of(objects, "root");
    return Scenes.record(id, t.toEpochMilli(), new RecursiveSketcher(SPEC).sketch(dag), dag);
  }

  static void send(final List<InferenceSketch> records) {
    try (KafkaProducer<String, InferenceSketch> producer = new KafkaProducer<>(KAFKA.producerProps(),
        new StringSerializer(), AvroSerdes.specific(InferenceSketch.class, REGISTRY, false).serializer())) {
      records.forEach(s -> producer.send(new ProducerRecord<>(TOPIC, s.getInferenceId(), s)));
      producer.flush();
    }
  }

  static StatsServer server(final String name, final Path state) {
    final Properties p = OneServer.props(KAFKA, "graph-test", state, 200);
    p.put("kafka.num.stream.threads", "1");
    return StatsServer.start(new ServerConfig(p), AvroSerdes.specific(InferenceSketch.class, REGISTRY, false));
  }

  static void awaitAll(final RskClient c, final int instances) {
    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .ignoreException(RskClientException.class).until(() -> {
          final var m = c.modules();
          final long n = m.modules().stream().filter(e -> e.module().equals("scene"))
              .mapToLong(ModuleInfo::inferences).sum();
          return m.instances().size() == instances && n == SENT.size()
              && c.similarTo("inf-1", 3).approximate();
        });
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
  }

  static float[] vector(final InferenceSketch s) {
    final float[] v = new float[s.getVector().size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = s.getVector().get(i);
    }
    return v;
  }

  /** Brute force over SENT: the k nearest ids to {@code of}, itself excluded, passing {@code keep}. */
  static List<String> truth(final InferenceSketch of, final int k,
      final java.util.function.Predicate<InferenceSketch> keep) {
    final float[] q = vector(of);
    return SENT.stream().filter(s -> !s.getInferenceId().equals(of.getInferenceId())).filter(keep)
        .sorted(Comparator.comparingDouble((InferenceSketch s) -> -BruteForce.cosine(q, vector(s))))
        .limit(k).map(InferenceSketch::getInferenceId).toList();
  }

  static List<String> ids(final SimilarResponse r) {
    return r.results().stream().map(SimilarResponse.Match::inferenceId).toList();
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void approximateAndExactAgreeWithBruteForce() {
    for (final int i : new int[] {3, 17, 42, 88}) {
      final InferenceSketch q = SENT.get(i);
      final SimilarResponse approx = ca.similarTo(q.getInferenceId(), 5);
      final SimilarResponse exact = ca.similar(new SimilarRequest(q.getInferenceId(), null, null, 5, true,
          null, null, null, null));
      assertThat(approx.approximate()).isTrue();
      assertThat(exact.approximate()).isFalse();
      assertThat(ids(approx)).containsExactlyElementsOf(truth(q, 5, s -> true));
      assertThat(ids(exact)).containsExactlyElementsOf(truth(q, 5, s -> true));
      assertThat(exact.scanned()).isEqualTo(SENT.size() - 1);
      for (final SimilarResponse.Match m : approx.results()) {
        final InferenceSketch s = SENT.stream().filter(x -> x.getInferenceId().equals(m.inferenceId())).findFirst()
            .orElseThrow();
        // the query's own vector comes from the int8 repository (rounding moves cosines by a few 1e-5)
        assertThat(m.cosine()).isCloseTo(BruteForce.cosine(vector(q), vector(s)), within(2e-4));
      }
    }
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void filtersRestrictBothPathsToTheSameTruth() {
    final InferenceSketch q = SENT.get(10);
    final Instant from = T0.plus(Duration.ofHours(10));
    final Instant to = T0.plus(Duration.ofHours(60));
    final java.util.function.Predicate<InferenceSketch> keep = s -> s.getSource().equals("garden")
        && s.getModuleCounts().getOrDefault("cat", 0) > 0 && !s.getEventTime().isBefore(from)
        && s.getEventTime().isBefore(to);
    for (final boolean exact : new boolean[] {false, true}) {
      final SimilarResponse r = ca.similar(new SimilarRequest(q.getInferenceId(), null, null, 10, exact,
          from.toString(), to.toString(), "garden", List.of("cat")));
      assertThat(ids(r)).as("exact=" + exact).containsExactlyElementsOf(truth(q, 10, keep));
    }
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void relatedFindsTheSameCatOnAnotherDay() {
    final RelatedResponse r = ca.related("odd-cat-monday", 5);
    assertThat(r.edges()).extracting(RelatedResponse.Edge::inferenceId).doesNotContain("odd-cat-monday");
    final List<RelatedResponse.Edge> similar = r.edges().stream().filter(e -> e.reason().equals("similar")).toList();
    final List<RelatedResponse.Edge> parts = r.edges().stream()
        .filter(e -> e.reason().equals("shares-part") && "scene[0]".equals(e.path())).toList();
    assertThat(similar).extracting(RelatedResponse.Edge::inferenceId)
        .containsExactlyElementsOf(truth(SENT.get(100), 5, s -> true));
    assertThat(r.parts()).anySatisfy(p -> {
      assertThat(p.path()).isEqualTo("scene[0]");
      assertThat(p.modules()).contains("cat");
    });
    assertThat(parts).isNotEmpty();
    assertThat(parts.get(0).inferenceId()).as(r.toString()).isEqualTo("odd-cat-thursday");
    assertThat(parts.get(0).path()).isEqualTo("scene[0]");
    assertThat(similar).allMatch(e -> e.path() == null);
    // A k out of range is named as it was given.
    assertThatThrownBy(() -> ca.related("odd-cat-monday", -1)).hasMessageContaining("k must be in [1, 1000]: -1");
    // So is a module filter naming a module never seen, searching from a stored inference too.
    assertThatThrownBy(() -> ca.similar(new SimilarRequest("odd-cat-monday", null, null, 3, null, null, null, null,
        List.of("cat", "unicorn")))).hasMessageContaining("unknown module 'unicorn' in modules (never seen");
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  void theIndexAnswersTheSameAfterRestartAndRebalance() {
    final List<SimilarResponse> before = new ArrayList<>();
    for (final int i : new int[] {5, 50, 95}) {
      before.add(ca.similarTo(SENT.get(i).getInferenceId(), 10));
    }
    a.close();
    a = server("a", stateA); // same state directory: the entries store is reused, the index rebuilt
    ca = new RskClient(a.url(), Duration.ofSeconds(20));
    awaitAll(ca, 1);
    assertSame(before, ca);
    // a second instance joins: half the partitions move there and their indexes are rebuilt there
    try (StatsServer b = server("b", stateA.resolveSibling("state-b-" + System.nanoTime()))) {
      final RskClient cb = new RskClient(b.url(), Duration.ofSeconds(20));
      awaitAll(cb, 2);
      assertSame(before, cb);
      // and a sketch arriving now is searchable at once
      final InferenceSketch late = InferenceSketch.newBuilder(SENT.get(5)).setInferenceId("late-copy-of-5").build();
      SENT.add(late);
      send(List.of(late));
      awaitAll(cb, 2);
      assertThat(cb.similarTo("inf-5", 1).results().get(0).inferenceId()).isEqualTo("late-copy-of-5");
      SENT.remove(late);
    }
  }

  private static void assertSame(final List<SimilarResponse> before, final RskClient c) {
    int j = 0;
    for (final int i : new int[] {5, 50, 95}) {
      final SimilarResponse after = c.similarTo(SENT.get(i).getInferenceId(), 10);
      assertThat(after.approximate()).isTrue();
      assertThat(ids(after)).containsExactlyElementsOf(ids(before.get(j)));
      for (int m = 0; m < after.results().size(); m++) {
        assertThat(after.results().get(m).cosine()).isCloseTo(before.get(j).results().get(m).cosine(), within(1e-9));
      }
      j++;
    }
  }
}
