package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.query.SimilarMatch;
import dev.rsk.stats.serde.StatsSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import dev.rsk.stats.testing.BruteForce;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The similarity index node on TopologyTestDriver (real RocksDB repository, real Lucene, the real background
 * indexer): answers compared with a brute-force cosine over an int8 rounding written here, never with the code
 * under test.
 */
class SimilarityIndexTopologyTest {

  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final SketchSpec A = SketchSpec.of(64, 1L, 0.5, 0.5);
  private static final SketchSpec B = SketchSpec.of(64, 2L, 0.5, 0.5);

  @TempDir java.nio.file.Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceSketch> input;
  private final Random random = new Random(11);

  @BeforeEach
  void setUp() {
    final StatsConfig config = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
        .withRetention(Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(30));
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "graph-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // a short refresh: the default 10 s would make every awaitIndexed() wait 10 s (PIT reruns these per mutant)
    final IndexSettings settings = IndexSettings.DEFAULTS.withRefresh(Duration.ofMillis(100));
    driver = new TopologyTestDriver(StatsTopology.buildTopology(config, new SimpleMeterRegistry(), settings), props);
    input = driver.createInputTopic("sketches", new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer());
  }

  @AfterEach
  void tearDown() {
    if (driver != null) {
      driver.close();
    }
  }

  private SimilarityIndex index() {
    return (SimilarityIndex) driver.getStateStore(GraphStores.INDEX);
  }

  static InferenceSketch record(final String id, final SketchSpec spec, final float[] v, final long t,
      final String source, final Map<String, Integer> modules) {
    final List<Float> vector = new ArrayList<>();
    for (final float f : v) {
      vector.add(f);
    }
    final Map<String, Integer> lengths = new HashMap<>();
    modules.keySet().forEach(m -> lengths.put(m, 0));
    return InferenceSketch.newBuilder().setInferenceId(id).setSource(source).setEventTime(Instant.ofEpochMilli(t))
        .setParams(SketchMapper.params(spec)).setVector(vector).setObjectCount(1).setComplete(true)
        .setMissingInputs(0).setModuleCounts(new HashMap<>(modules)).setAttributeLengths(lengths)
        .setSketchedAt(Instant.ofEpochMilli(t)).build();
  }

  private float[] gaussian(final int d) {
    final float[] v = new float[d];
    for (int i = 0; i < d; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static double cosine(final float[] a, final float[] b) {
    return BruteForce.cosine(a, b);
  }

  /** What a partition answers: the index's candidates re-ranked against the repository (the route's path). */
  private List<SimilarMatch> search(final SketchSpec spec, final float[] q, final int k, final SimilarityFilter f) {
    final SimilarityRanking ranking = new SimilarityRanking(q, spec, k, f, null);
    final SimilarityIndex.Candidates c = ranking.candidates(index());
    assertThat(c).as("index ready").isNotNull();
    final List<SimilarMatch> out = new ArrayList<>(ranking.rerank(repository(), c).matches());
    out.sort(Comparator.comparingDouble(SimilarMatch::cosine).reversed());
    return out;
  }

  private KeyValueStore<String, byte[]> repository() {
    return driver.getKeyValueStore(StatsStores.REPOSITORY);
  }

  private void awaitReady() {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> index().ready());
  }

  private void awaitIndexed() {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> index().ready() && index().backlogSize() == 0);
  }

  /** The repository's int8 rounding, written here: scale max|x|/127, round half up, clamp to +-127. */
  private static float[] int8(final float[] v) {
    float max = 0;
    for (final float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    final float scale = max / 127f;
    final float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.max(-127, Math.min(127, Math.round(v[i] / scale))) * scale;
    }
    return out;
  }

  private static List<String> ids(final List<SimilarMatch> matches) {
    return matches.stream().map(SimilarMatch::inferenceId).toList();
  }

  @Test
  void sketchesOfDifferentParametersAreNeverMixed() {
    awaitReady();
    final float[] v = gaussian(64);
    input.pipeInput("a-1", record("a-1", A, v, T0, "cam", Map.of("scene", 1)));
    input.pipeInput("b-1", record("b-1", B, v, T0, "cam", Map.of("scene", 1)));
    input.pipeInput("b-2", record("b-2", B, gaussian(64), T0, "cam", Map.of("scene", 1)));
    for (final boolean indexed : new boolean[] {false, true}) {
      if (indexed) {
        awaitIndexed();
        assertThat(index().size(SimilarityIndex.specKey(A))).isEqualTo(1);
        assertThat(index().size(SimilarityIndex.specKey(B))).isEqualTo(2);
      }
      final List<SimilarMatch> inA = search(A, v, 10, SimilarityFilter.NONE);
      assertThat(ids(inA)).containsExactly("a-1");
      assertThat(ids(search(B, v, 10, SimilarityFilter.NONE))).containsExactlyInAnyOrder("b-1", "b-2");
      assertThat(inA.get(0).cosine()).isCloseTo(cosine(v, int8(v)), within(1e-6));
    }
  }

