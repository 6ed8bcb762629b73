package dev.rsk.processor;

import dev.rsk.streams.CommitHookStore;
import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.SchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The activations -> sketches topology:
 * <pre>
 *   activations (bytes) --> assemble [pending, module-lengths, commit-hook stores]
 *                             |
 *                             +--> sketches (InferenceSketch)
 *                             +--> activations-dlq (original bytes + error headers)
 * </pre>
 * Values are read as bytes and decoded in the processor, so that every failure, including corrupt
 * bytes and unknown schema ids, reaches the dead-letter topic with the original bytes.
 */
public final class ProcessorTopology {
  public static final String SOURCE = "activations-source";
  public static final String PROCESSOR = "assemble-and-sketch";
  public static final String SKETCHES_SINK = "sketches-sink";
  public static final String DLQ_SINK = "dlq-sink";
  /** RocksDB, changelogged: objects of inferences still incomplete at a commit. */
  public static final String PENDING_STORE = "rsk-pending-objects";
  /** RocksDB, changelogged: module -> attribute length. */
  public static final String MODULE_LENGTHS_STORE = "rsk-module-lengths";
  /** No data: calls the processor back before each commit (see {@link CommitHookStore}). */
  public static final String COMMIT_HOOK_STORE = "rsk-commit-hook";

  private ProcessorTopology() {}

  /** {@link #buildTopology(ProcessorConfig, MeterRegistry)} with metrics kept in a private registry. */
  public static Topology buildTopology(final ProcessorConfig config) {
    return buildTopology(config, new SimpleMeterRegistry());
  }

  /** The topology with serdes talking to the registry named in the config ({@code schema.registry.url}). */
  public static Topology buildTopology(final ProcessorConfig config, final MeterRegistry meters) {
    return buildTopology(config,
        AvroSerdes.specific(ModuleActivation.class, config.serdeConfig(), false).deserializer(),
        AvroSerdes.specific(InferenceSketch.class, config.serdeConfig(), false).serializer(),
        new ProcessorMetrics(meters));
  }

  /** The topology over a given registry client (in-memory in unit tests). */
  public static Topology buildTopology(final ProcessorConfig config, final SchemaRegistryClient registry,
      final MeterRegistry meters) {
    return buildTopology(config,
        AvroSerdes.specific(ModuleActivation.class, registry, false).deserializer(),
        AvroSerdes.specific(InferenceSketch.class, registry, false).serializer(),
        new ProcessorMetrics(meters));
  }

  /** The topology with explicit serdes and metrics. Pure: builds, starts nothing. */
  public static Topology buildTopology(final ProcessorConfig config, final Deserializer<ModuleActivation> activations,
      final Serializer<InferenceSketch> sketches, final ProcessorMetrics metrics) {
    final InferenceSketcher sketcher = new InferenceSketcher(config.spec(), config.limits().maxDepth());
    final Topology t = new Topology();
    t.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), config.activationsTopic());
    t.addProcessor(PROCESSOR, () -> new ActivationProcessor(config, activations, sketcher, metrics), SOURCE);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE), Serdes.Bytes(),
        Serdes.ByteArray()).withCachingDisabled(), PROCESSOR);
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MODULE_LENGTHS_STORE),
        Serdes.String(), Serdes.Integer()).withCachingDisabled(), PROCESSOR);
    t.addStateStore(CommitHookStore.builder(COMMIT_HOOK_STORE), PROCESSOR);
    t.addSink(SKETCHES_SINK, config.sketchesTopic(), new StringSerializer(), sketches, PROCESSOR);
    t.addSink(DLQ_SINK, config.dlqTopic(), new ByteArraySerializer(), new ByteArraySerializer(), PROCESSOR);
    return t;
  }
}
