package dev.rsk.stats;

import dev.rsk.stats.concepts.ConceptConfig;
import dev.rsk.stats.concepts.ConceptGraph;
import dev.rsk.stats.graph.IndexSettings;
import dev.rsk.stats.graph.SimilarityGraph;
import dev.rsk.stats.serde.NetworkEntrySerde;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.streams.CommitHookStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The stats topology: {@code sketches} -> the stores of {@link StatsStores}. One stateful processor
 * updates every store of its partition in one step, so they stay mutually consistent under
 * exactly-once processing; a second one, beside it on the same stream, learns the network store
 * ({@link StatsStores#NETWORK}) from the records' structure fields.
 */
public final class StatsTopology {

  static final String SOURCE = "sketches-source";
  static final String PROCESSOR = "stats-processor";
  static final String NETWORK_PROCESSOR = "network-processor";
  /** No data: calls the processor back before each commit (see {@link CommitHookStore}). */
  static final String COMMIT_HOOK = "stats-commit-hook";
  /** The same for the network processor's pending deltas. */
  static final String NETWORK_COMMIT_HOOK = "network-commit-hook";

  private StatsTopology() {}

  /** {@link #buildTopology(StatsConfig, MeterRegistry)} with metrics kept in a private registry. */
  public static Topology buildTopology(final StatsConfig config) {
    return buildTopology(config, new SimpleMeterRegistry());
  }

  /** The topology with the default similarity index, without concept detection. */
  public static Topology buildTopology(final StatsConfig config, final MeterRegistry meters) {
    return buildTopology(config, meters, IndexSettings.DEFAULTS, null);
  }

  /** The topology with the given similarity index, without concept detection. */
  public static Topology buildTopology(final StatsConfig config, final MeterRegistry meters,
      final IndexSettings index) {
    return buildTopology(config, meters, index, null);
  }

  /** The topology with the default similarity index and concept detection ({@code concepts} null: without it). */
  public static Topology buildTopology(final StatsConfig config, final MeterRegistry meters,
      final ConceptConfig concepts) {
    return buildTopology(config, meters, IndexSettings.DEFAULTS, concepts);
  }

  /**
   * Builds the topology, its {@link StatsMetrics} registered in {@code meters}, its similarity index configured
   * by {@code index}, with concept detection when {@code concepts} is not null (docs/concepts.md); pure: no I/O
   * (the index's threads start with its tasks), safe to call from tests with TopologyTestDriver.
   */
  public static Topology buildTopology(final StatsConfig config, final MeterRegistry meters,
      final IndexSettings index, final ConceptConfig concepts) {
    final StatsMetrics metrics = new StatsMetrics(meters);
    final StreamsBuilder builder = new StreamsBuilder();
    final Duration day = Duration.ofDays(1);
    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(StatsStores.PRESENCE_DAILY,
        config.retention().plus(day), day, false), Serdes.String(), StatsSerdes.dayCounts()));
    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(StatsStores.INFERENCES_DAILY,
        config.retention().plus(day), day, false), Serdes.String(), StatsSerdes.dayCounts()));
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(StatsStores.ATTRIBUTE_STATS, config.statsRetention(), config.statsBucket(),
            false),
        Serdes.String(), StatsSerdes.attributeStats()));
    // Rollups (see Rollups): month windows are calendar months, placed by their start; 31 days sizes segments.
    final Duration month = Duration.ofDays(31);
    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(StatsStores.SKETCH_SUMS_DAILY,
        config.retention().plus(Duration.ofDays(1)), Duration.ofDays(1), false), Serdes.String(),
        StatsSerdes.sketchSum()));
    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(StatsStores.SKETCH_SUMS_MONTHLY,
        config.retention().plus(month), month, false), Serdes.String(), StatsSerdes.sketchSum()));
    builder.addStateStore(Stores.windowStoreBuilder(Stores.persistentWindowStore(
        StatsStores.ATTRIBUTE_STATS_MONTHLY, config.statsRetention().plus(month), month, false), Serdes.String(),
        StatsSerdes.attributeStats()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StatsStores.CATALOGUE), Serdes.String(), StatsSerdes.catalogueEntry()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StatsStores.REPOSITORY), Serdes.String(), Serdes.ByteArray()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StatsStores.TIME_INDEX), Serdes.Bytes(), Serdes.ByteArray()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StatsStores.NETWORK), Serdes.String(), NetworkEntrySerde.serde()));
    builder.addStateStore(CommitHookStore.builder(COMMIT_HOOK));
    builder.addStateStore(CommitHookStore.builder(NETWORK_COMMIT_HOOK));

    // read and checked once per record for every processor below (CheckedSketch)
    final KStream<String, CheckedSketch> sketches = builder.stream(config.sketchesTopic(),
        Consumed.with(Serdes.String(), CheckedSketch.serde(config.sketchSerde())).withName(SOURCE));
    sketches.process(() -> new StatsProcessor(config, metrics), Named.as(PROCESSOR),
        java.util.stream.Stream.concat(StatsStores.ALL.stream(), java.util.stream.Stream.of(COMMIT_HOOK))
            .toArray(String[]::new));
    sketches.process(() -> new NetworkProcessor(metrics, config.changes()), Named.as(NETWORK_PROCESSOR),
        StatsStores.NETWORK, NETWORK_COMMIT_HOOK);
    SimilarityGraph.addTo(builder, sketches, config, index, meters); // after the stats processor
    if (concepts != null) {
      ConceptGraph.addTo(builder, sketches, concepts);
    }
    return builder.build();
  }
}
