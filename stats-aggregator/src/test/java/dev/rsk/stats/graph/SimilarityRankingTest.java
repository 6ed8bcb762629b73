package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.query.SimilarMatch;
import dev.rsk.stats.serde.RepositoryCodec;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One query's ranking over a real in-memory repository, by the exact scan (what answers while the index is not
 * ready) and by re-ranking given candidates. The vectors are tiny and axis-aligned, so their int8 forms are exact
 * and every cosine is worked by hand: with the query e0, (1,1) gives 1/sqrt(2), (1,1,1) gives 1/sqrt(3).
 */
class SimilarityRankingTest {

  private static final int D = 16;
  private static final SketchSpec A = SketchSpec.of(D, 1L, 0.5, 0.5);
  private static final SketchSpec B = SketchSpec.of(D, 2L, 0.5, 0.5);
  private static final double R2 = 1 / Math.sqrt(2);
  private static final double R3 = 1 / Math.sqrt(3);

  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
  private KeyValueStore<String, byte[]> repository;

  @BeforeEach
  void open() {
    repository = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("repository"), Serdes.String(),
        Serdes.ByteArray()).withLoggingDisabled().build();
    repository.init(context.getStateStoreContext(), repository);
  }

  @AfterEach
  void close() {
    repository.close();
  }

  private static float[] ones(final int n) {
    final float[] v = new float[D];
    for (int i = 0; i < n; i++) {
      v[i] = 1;
    }
    return v;
  }

  private void store(final String id, final SketchSpec spec, final float[] v, final long t, final String source) {
    repository.put(id, encode(id, spec, v, t, source));
  }

  private static byte[] encode(final String id, final SketchSpec spec, final float[] v, final long t,
      final String source) {
    final InferenceSketch s = SimilarityIndexTopologyTest.record(id, spec, v, t, source, Map.of("scene", 1));
    return RepositoryCodec.encode(s, SketchMapper.sketch(s));
  }

  /** a: e0 (1), b: (1,1) (0.707), c: (1,1,1) (0.577), d: e1 (0), e: -e0 (-1); all of A from "cam". */
  private void fiveOfA() {
    store("a", A, ones(1), 10, "cam");
    store("b", A, ones(2), 20, "cam");
    store("c", A, ones(3), 30, "cam");
    final float[] e1 = new float[D];
    e1[1] = 1;
    store("d", A, e1, 40, "cam");
    final float[] minus = new float[D];
    minus[0] = -1;
    store("e", A, minus, 50, "cam");
  }

  private static SimilarityRanking ranking(final int k, final SimilarityFilter f, final String exclude) {
    return new SimilarityRanking(ones(1), A, k, f, exclude);
  }

  private static List<SimilarMatch> best(final SimilarityRanking.Ranked r) {
    return r.matches().stream().sorted(Comparator.comparingDouble(SimilarMatch::cosine).reversed()).toList();
  }

  @Test
  void theScanKeepsTheKBestCosinesAndCountsEveryComparedSketch() {
    fiveOfA();
    store("other-params", B, ones(1), 60, "cam");
    final SimilarityRanking.Ranked r = ranking(2, null, null).scan(repository);
    assertThat(r.approximate()).isFalse();
    assertThat(r.scanned()).as("the five of A; B's sketch is not comparable").isEqualTo(5);
    final List<SimilarMatch> top = best(r);
    assertThat(top).extracting(SimilarMatch::inferenceId).containsExactly("a", "b");
    assertThat(top.get(0).cosine()).isCloseTo(1, within(1e-6));
    assertThat(top.get(1).cosine()).isCloseTo(R2, within(1e-6));
    assertThat(top.get(1).eventTime()).isEqualTo(20);
    assertThat(top.get(1).source()).isEqualTo("cam");
  }

  @Test
  void theScanLeavesOutTheQuerysOwnSketchAndWhatTheFilterRejects() {
    fiveOfA();
    store("f", A, ones(2), 70, "mic"); // as close as b, but another source
    final SimilarityFilter camOnly = new SimilarityFilter(Long.MIN_VALUE, Long.MAX_VALUE, "cam", List.of());
    final SimilarityRanking.Ranked r = ranking(2, camOnly, "a").scan(repository);
    assertThat(r.scanned()).as("b, c, d, e").isEqualTo(4);
    final List<SimilarMatch> top = best(r);
    assertThat(top).extracting(SimilarMatch::inferenceId).containsExactly("b", "c");
    assertThat(top.get(1).cosine()).isCloseTo(R3, within(1e-6));
  }

  @Test
  void anAgedSketchIsComparedOnItsPrefixAndALongerOneNotAtAll() {
    // (1,1,1,...) aged to 2 coordinates is (1,1): cosine 1/sqrt(2) with the query's first two coordinates
    repository.put("aged", RepositoryCodec.age(encode("aged", A, ones(3), 1, "cam"), 2));
    store("c", A, ones(3), 2, "cam");
    final float[] shortQuery = {1, 0, 0, 0};
    final SimilarityRanking.Ranked r = new SimilarityRanking(shortQuery, A, 5, null, null).scan(repository);
    assertThat(r.scanned()).as("the full-length c is longer than the query").isEqualTo(1);
    assertThat(r.matches()).singleElement().satisfies(m -> {
      assertThat(m.inferenceId()).isEqualTo("aged");
      assertThat(m.cosine()).isCloseTo(R2, within(1e-6));
    });
  }

  @Test
  void reRankingCountsTheIndexedPlusComparableBacklogIdsLessTheQuerysOwn() {
    fiveOfA();
    store("q", A, ones(4), 80, "cam"); // the query's own sketch, in the graph
    store("other-params", B, ones(1), 60, "cam");
    final SimilarityIndex.Candidates c = new SimilarityIndex.Candidates(List.of("b", "q", "e"),
        Set.of("a", "gone", "other-params"), 10);
    final SimilarityRanking.Ranked r = ranking(2, null, "q").rerank(repository, c);
    assertThat(r.approximate()).isTrue();
    // 10 indexed + a (comparable, in the backlog) - q (own, in the graph); gone and other-params do not count
    assertThat(r.scanned()).isEqualTo(10);
    assertThat(best(r)).extracting(SimilarMatch::inferenceId).containsExactly("a", "b");
  }

  @Test
  void theQuerysOwnIdInTheBacklogIsNeitherComparedNorSubtracted() {
    fiveOfA();
    store("q", A, ones(4), 80, "cam");
    final SimilarityIndex.Candidates c = new SimilarityIndex.Candidates(List.of("c"), Set.of("q", "b"), 7);
    final SimilarityRanking.Ranked r = ranking(5, null, "q").rerank(repository, c);
    assertThat(r.scanned()).as("7 indexed + b").isEqualTo(8);
    assertThat(best(r)).extracting(SimilarMatch::inferenceId).containsExactly("b", "c");
  }

  @Test
  void aFilteredOutBacklogSketchCountsAsComparedButIsNotReturned() {
    fiveOfA();
    final SimilarityFilter late = new SimilarityFilter(25, Long.MAX_VALUE, null, List.of());
    final SimilarityIndex.Candidates c = new SimilarityIndex.Candidates(List.of("c"), Set.of("a", "d"), 3);
    final SimilarityRanking.Ranked r = ranking(5, late, "absent").rerank(repository, c);
    assertThat(r.scanned()).as("3 indexed + a + d; the absent own id subtracts nothing").isEqualTo(5);
    assertThat(best(r)).extracting(SimilarMatch::inferenceId).containsExactly("c", "d");
  }

  @Test
  void theIndexsCandidatesReRankedGiveTheScansAnswer() {
    fiveOfA();
    final IndexerPool pool = new IndexerPool("ranking-test", false);
    final SimilarityIndex index = new SimilarityIndex("index", IndexSettings.DEFAULTS,
        java.util.concurrent.ConcurrentHashMap.newKeySet(), pool);
    index.init(context.getStateStoreContext(), index);
    try {
      final SimilarityRanking ranking = ranking(2, null, "a");
      assertThat(ranking.candidates(index)).as("not ready before the rebuild: scan").isNull();
      index.start(repository, "0_0");
      for (int i = 0; i < 10 && !index.ready(); i++) {
        pool.turn(); // the pool has no thread: its steps (here, the rebuild) run on this one
      }
      assertThat(index.ready()).isTrue();
      final SimilarityIndex.Candidates c = ranking.candidates(index);
      assertThat(c.indexed()).isEqualTo(5);
      assertThat(c.graph()).contains("b", "c");
      final SimilarityRanking.Ranked r = ranking.rerank(repository, c);
      assertThat(best(r)).extracting(SimilarMatch::inferenceId).containsExactly("b", "c");
      assertThat(r.scanned()).as("5 indexed, the query's own left out").isEqualTo(4);
    } finally {
      index.close();
    }
  }
}
