package dev.rsk.stats.graph;

import dev.rsk.streams.UnloggedStoreBuilder;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.StatsConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/** Wires the knowledge-graph node (entries store, HNSW index, their processor) onto the sketches stream. */
public final class SimilarityGraph {

  static final String PROCESSOR = "similarity-index-processor";

  private SimilarityGraph() {}

  /** Adds the stores and the processor reading {@code sketches}. */
  public static void addTo(final StreamsBuilder builder, final KStream<String, InferenceSketch> sketches,
      final StatsConfig config, final HnswParams params) {
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(GraphStores.ENTRIES), Serdes.String(), Serdes.ByteArray()));
    // never cached, never logged: the index is derived from the entries store
    builder.addStateStore(new UnloggedStoreBuilder<>(GraphStores.INDEX, () -> new SimilarityIndex(GraphStores.INDEX,
        params)));
    sketches.process(() -> new SimilarityIndexProcessor(config), Named.as(PROCESSOR),
        GraphStores.ENTRIES, GraphStores.INDEX);
  }
}
