package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.serde.RepositoryCodec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.StateStoreProvider;
import org.junit.jupiter.api.Test;

/**
 * The similarity index's knobs and small rules, each bound at its edge and one past it: a knob accepted one step
 * too far (or refused at its edge) would either build an index Lucene rejects or refuse a documented setting.
 */
class GraphKnobsTest {

  private static final SketchSpec SPEC = SketchSpec.of(32, 1L, 0.5, 0.5);

  @Test
  void hnswParametersAreAcceptedAtTheirSmallestAndRefusedOneBelow() {
    final HnswParams least = new HnswParams(2, 2, 1, Double.MIN_VALUE);
    assertThat(least.maxConn()).isEqualTo(2);
    assertThat(least.beamWidth()).isEqualTo(2);
    assertThat(least.numCandidates()).isEqualTo(1);
    assertThatThrownBy(() -> new HnswParams(1, 2, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HnswParams(2, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HnswParams(2, 2, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HnswParams(2, 2, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HnswParams(2, 2, 1, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thePrefixLengthIsAcceptedFromOneToTheDimensionLimitAndTheBacklogFromOne() {
    final HnswParams h = IndexSettings.DEFAULT_HNSW;
    final Duration r = Duration.ofMillis(1);
    assertThat(new IndexSettings(true, 1, 1, h, r).prefixLength()).isEqualTo(1);
    assertThat(new IndexSettings(true, HnswParams.MAX_DIMENSIONS, 1, h, r).prefixLength())
        .isEqualTo(16_384);
    assertThatThrownBy(() -> new IndexSettings(true, 0, 1, h, r)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IndexSettings(true, 16_385, 1, h, r))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new IndexSettings(true, 1, 1, h, r).backlogBound()).isEqualTo(1);
    assertThatThrownBy(() -> new IndexSettings(true, 1, 0, h, r)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withRefreshChangesOnlyTheInterval() {
    final IndexSettings s = new IndexSettings(true, 7, 9, IndexSettings.DEFAULT_HNSW, Duration.ofSeconds(10));
    assertThat(s.withRefresh(Duration.ofMillis(100)))
        .isEqualTo(new IndexSettings(true, 7, 9, IndexSettings.DEFAULT_HNSW, Duration.ofMillis(100)));
  }

  @Test
  void aFilterKeepsTheTimeRangeFromInclusiveToExclusive() {
    final SimilarityFilter f = new SimilarityFilter(1_000, 2_000, null, List.of());
    assertThat(f.accepts(header(999, "cam", List.of()))).isFalse();
    assertThat(f.accepts(header(1_000, "cam", List.of()))).isTrue();
    assertThat(f.accepts(header(1_999, "cam", List.of()))).isTrue();
    assertThat(f.accepts(header(2_000, "cam", List.of()))).isFalse();
    assertThat(f.isNone()).isFalse();
    assertThat(SimilarityFilter.NONE.isNone()).isTrue();
    assertThat(SimilarityFilter.NONE.accepts(header(Long.MIN_VALUE, "x", List.of()))).isTrue();
  }

  @Test
  void aFilterKeepsItsSourceAndSketchesWithEveryModuleItNames() {
    final SimilarityFilter f = new SimilarityFilter(Long.MIN_VALUE, Long.MAX_VALUE, "cam",
        List.of("scene", "face"));
    assertThat(f.accepts(header(5, "cam", List.of("face", "scene", "text")))).isTrue();
    assertThat(f.accepts(header(5, "cam", List.of("scene")))).as("a module missing").isFalse();
    assertThat(f.accepts(header(5, "mic", List.of("face", "scene")))).as("another source").isFalse();
    assertThat(new SimilarityFilter(Long.MIN_VALUE, Long.MAX_VALUE, null, null).modules()).isEmpty();
  }

  private static RepositoryCodec.Header header(final long t, final String source, final List<String> modules) {
    return new RepositoryCodec.Header(SPEC, t, source, modules, 0);
  }

  @Test
  void theStoreTypeAcceptsOnlyTheIndexAndWantsExactlyOneForAPartition() {
    final SimilarityIndexType type = new SimilarityIndexType();
    final Set<SimilarityIndex> live = ConcurrentHashMap.newKeySet();
    final IndexerPool pool = new IndexerPool("knobs-test", false);
    final SimilarityIndex one = new SimilarityIndex("similarity-index", IndexSettings.DISABLED, live, pool);
    final SimilarityIndex two = new SimilarityIndex("similarity-index", IndexSettings.DISABLED, live, pool);
    assertThat(type.accepts(one)).isTrue();
    assertThat(type.accepts(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("other"),
        org.apache.kafka.common.serialization.Serdes.String(), org.apache.kafka.common.serialization.Serdes.String())
        .build())).isFalse();
    assertThat(type.create(provider(List.of(one)), "similarity-index")).isSameAs(one);
    assertThatThrownBy(() -> type.create(provider(List.of()), "similarity-index"))
        .isInstanceOf(InvalidStateStoreException.class).hasMessageContaining("found 0");
    assertThatThrownBy(() -> type.create(provider(List.of(one, two)), "similarity-index"))
        .isInstanceOf(InvalidStateStoreException.class).hasMessageContaining("found 2");
  }

  private static StateStoreProvider provider(final List<SimilarityIndex> stores) {
    return new StateStoreProvider() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> List<T> stores(final String storeName, final QueryableStoreType<T> type) {
        return (List<T>) stores;
      }
    };
  }
}
