package dev.rsk.stats.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.graph.GraphStores;
import dev.rsk.stats.graph.SimilarityFilter;
import dev.rsk.stats.graph.SimilarityIndex;
import dev.rsk.stats.testing.DriverStores;
import dev.rsk.stats.testing.Scenes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * IndexedSimilarity over two driver partitions: partition 0 holds base, near (base + noise 0.002) and far0,
 * partition 1 mid (base + noise 0.05) and far1; near and mid are by construction the two closest to base. Exact
 * and stale searches scan the repository (approximate false, no index read); otherwise each partition's index
 * proposes candidates that are re-ranked against the stored vectors (approximate true).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexedSimilarityTest {

  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final SketchSpec SPEC = SketchSpec.of(256, 42L, 0.5, 0.5);

  private TopologyTestDriver p0;
  private TopologyTestDriver p1;
  private DriverStores stores;
  private IndexedSimilarity similarity;
  private float[] base;

  @BeforeAll
  void open(@TempDir final Path dir) {
    p0 = driver(dir.resolve("p0"));
    p1 = driver(dir.resolve("p1"));
    final Scenes scenes = new Scenes(SPEC, 21);
    final InferenceSketch b = scenes.scene("base", T0, 2, 1, 1);
    send(p0, b);
    send(p0, scenes.nearDuplicate(b, "near", 0.002));
    send(p0, scenes.scene("far0", T0 + 1, 0, 1, 0));
    send(p1, scenes.nearDuplicate(b, "mid", 0.05));
    send(p1, scenes.scene("far1", T0 + 2, 0, 0, 2));
    base = new float[SPEC.d()];
    for (int i = 0; i < base.length; i++) {
      base[i] = b.getVector().get(i);
    }
    stores = new DriverStores(Map.of(0, p0, 1, p1));
    similarity = new IndexedSimilarity(
        new LocalStatsQueries(stores, Duration.ofSeconds(5), StatsConfig.DEFAULT_STATS_BUCKET));
  }

  @BeforeEach
  void clear() {
    stores.requests().clear();
  }

  @AfterAll
  void close() {
    p0.close();
    p1.close();
  }

  private static TopologyTestDriver driver(final Path dir) {
    return DriverStores.partition("sim-" + dir.getFileName(), dir);
  }

  private static void send(final TopologyTestDriver d, final InferenceSketch s) {
    DriverStores.send(d, s);
  }

  @Test
  void anExactSearchScansEveryPartitionAndMergesTheirBest() {
    final IndexedSimilarity.Result r =
        similarity.search(base, SPEC, 2, true, SimilarityFilter.NONE, "base", List.of(0, 1), false);
    assertThat(r.matches()).extracting(SimilarMatch::inferenceId).containsExactly("near", "mid");
    assertThat(r.scanned()).isEqualTo(4); // base left out
    assertThat(r.approximate()).isFalse();
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName).containsOnly(StatsStores.REPOSITORY);

    final IndexedSimilarity.Result all =
        similarity.search(base, SPEC, 10, true, SimilarityFilter.NONE, null, List.of(0, 1), false);
    assertThat(all.matches()).extracting(SimilarMatch::inferenceId).startsWith("base", "near", "mid").hasSize(5);
    assertThat(all.scanned()).isEqualTo(5);
    assertThat(similarity.search(base, SPEC, 3, true, SimilarityFilter.NONE, null, List.of(1), false).matches())
        .extracting(SimilarMatch::inferenceId).containsExactly("mid", "far1");
  }

  @Test
  void aStaleSearchScansTheStandbyCopiesEvenWhenNotExact() {
    final IndexedSimilarity.Result r =
        similarity.search(base, SPEC, 1, false, SimilarityFilter.NONE, "base", List.of(0, 1), true);
    assertThat(r.matches()).extracting(SimilarMatch::inferenceId).containsExactly("near");
    assertThat(r.approximate()).isFalse();
    assertThat(stores.requests()).hasSize(2).allSatisfy(p -> {
      assertThat(p.storeName()).isEqualTo(StatsStores.REPOSITORY);
      assertThat(p.staleStoresEnabled()).isTrue();
    });
  }

  @Test
  void aReadyIndexProposesCandidatesThatAreReRanked() throws InterruptedException {
    // the index of a driver is rebuilt from the repository by a background indexer: wait until it is ready
    for (final TopologyTestDriver d : List.of(p0, p1)) {
      final SimilarityIndex index = (SimilarityIndex) d.getStateStore(GraphStores.INDEX);
      final long until = System.nanoTime() + 5_000_000_000L;
      while (!index.ready() && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(index.ready()).isTrue();
    }
    final IndexedSimilarity.Result r =
        similarity.search(base, SPEC, 2, false, SimilarityFilter.NONE, "base", List.of(0, 1), false);
    assertThat(r.approximate()).isTrue();
    assertThat(r.matches()).extracting(SimilarMatch::inferenceId).containsExactly("near", "mid");
    assertThat(stores.requests()).extracting(StoreQueryParameters::storeName).containsExactly(
        GraphStores.INDEX, StatsStores.REPOSITORY, GraphStores.INDEX, StatsStores.REPOSITORY);
    assertThat(stores.requests()).allSatisfy(p -> assertThat(p.staleStoresEnabled()).isFalse());
  }
}
