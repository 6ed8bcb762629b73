package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsTopology;
import dev.rsk.stats.query.SimilarMatch;
import dev.rsk.stats.serde.StatsSerdes;
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
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The similarity index node on TopologyTestDriver (real RocksDB entries store, real Lucene): answers
 * compared with a brute-force cosine written here, never with the code under test.
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
    driver = new TopologyTestDriver(StatsTopology.buildTopology(config), props);
    input = driver.createInputTopic("sketches", new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
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
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  @Test
  void sketchesOfDifferentParametersAreNeverMixed() {
    final float[] v = gaussian(64);
    input.pipeInput("a-1", record("a-1", A, v, T0, "cam", Map.of("scene", 1)));
    input.pipeInput("b-1", record("b-1", B, v, T0, "cam", Map.of("scene", 1)));
    input.pipeInput("b-2", record("b-2", B, gaussian(64), T0, "cam", Map.of("scene", 1)));
    final List<SimilarMatch> inA = index().search(IndexEntry.specKey(A, 64), v, 10, SimilarityFilter.NONE, null);
    final List<SimilarMatch> inB = index().search(IndexEntry.specKey(B, 64), v, 10, SimilarityFilter.NONE, null);
    assertThat(inA).extracting(SimilarMatch::inferenceId).containsExactly("a-1");
    assertThat(inB).extracting(SimilarMatch::inferenceId).containsExactlyInAnyOrder("b-1", "b-2");
    assertThat(inA.get(0).cosine()).isCloseTo(1.0, within(1e-6));
    // a truncated vector (another length) is another index too
    assertThat(index().size(IndexEntry.specKey(A, 32))).isZero();
  }

  @Test
  void updatesAndTombstonesAreFollowed() {
    final float[] v = gaussian(64);
    input.pipeInput("x", record("x", A, v, T0, "cam", Map.of("scene", 1)));
    input.pipeInput("y", record("y", A, gaussian(64), T0, "cam", Map.of("scene", 1)));
    final float[] w = gaussian(64);
    input.pipeInput("x", record("x", A, w, T0 + 1, "cam", Map.of("scene", 1)));
    final String key = IndexEntry.specKey(A, 64);
    assertThat(index().size(key)).isEqualTo(2);
    assertThat(index().search(key, w, 1, SimilarityFilter.NONE, null).get(0).cosine()).isCloseTo(1.0, within(1e-6));
    input.pipeInput("x", (InferenceSketch) null);
    assertThat(index().size(key)).isEqualTo(1);
    assertThat(index().search(key, w, 5, SimilarityFilter.NONE, null)).extracting(SimilarMatch::inferenceId)
        .containsExactly("y");
  }

  @Test
  void recallAtTenAgainstBruteForceAndFiltersHold() {
    final int n = 1500;
    final Map<String, float[]> vectors = new HashMap<>();
    final Map<String, InferenceSketch> records = new HashMap<>();
    final float[][] centres = new float[30][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = gaussian(64);
    }
    for (int i = 0; i < n; i++) {
      final float[] v = gaussian(64);
      final float[] centre = centres[i % centres.length];
      for (int j = 0; j < v.length; j++) {
        v[j] = centre[j] + 0.5f * v[j];
      }
      final String id = "i-" + i;
      final Map<String, Integer> modules = i % 3 == 0 ? Map.of("scene", 1, "cat", 1) : Map.of("scene", 1);
      final InferenceSketch r = record(id, A, v, T0 + i * 60_000L, i % 2 == 0 ? "cam-even" : "cam-odd", modules);
      vectors.put(id, v);
      records.put(id, r);
      input.pipeInput(id, r);
    }
    final String key = IndexEntry.specKey(A, 64);
    final SimilarityFilter filter = new SimilarityFilter(T0 + 600 * 60_000L, T0 + 2400 * 60_000L, "cam-even",
        List.of("cat"));
    int hits = 0;
    int total = 0;
    for (int q = 0; q < 50; q++) {
      final float[] query = gaussian(64);
      final Set<String> truth = bruteForce(vectors, query, 10, id -> true);
      final List<SimilarMatch> got = index().search(key, query, 10, SimilarityFilter.NONE, null);
      for (final SimilarMatch m : got) {
        hits += truth.contains(m.inferenceId()) ? 1 : 0;
        assertThat(m.cosine()).isCloseTo(cosine(query, vectors.get(m.inferenceId())), within(1e-5));
      }
      total += truth.size();
      final List<SimilarMatch> filtered = index().search(key, query, 10, filter, null);
      final Set<String> filteredTruth = bruteForce(vectors, query, 10, id -> {
        final InferenceSketch r = records.get(id);
        final long t = r.getEventTime().toEpochMilli();
        return t >= filter.fromMs() && t < filter.toMs() && r.getSource().equals("cam-even")
            && r.getModuleCounts().containsKey("cat");
      });
      assertThat(filtered).extracting(SimilarMatch::inferenceId).containsExactlyInAnyOrderElementsOf(filteredTruth);
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
