package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.processor.testing.ActivationDag;
import dev.rsk.registry.InMemorySchemaRegistryClient;
import dev.rsk.serde.AvroSerdes;
import dev.rsk.streams.RocksDbMemory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor's RocksDB stores (pending objects, module lengths) take their memory from the bounded shared cache
 * ({@code rsk.rocksdb.memory.bytes}) when the runner configures it, not from Kafka Streams' own 50 MB cache and
 * 16 MB memtables per store; the runner registers the cache's gauge and frees the cache once closed.
 */
class ProcessorRocksDbMemoryTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path stateDir;

  /** Sends an inference whose root waits for an input that never comes (so its objects stay pending). */
  private static long usedAfterAPendingInference(final Path dir, final RocksDbMemory memory) {
    final ProcessorConfig config = ProcessorConfig.builder().gap(Duration.ofHours(1)).build();
    final Properties props = config.streamsProperties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    if (memory != null) {
      memory.configure(props);
    }
    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final Serde<ModuleActivation> serde = AvroSerdes.specific(ModuleActivation.class, registry, false);
    try (TopologyTestDriver driver = new TopologyTestDriver(
        ProcessorTopology.buildTopology(config, registry, new SimpleMeterRegistry()), props, T0)) {
      final TestInputTopic<String, ModuleActivation> in = driver.createInputTopic(config.activationsTopic(),
          new StringSerializer(), serde.serializer());
      final ActivationDag dag = ActivationDag.builder("waiting").eventTime(T0).source("cam-1")
          .root("s", "scene", new float[] {1f, 2f}, "c1", "c2")
          .object("c1", "cat", new float[] {0.5f, -1f, 3f})
          .object("c2", "dog", new float[] {2f, 0f, -0.5f})
          .build();
      // every object but c2: the inference stays incomplete, its objects go to the pending store at the commit
      dag.activations().stream().filter(a -> !a.getObjectId().equals("c2"))
          .forEach(a -> in.pipeInput(a.getInferenceId(), a, T0));
      return memory == null ? -1 : memory.usedBytes();
    }
  }

  @Test
  void theStoresMemtablesAreChargedToTheBoundedCache() {
    try (RocksDbMemory memory = new RocksDbMemory(8L << 20)) {
      assertThat(memory.usedBytes()).isZero();
      assertThat(usedAfterAPendingInference(stateDir.resolve("bounded"), memory))
          .as("memtables of the pending and module-length stores, charged by the write buffer manager")
          .isPositive();
    }
  }

  @Test
  void theRunnerRegistersTheProcessorsCacheGaugeAndFreesTheCacheOnClose() {
    final ProcessorConfig config = ProcessorConfig.builder()
        .closeTimeout(Duration.ofSeconds(5))
        .kafka("bootstrap.servers", "127.0.0.1:1") // nothing listens: the client never runs, which is enough here
        .kafka("application.id", "rocksdb-memory-test")
        .kafka("state.dir", stateDir.resolve("runner").toString())
        .build();
    assertThat(config.rocksDbMemoryBytes()).isEqualTo(64L << 20);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final StreamsBuilder b = new StreamsBuilder();
    b.stream("in").to("out");
    final ProcessorRunner runner = ProcessorRunner.start(config, b.build(), meters);
    try {
      assertThat(meters.get(RocksDbMemory.USED_METRIC).tag("role", "processor").gauge().value()).isZero();
      final Properties props = runner.clientProperties();
      assertThat(props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(RocksDbMemory.Setter.class);
      assertThat(props.get(RocksDbMemory.CONFIG_KEY)).isInstanceOfSatisfying(RocksDbMemory.class,
          m -> assertThat(m.bytes()).isEqualTo(64L << 20));
    } finally {
      runner.close();
    }
    assertThat(meters.get(RocksDbMemory.USED_METRIC).tag("role", "processor").gauge().value())
        .as("closed: reads 0, never the freed native cache").isZero();
  }

  @Test
  void aClientThatCannotBeBuiltLeavesNoCacheBehind() {
    final ProcessorConfig config = ProcessorConfig.builder()
        .closeTimeout(Duration.ofSeconds(5))
        .kafka("bootstrap.servers", "127.0.0.1:1")
        .kafka("application.id", "rocksdb-memory-failed")
        .kafka("state.dir", stateDir.resolve("failed").toString())
        .kafka("processing.guarantee", "at_most_twice") // not one Kafka Streams knows: its constructor rejects it
        .build();
    final StreamsBuilder b = new StreamsBuilder();
    b.stream("in").to("out");
    final List<RocksDbMemory> made = new ArrayList<>();
    assertThatThrownBy(() -> ProcessorRunner.start(config, b.build(), new SimpleMeterRegistry(), bytes -> {
      final RocksDbMemory memory = new RocksDbMemory(bytes);
      made.add(memory);
      return memory;
    })).isInstanceOf(ConfigException.class).hasMessageContaining("at_most_twice");
    assertThat(made).as("the runner made its cache before the client").hasSize(1);
    assertThat(made.get(0).bytes()).isEqualTo(64L << 20);
    assertThat(made.get(0).isClosed()).as("freed on the way out, not left to the process exit").isTrue();
  }
}