  @Test
  void updatesAndTombstonesAreFollowed() {
    awaitReady();
    final float[] v = gaussian(64);
    input.pipeInput("x", record("x", A, v, T0, "cam", Map.of("scene", 1)));
    input.pipeInput("y", record("y", A, gaussian(64), T0, "cam", Map.of("scene", 1)));
    final float[] w = gaussian(64);
    input.pipeInput("x", record("x", A, w, T0 + 1, "cam", Map.of("scene", 1)));
    assertThat(search(A, w, 1, SimilarityFilter.NONE).get(0).cosine()).isCloseTo(cosine(w, int8(w)), within(1e-6));
    awaitIndexed();
    assertThat(index().size(SimilarityIndex.specKey(A))).isEqualTo(2);
    assertThat(search(A, w, 1, SimilarityFilter.NONE).get(0).inferenceId()).isEqualTo("x");
    input.pipeInput("x", (InferenceSketch) null);
    assertThat(ids(search(A, w, 5, SimilarityFilter.NONE))).containsExactly("y");
    awaitIndexed();
    assertThat(index().size(SimilarityIndex.specKey(A))).isEqualTo(1);
    assertThat(ids(search(A, w, 5, SimilarityFilter.NONE))).containsExactly("y");
  }

  @Test
  void theGraphShowsAFewSketchesWithinTheConfiguredRefreshNotTheDefaultTenSeconds() {
    awaitReady();
    input.pipeInput("r-1", record("r-1", A, gaussian(64), T0, "cam", Map.of("scene", 1)));
    // under 1,000 sketches only the interval refreshes: 100 ms here, so well within 5 s even on a busy machine
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> index().ready() && index().backlogSize() == 0);
    assertThat(index().size(SimilarityIndex.specKey(A))).isEqualTo(1);
  }

  @Test
  void aSketchIsFoundAsSoonAsItIsWrittenWhileTheIndexerRunsBehind() {
    awaitReady();
    for (int i = 0; i < 300; i++) {
      final float[] v = gaussian(64);
      final String id = "s-" + i;
      input.pipeInput(id, record(id, A, v, T0 + i, "cam", Map.of("scene", 1)));
      // no waiting: from the backlog if the indexer has not reached it, from the graph otherwise
      assertThat(search(A, v, 1, SimilarityFilter.NONE)).extracting(SimilarMatch::inferenceId).containsExactly(id);
    }
  }

  @Test
  void noIndexerThreadOutlivesItsTask() {
    awaitReady();
    input.pipeInput("a-1", record("a-1", A, gaussian(64), T0, "cam", Map.of("scene", 1)));
    assertThat(indexerThreads()).hasSize(1);
    driver.close();
    driver = null;
    assertThat(indexerThreads()).isEmpty();
  }

  private static List<String> indexerThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("rsk-similarity-indexer-")).toList();
  }

  @Test
  void recallAtTenOfPrefixCandidatesReRankedAndFiltersAreExact() {
    awaitReady();
    final SketchSpec wide = SketchSpec.of(512, 3L, 0.5, 0.5); // wider than the 256-coordinate prefix
    final int n = 1500;
    final Map<String, float[]> vectors = new HashMap<>();
    final Map<String, InferenceSketch> records = new HashMap<>();
    final float[][] centres = new float[30][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = gaussian(512);
    }
    for (int i = 0; i < n; i++) {
      final float[] v = gaussian(512);
      final float[] centre = centres[i % centres.length];
      for (int j = 0; j < v.length; j++) {
        v[j] = centre[j] + 0.5f * v[j];
      }
      final String id = "i-" + i;
      final Map<String, Integer> modules = i % 3 == 0 ? Map.of("scene", 1, "cat", 1) : Map.of("scene", 1);
      final InferenceSketch r = record(id, wide, v, T0 + i * 60_000L, i % 2 == 0 ? "cam-even" : "cam-odd", modules);
      vectors.put(id, int8(v));
      records.put(id, r);
      input.pipeInput(id, r);
    }
    awaitIndexed();
    final SimilarityFilter filter = new SimilarityFilter(T0 + 600 * 60_000L, T0 + 2400 * 60_000L, "cam-even",
        List.of("cat"));
    int hits = 0;
    int total = 0;
    for (int q = 0; q < 50; q++) {
      // a query like the stored sketches: near one of the centres (a random direction has no true neighbours)
      final float[] query = gaussian(512);
      final float[] centre = centres[q % centres.length];
      for (int j = 0; j < query.length; j++) {
        query[j] = centre[j] + 0.5f * query[j];
      }
      final Set<String> truth = bruteForce(vectors, query, 10, id -> true);
      final List<SimilarMatch> got = search(wide, query, 10, SimilarityFilter.NONE);
      for (final SimilarMatch m : got) {
        hits += truth.contains(m.inferenceId()) ? 1 : 0;
        assertThat(m.cosine()).isCloseTo(cosine(query, vectors.get(m.inferenceId())), within(1e-6));
      }
      total += truth.size();
      final Set<String> filteredTruth = bruteForce(vectors, query, 10, id -> {
        final InferenceSketch r = records.get(id);
        final long t = r.getEventTime().toEpochMilli();
        return t >= filter.fromMs() && t < filter.toMs() && r.getSource().equals("cam-even")
            && r.getModuleCounts().containsKey("cat");
      });
      assertThat(ids(search(wide, query, 10, filter))).containsExactlyInAnyOrderElementsOf(filteredTruth);
    }
    assertThat((double) hits / total).as("recall@10").isGreaterThanOrEqualTo(0.95);
  }

  private static Set<String> bruteForce(final Map<String, float[]> vectors, final float[] q, final int k,
      final java.util.function.Predicate<String> keep) {
    final List<Map.Entry<String, float[]>> all = new ArrayList<>(vectors.entrySet());
    all.removeIf(e -> !keep.test(e.getKey()));
    all.sort(Comparator.comparingDouble((Map.Entry<String, float[]> e) -> -cosine(q, e.getValue())));
    final Set<String> out = new HashSet<>();
    for (int i = 0; i < Math.min(k, all.size()); i++) {
      out.add(all.get(i).getKey());
    }
    return out;
  }
}
