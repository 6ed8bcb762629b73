package dev.rsk.stats;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.stats.graph.HnswParams;
import dev.rsk.stats.graph.SimilarityGraph;
import dev.rsk.stats.serde.StatsSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.state.Stores;

/**
 * The stats topology: {@code sketches} -> the stores of {@link StatsStores}. One stateful processor
 * updates every store of its partition in one step, so they stay mutually consistent under
 * exactly-once processing.
 */
public final class StatsTopology {

  static final String SOURCE = "sketches-source";
  static final String PROCESSOR = "stats-processor";

  private StatsTopology() {}

  /** {@link #buildTopology(StatsConfig, MeterRegistry)} with metrics kept in a private registry. */
  public static Topology buildTopology(final StatsConfig config) {
    return buildTopology(config, new SimpleMeterRegistry());
  }

  /**
   * Builds the topology, its {@link StatsMetrics} registered in {@code meters}; pure: no I/O, safe to call
   * from tests with TopologyTestDriver.
   */
  public static Topology buildTopology(final StatsConfig config, final MeterRegistry meters) {
    final StatsMetrics metrics = new StatsMetrics(meters);
    final StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(StatsStores.PRESENCE_HOURLY, config.retention(), StatsConfig.HOUR, false),
        Serdes.String(), StatsSerdes.presenceCounts()));
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(StatsStores.INFERENCES_HOURLY, config.retention(), StatsConfig.HOUR, false),
        Serdes.String(), Serdes.Long()));
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(StatsStores.ATTRIBUTE_STATS, config.statsRetention(), config.statsBucket(),
            false),
        Serdes.String(), StatsSerdes.attributeStats()));
    builder.addStateStore(Stores.windowStoreBuilder(
        Stores.persistentWindowStore(StatsStores.SKETCH_SUMS_HOURLY, config.retention(), StatsConfig.HOUR,
            false),
        Serdes.String(), StatsSerdes.sketchSum()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StatsStores.CATALOGUE), Serdes.String(), StatsSerdes.catalogueEntry()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StatsStores.REPOSITORY), Serdes.String(),
        StatsSerdes.inferenceSketchBinary()));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(StatsStores.TIME_INDEX), Serdes.Bytes(), Serdes.ByteArray()));

    final KStream<String, InferenceSketch> sketches =
        builder.stream(config.sketchesTopic(), Consumed.with(Serdes.String(), config.sketchSerde()).withName(SOURCE));
    sketches.process(() -> new StatsProcessor(config, metrics), org.apache.kafka.streams.kstream.Named.as(PROCESSOR),
            StatsStores.ALL.toArray(String[]::new));
    SimilarityGraph.addTo(builder, sketches, config, HnswParams.DEFAULTS);
    return builder.build();
  }
}
