package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.serde.RepositoryCodec;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.lucene.store.AlreadyClosedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The indexer stepped by hand (a pool without a thread), over a real in-memory repository store and real Lucene
 * graphs: what each step reads, when the graph shows it, what leaves. Fast and deterministic, unlike the topology
 * test, which waits on the background thread. The step sizes asserted are the documented bounds: 1,000 repository
 * records per rebuild step, 1,000 ids per indexing step, a refresh after 1,000 indexed ids or the interval.
 */
class IndexerTest {

  private static final long T0 = 1_770_000_000_000L;
  private static final SketchSpec A = SketchSpec.of(32, 1L, 0.5, 0.5);
  private static final SketchSpec B = SketchSpec.of(32, 2L, 0.5, 0.5);
  /** Longer than any test: only the 1,000-id count refreshes. */
  private static final Duration NEVER = Duration.ofHours(1);

  private final Random random = new Random(5);
  private final IndexerPool pool = new IndexerPool("test-indexer", false);
  private final Set<SimilarityIndex> live = ConcurrentHashMap.newKeySet();
  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
  private KeyValueStore<String, byte[]> repository;
  private SimilarityIndex index;

  @BeforeEach
  void openRepository() {
    repository = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("repository"), Serdes.String(),
        Serdes.ByteArray()).withLoggingDisabled().build();
    repository.init(context.getStateStoreContext(), repository);
  }

  @AfterEach
  void close() {
    if (index != null) {
      index.close();
    }
    repository.close();
  }

  private void open(final IndexSettings settings) {
    index = new SimilarityIndex("index", settings, live, pool);
    index.init(context.getStateStoreContext(), index);
    index.start(repository, "0_0");
  }

  private static IndexSettings settings(final int backlogBound, final Duration refresh) {
    return new IndexSettings(true, IndexSettings.DEFAULT_PREFIX, backlogBound, IndexSettings.DEFAULT_HNSW, refresh);
  }

  private void store(final String id, final SketchSpec spec, final long t) {
    final float[] v = new float[spec.d()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    final InferenceSketch s = SimilarityIndexTopologyTest.record(id, spec, v, t, "cam",
        Map.of("scene", 1));
    repository.put(id, RepositoryCodec.encode(s, SketchMapper.sketch(s)));
  }

  private void write(final String id, final SketchSpec spec, final long t) {
    store(id, spec, t);
    index.enqueue(id);
  }

  /** Turns until no indexer has work (bounded: a step that always works would be a bug). */
  private void drain() {
    for (int i = 0; i < 1_000; i++) {
      if (!pool.turn()) {
        return;
      }
    }
    throw new AssertionError("the indexer still had work after 1,000 steps");
  }

  private int size(final SketchSpec spec) {
    return index.size(SimilarityIndex.specKey(spec));
  }

  @Test
  void aRebuildReadsTheRepositoryAThousandRecordsPerStepAndIsReadyOnlyAtTheEnd() {
    for (int i = 0; i < 2_500; i++) {
      store(String.format("r-%05d", i), A, T0 + i);
    }
    open(settings(IndexSettings.DEFAULT_BACKLOG, NEVER));
    assertThat(index.ready()).isFalse();
    assertThat(pool.turn()).isTrue(); // records 1-1,000
    assertThat(index.ready()).isFalse();
    assertThat(pool.turn()).isTrue(); // 1,001-2,000
    assertThat(index.ready()).as("ready before the last chunk").isFalse();
    assertThat(pool.turn()).isTrue(); // 2,001-2,500, then the swap
    assertThat(index.ready()).isTrue();
    assertThat(size(A)).isEqualTo(2_500);
    assertThat(index.indexedCount()).isEqualTo(2_500);
    assertThat(index.backlogSize()).isZero();
    assertThat(pool.turn()).as("nothing left to do").isFalse();
  }

  @Test
  void aRebuildOfExactlyOneChunkTakesASecondStepThatFindsNothingMore() {
    for (int i = 0; i < 1_000; i++) {
      store(String.format("r-%05d", i), A, T0 + i);
    }
    open(settings(IndexSettings.DEFAULT_BACKLOG, NEVER));
    pool.turn();
    assertThat(index.ready()).as("a full chunk may not be the last").isFalse();
    pool.turn();
    assertThat(index.ready()).isTrue();
    assertThat(size(A)).isEqualTo(1_000);
  }

  @Test
  void idsStayInTheBacklogUntilTheThousandthIndexedIdRefreshesTheGraph() {
    open(settings(IndexSettings.DEFAULT_BACKLOG, NEVER));
    drain();
    assertThat(index.ready()).isTrue();
    for (int i = 0; i < 999; i++) {
      write("w-" + i, A, T0 + i);
    }
    assertThat(pool.turn()).isTrue();
    assertThat(size(A)).as("indexed but not refreshed: the graph does not show them").isZero();
    assertThat(index.backlogSize()).isEqualTo(999);
    final SimilarityIndex.Candidates c = index.candidates(SimilarityIndex.specKey(A), new float[] {1, 2, 3}, 5,
        SimilarityFilter.NONE);
    assertThat(c.graph()).isEmpty();
    assertThat(c.backlog()).hasSize(999).contains("w-0", "w-998");
    assertThat(pool.turn()).as("the 999 are not indexed again").isFalse();
    write("w-999", A, T0 + 999);
    assertThat(pool.turn()).isTrue();
    assertThat(size(A)).isEqualTo(1_000);
    assertThat(index.backlogSize()).isZero();
  }

  @Test
  void aStepIndexesAtMostAThousandIds() {
    open(settings(IndexSettings.DEFAULT_BACKLOG, NEVER));
    drain();
    for (int i = 0; i < 1_500; i++) {
      write("w-" + i, A, T0 + i);
    }
    assertThat(pool.turn()).isTrue();
    assertThat(size(A)).isEqualTo(1_000);
    assertThat(index.backlogSize()).isEqualTo(500);
    assertThat(pool.turn()).isTrue();
    assertThat(size(A)).as("500 more, not refreshed yet").isEqualTo(1_000);
    assertThat(pool.turn()).isFalse();
  }

  @Test
  void theIntervalRefreshesFewerThanAThousand() throws InterruptedException {
    open(settings(IndexSettings.DEFAULT_BACKLOG, Duration.ofMillis(1)));
    drain();
    write("w-1", A, T0);
    Thread.sleep(5); // past the 1 ms interval since the rebuild's end
    assertThat(pool.turn()).isTrue();
    assertThat(size(A)).isEqualTo(1);
    assertThat(index.backlogSize()).isZero();
  }

  @Test
  void anIdEnqueuedAgainAfterItWasIndexedIsIndexedAgainWithItsNewRecord() {
    open(settings(IndexSettings.DEFAULT_BACKLOG, NEVER));
    drain();
    write("x", A, T0);
    pool.turn();
    write("x", B, T0 + 1); // re-sketched with other parameters before the refresh
    for (int i = 0; i < 999; i++) {
      write("f-" + i, A, T0 + i);
    }
    assertThat(pool.turn()).isTrue();
    assertThat(size(A)).as("x left the graph of its former parameters").isEqualTo(999);
    assertThat(size(B)).isEqualTo(1);
    assertThat(index.backlogSize()).isZero();
  }

  @Test
  void aDeletedRecordLeavesTheGraph() {
    open(settings(IndexSettings.DEFAULT_BACKLOG, Duration.ofNanos(1)));
    drain();
    write("x", A, T0);
    write("y", A, T0);
    drain();
    assertThat(size(A)).isEqualTo(2);
    repository.delete("x");
    index.enqueue("x");
    drain();
    assertThat(size(A)).isEqualTo(1);
    assertThat(index.candidates(SimilarityIndex.specKey(A), new float[] {1, 2}, 5, SimilarityFilter.NONE).graph())
        .containsExactly("y");
  }

  @Test
  void retentionRemovesSketchesOlderThanTheCutoffAtTheNextRefresh() {
    open(settings(IndexSettings.DEFAULT_BACKLOG, Duration.ofNanos(1)));
    drain();
    write("old", A, T0 - 1);
    write("edge", A, T0);
    drain();
    index.expire(T0);
    write("new", A, T0 + 1);
    drain();
    assertThat(size(A)).as("the cutoff is exclusive: event time T0 stays").isEqualTo(2);
    assertThat(index.candidates(SimilarityIndex.specKey(A), new float[] {1, 2}, 5, SimilarityFilter.NONE).graph())
        .containsExactlyInAnyOrder("edge", "new");
  }

  @Test
  void aFullBacklogMarksThePartitionNotReadyAndTheNextStepsRebuildFromTheRepository() {
    for (int i = 0; i < 1_200; i++) {
      store(String.format("r-%05d", i), A, T0 + i);
    }
    open(settings(2, NEVER));
    drain();
    write("a", A, T0);
    write("b", A, T0);
    assertThat(index.backlogSize()).isEqualTo(2);
    write("c", A, T0); // the third id does not fit: resync
    assertThat(index.backlogSize()).as("the overflowing id waits for the rebuild").isEqualTo(2);
    write("a", A, T0 + 1); // an id already in the backlog still fits
    assertThat(index.ready()).as("the graph is still searchable until the rebuild starts").isTrue();
    final SpecIndex before = index.graphs().get(SimilarityIndex.specKey(A));
    assertThat(pool.turn()).isTrue();
    assertThat(index.ready()).as("rebuilding: searches scan").isFalse();
    assertThat(index.candidates(SimilarityIndex.specKey(A), new float[] {1}, 5, SimilarityFilter.NONE)).isNull();
    assertThat(pool.turn()).isTrue();
    assertThat(index.ready()).isTrue();
    assertThat(size(A)).as("the rebuild read every stored record").isEqualTo(1_203);
    assertThat(index.backlogSize()).isZero();
    assertThatThrownBy(before::size).as("the replaced graph is closed").isInstanceOf(AlreadyClosedException.class);
  }

  @Test
  void anIdInTheBacklogIsProposedOnceAsABacklogIdNotAsAGraphCandidate() {
    open(settings(IndexSettings.DEFAULT_BACKLOG, Duration.ofNanos(1)));
    drain();
    write("x", A, T0);
    write("y", A, T0);
    drain();
    write("x", A, T0 + 1); // changed: its graph entry may be the old vector
    final SimilarityIndex.Candidates c = index.candidates(SimilarityIndex.specKey(A), new float[] {1, 2}, 5,
        SimilarityFilter.NONE);
    assertThat(c.graph()).containsExactly("y");
    assertThat(c.backlog()).containsExactly("x");
    assertThat(c.indexed()).isEqualTo(2);
    assertThat(index.ramBytes()).as("the graph holds its vectors in memory").isPositive();
  }

  @Test
  void anUnreadableRecordIsSkippedAndTheRestIndexed() {
    repository.put("bad", new byte[] {(byte) 0x7f, 1, 2});
    store("ok", A, T0);
    open(settings(IndexSettings.DEFAULT_BACKLOG, NEVER));
    drain();
    assertThat(index.ready()).isTrue();
    assertThat(size(A)).isEqualTo(1);
  }

  @Test
  void aFailedStepLeavesThePartitionToTheScanUntilItsTaskRestarts() {
    open(settings(IndexSettings.DEFAULT_BACKLOG, NEVER));
    drain();
    write("x", A, T0);
    pool.turn();
    assertThat(index.ready()).isTrue();
    index.graphs().get(SimilarityIndex.specKey(A)).close(); // Lucene refuses the next write
    write("y", A, T0);
    assertThat(pool.turn()).isFalse();
    assertThat(index.ready()).isFalse();
    assertThat(index.indexing()).isFalse();
    assertThat(index.candidates(SimilarityIndex.specKey(A), new float[] {1}, 5, SimilarityFilter.NONE)).isNull();
    write("z", A, T0);
    assertThat(pool.turn()).as("a failed indexer does no more work").isFalse();
    assertThat(index.ready()).isFalse();
    index.start(repository, "0_0"); // the task restarts: a rebuild from the repository
    drain();
    assertThat(index.ready()).isTrue();
    assertThat(size(A)).isEqualTo(3);
  }

  @Test
  void aStoppedIndexerLeavesThePoolAndItsRebuildIsDropped() {
    for (int i = 0; i < 1_500; i++) {
      store(String.format("r-%05d", i), A, T0 + i);
    }
    open(settings(IndexSettings.DEFAULT_BACKLOG, NEVER));
    pool.turn(); // half-way through the rebuild
    index.stop();
    assertThat(pool.turn()).isFalse();
    assertThat(index.ready()).isFalse();
    index.enqueue("r-00001"); // no indexer: nothing is queued
    assertThat(index.backlogSize()).isZero();
    index.start(repository, "0_0");
    drain();
    assertThat(index.ready()).isTrue();
    assertThat(size(A)).isEqualTo(1_500);
  }

  @Test
  void startingAgainReplacesTheFormerIndexerAndClosingEndsEverything() {
    store("x", A, T0);
    open(settings(IndexSettings.DEFAULT_BACKLOG, NEVER));
    assertThat(index.isOpen()).isTrue();
    assertThat(index.persistent()).as("derived from the repository: no changelog").isFalse();
    index.start(repository, "0_0"); // a second start (the task re-initialised) stops the first indexer
    index.stop();
    assertThat(pool.turn()).as("neither indexer is left in the pool").isFalse();
    index.start(repository, "0_0");
    assertThat(pool.turn()).isTrue();
    assertThat(pool.turn()).isFalse();
    final SpecIndex graph = index.graphs().get(SimilarityIndex.specKey(A));
    assertThat(graph.size()).isEqualTo(1);
    index.close();
    assertThat(index.isOpen()).isFalse();
    index = null;
    assertThat(pool.turn()).as("no indexer left in the pool").isFalse();
    assertThat(live).isEmpty();
    assertThatThrownBy(graph::size).isInstanceOf(AlreadyClosedException.class);
  }

  @Test
  void withItsThreadTheIndexerRunsUntilItsTaskStops() {
    store("x", A, T0);
    final IndexerPool background = new IndexerPool("test-indexer-thread");
    index = new SimilarityIndex("index", settings(IndexSettings.DEFAULT_BACKLOG, NEVER), live, background);
    index.init(context.getStateStoreContext(), index);
    assertThat(live).containsExactly(index);
    assertThat(index.indexing()).as("not started").isFalse();
    index.start(repository, "0_0");
    assertThat(index.indexing()).isTrue();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(index::ready);
    assertThat(size(A)).isEqualTo(1);
    index.close(); // the task closes: its indexer stops, and with the last one the thread ends
    assertThat(index.indexing()).isFalse();
    assertThat(index.ready()).isFalse();
    assertThat(background.alive()).as("the last indexer leaving ends the thread").isFalse();
    index = null;
  }

  @Test
  void aDisabledIndexStartsNoIndexerAndIsNeverReady() {
    store("x", A, T0);
    index = new SimilarityIndex("index", IndexSettings.DISABLED, live, pool);
    index.init(context.getStateStoreContext(), index);
    index.start(repository, "0_0");
    index.enqueue("x");
    assertThat(pool.turn()).isFalse();
    assertThat(index.ready()).isFalse();
    assertThat(index.backlogSize()).isZero();
  }
}
