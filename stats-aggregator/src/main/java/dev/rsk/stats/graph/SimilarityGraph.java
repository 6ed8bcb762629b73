package dev.rsk.stats.graph;

import dev.rsk.stats.CheckedSketch;
import dev.rsk.stats.StatsConfig;
import dev.rsk.stats.StatsStores;
import dev.rsk.streams.UnloggedStoreBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Wires the knowledge-graph node (the in-memory HNSW index and its processor, after the stats processor on
 * the sketches stream, reading {@code sketch-repository}) and its gauges (docs/metrics.md).
 */
public final class SimilarityGraph {

  static final String PROCESSOR = "similarity-index-processor";
  public static final String BACKLOG_GAUGE = "rsk.stats.similarity.backlog";
  public static final String INDEXED_GAUGE = "rsk.stats.similarity.indexed";

  private SimilarityGraph() {}

  /**
   * Adds the index store and the processor reading {@code sketches}; call after the stats processor is added
   * (children run in the order they were added, so the repository is written first).
   */
  public static void addTo(final StreamsBuilder builder, final KStream<String, CheckedSketch> sketches,
      final StatsConfig config, final IndexSettings settings, final MeterRegistry meters) {
    final Set<SimilarityIndex> live = ConcurrentHashMap.newKeySet();
    Gauge.builder(BACKLOG_GAUGE, live, s -> s.stream().mapToLong(SimilarityIndex::backlogSize).sum())
        .description("Sketches stored but not yet searchable through the similarity graph (this instance's"
            + " active partitions); searches scan them exactly").register(meters);
    Gauge.builder(INDEXED_GAUGE, live, s -> s.stream().filter(SimilarityIndex::ready)
            .mapToLong(SimilarityIndex::indexedCount).sum())
        .description("Sketches in the similarity graphs of this instance's ready partitions").register(meters);
    // one indexing thread for all the partitions of this topology's instance (IndexerPool)
    final IndexerPool pool = new IndexerPool("rsk-similarity-indexer-shared");
    // never cached, never logged: the index is derived from the repository
    builder.addStateStore(new UnloggedStoreBuilder<>(GraphStores.INDEX,
        () -> new SimilarityIndex(GraphStores.INDEX, settings, live, pool)));
    sketches.process(() -> new SimilarityIndexProcessor(config), Named.as(PROCESSOR),
        GraphStores.INDEX, StatsStores.REPOSITORY);
  }
}
