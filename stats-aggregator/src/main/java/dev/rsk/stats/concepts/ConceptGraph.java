package dev.rsk.stats.concepts;

import dev.rsk.avro.ConceptEvent;
import dev.rsk.stats.CheckedSketch;
import dev.rsk.stats.graph.SimilarityIndex;
import dev.rsk.streams.CommitHookStore;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires concept detection onto the sketches stream: every valid sketch becomes a {@link ConceptInput} keyed by
 * its parameter key ({@link SimilarityIndex#specKey} and the vector length) and is repartitioned by it, so that all
 * sketches of one key are clustered together, by one task, and sketches of different keys never meet; the
 * {@link ConceptProcessor} writes {@code ConceptEvent}s to the concepts topic, which every instance reads back into
 * the global store {@link ConceptStores#VIEW} that the API answers from.
 */
public final class ConceptGraph {

  static final String PROCESSOR = "concept-processor";
  static final String VIEW_SOURCE = "concepts-view-source";

  private ConceptGraph() {}

  /** Adds the repartition, the clustering processor, its stores, the sink and the global view. */
  public static void addTo(final StreamsBuilder builder, final KStream<String, CheckedSketch> sketches,
      final ConceptConfig config) {
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ConceptStores.CLUSTERS),
        Serdes.String(), Serdes.ByteArray()).withCachingDisabled());
    builder.addStateStore(CommitHookStore.builder(ConceptStores.COMMIT_HOOK));
    sketches
        .flatMap((id, s) -> {
          if (s == null || !s.valid()) {
            return List.of();
          }
          final ConceptInput in = ConceptInput.of(id != null ? id : s.record().getInferenceId(),
              s.record().getEventTime().toEpochMilli(), s.sketch());
          return List.of(
              KeyValue.pair(SimilarityIndex.specKey(in.spec()) + ";len=" + s.sketch().length(), in.encode()));
        }, Named.as("concepts-by-key-map"))
        .repartition(Repartitioned.<String, byte[]>as(ConceptStores.REPARTITION)
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()))
        .process(() -> new ConceptProcessor(config), Named.as(PROCESSOR), ConceptStores.CLUSTERS,
            ConceptStores.COMMIT_HOOK)
        .to(config.topic(), Produced.with(Serdes.String(), config.serde()).withName("concepts-sink"));
    builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ConceptStores.VIEW),
            Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(), config.topic(),
        Consumed.with(Serdes.String(), config.serde()).withName(VIEW_SOURCE), ConceptViewProcessor::new);
  }
}
