package dev.rsk.stats.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.CheckedSketch;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.stats.serde.StatsSerdes;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processor feeding a partition's index, on Kafka Streams' {@link MockProcessorContext} with a real
 * repository store and a real index whose indexer pool has no thread (nothing runs unless turned): which id each
 * record enqueues, the retention cutoff its punctuator passes on (newest event time seen minus the repository's
 * retention), and that a closed processor feeds nothing more.
 */
class SimilarityIndexProcessorTest {

  private static final SketchSpec A = SketchSpec.of(16, 1L, 0.5, 0.5);
  private static final Duration RETENTION = Duration.ofDays(30);
  private static final long T0 = 1_770_000_000_000L;

  private final StatsConfig config = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
      .withRetention(Duration.ofDays(400), Duration.ofDays(400), RETENTION)
      .withCleanup(Duration.ofMinutes(3), 100);
  private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
  private final IndexerPool pool = new IndexerPool("processor-test", false);
  private final Set<SimilarityIndex> live = ConcurrentHashMap.newKeySet();
  private KeyValueStore<String, byte[]> repository;
  private SimilarityIndex index;
  private SimilarityIndexProcessor processor;

  @BeforeEach
  void init() {
    repository = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StatsStores.REPOSITORY),
        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
    repository.init(context.getStateStoreContext(), repository);
    context.addStateStore(repository);
    index = new SimilarityIndex(GraphStores.INDEX, IndexSettings.DEFAULTS, live, pool);
    index.init(context.getStateStoreContext(), index);
    context.addStateStore(index);
    processor = new SimilarityIndexProcessor(config);
    processor.init(context);
  }

  @AfterEach
  void close() {
    processor.close();
    index.close();
    repository.close();
  }

  private static CheckedSketch sketch(final String id, final long t) {
    final float[] v = new float[A.d()];
    v[0] = 1;
    final InferenceSketch s = SimilarityIndexTopologyTest.record(id, A, v, t, "cam", Map.of("scene", 1));
    return CheckedSketch.of(s);
  }

  private void punctuate() {
    assertThat(context.scheduledPunctuators()).singleElement().satisfies(p -> {
      assertThat(p.getInterval()).isEqualTo(Duration.ofMinutes(3));
      assertThat(p.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
      p.getPunctuator().punctuate(0);
    });
  }

  @Test
  void initStartsTheIndexerAndEachRecordEnqueuesItsKeyOrElseItsInferenceId() {
    // an index whose indexer was not started ignores enqueued ids: these land only because init started it
    processor.process(new Record<>("k1", sketch("other-id", T0), T0));
    processor.process(new Record<>(null, sketch("i2", T0), T0));
    processor.process(new Record<>("gone", null, T0)); // a deletion: the indexer reads the repository's absence
    processor.process(new Record<String, CheckedSketch>(null, null, T0)); // no id at all: nothing
    assertThat(index.backlog().keySet()).containsExactlyInAnyOrder("k1", "i2", "gone");
  }

  @Test
  void thePunctuatorPassesTheNewestEventTimeSeenLessTheRetention() {
    punctuate();
    assertThat(index.expireBefore()).as("nothing seen yet: nothing expires").isEqualTo(Long.MIN_VALUE);
    processor.process(new Record<>("a", sketch("a", T0 + 5_000), T0));
    processor.process(new Record<>("b", sketch("b", T0 + 2_000), T0)); // older: the newest stays
    processor.process(new Record<>("c", null, T0 + 9_000)); // a deletion has no event time of its own
    punctuate();
    assertThat(index.expireBefore()).isEqualTo(T0 + 5_000 - RETENTION.toMillis());
  }

  @Test
  void aClosedProcessorStopsTheIndexerAndFeedsItNoMore() {
    processor.process(new Record<>("a", sketch("a", T0), T0));
    processor.close();
    assertThat(pool.turn()).as("the indexer left the pool: its rebuild never runs").isFalse();
    processor.process(new Record<>("b", sketch("b", T0), T0));
    assertThat(index.backlog().keySet()).containsExactly("a");
  }

  @Test
  void closingAProcessorNeverInitialisedDoesNothing() {
    final SimilarityIndexProcessor fresh = new SimilarityIndexProcessor(config);
    fresh.close();
    // the initialised processor's indexer still takes ids and still has its rebuild to run
    processor.process(new Record<>("a", sketch("a", T0), T0));
    assertThat(index.backlog().keySet()).containsExactly("a");
    assertThat(pool.turn()).isTrue();
  }
}
