package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleEdge;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.serde.NetworkEntrySerde;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.NetworkStreetScenes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network store on the stats topology (TopologyTestDriver, real RocksDB); every expected value is
 * written by hand from the scenes sent.
 */
class NetworkTopologyTest {

  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final SketchSpec SPEC = SketchSpec.of(256, 42L, 0.5, 0.5);

  @TempDir java.nio.file.Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceSketch> input;
  private final NetworkStreetScenes scenes = new NetworkStreetScenes(SPEC, 5);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private StatsConfig config;

  @BeforeEach
  void setUp() {
    config = StatsConfig.defaults(StatsSerdes.inferenceSketchBinary())
        .withRetention(Duration.ofDays(400), Duration.ofDays(400), Duration.ofDays(30));
    final Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "network-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(StatsTopology.buildTopology(config, meters), props);
    input = driver.createInputTopic("sketches", new StringSerializer(),
        StatsSerdes.inferenceSketchBinary().serializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void send(final InferenceSketch s) {
    input.pipeInput(s.getInferenceId(), s, s.getEventTime().toEpochMilli());
  }

  @Test
  void learnsModulesRootsDepthsAndInputsPerSlotFromCompleteDags() {
    send(scenes.scene("a", T0, 1, 1, 0));          // street -> car, person; car -> 4 wheels; person -> face
    send(scenes.scene("b", T0 + 1000, 2, 0, 1));   // street -> car, car, bicycle
    send(scenes.sceneWithoutStructure("old", T0 + 2000, 1, 1, 1)); // an older producer: not learned
    send(InferenceSketch.newBuilder(scenes.scene("future", T0 + 3000, 1, 1, 1)).setStructureVersion(2).build());

    final KeyValueStore<String, NetworkEntry> network = driver.getKeyValueStore(StatsStores.NETWORK);
    assertThat(network.get("street")).isEqualTo(new NetworkEntry("street", 1, 2, 2, 2, depths(0, 2L),
        inputs(Map.of("0", Map.of("car", 2L), "1", Map.of("car", 1L, "person", 1L), "2", Map.of("bicycle", 1L)))));
    assertThat(network.get("car")).isEqualTo(new NetworkEntry("car", 2, 2, 3, 0, depths(1, 3L), inputs(Map.of(
        "wheel0", Map.of("wheel", 3L), "wheel1", Map.of("wheel", 3L), "wheel2", Map.of("wheel", 3L),
        "wheel3", Map.of("wheel", 3L)))));
    assertThat(network.get("wheel")).isEqualTo(
        new NetworkEntry("wheel", 1, 2, 12, 0, depths(2, 12L), inputs(Map.of())));
    assertThat(network.get("person")).isEqualTo(
        new NetworkEntry("person", 3, 1, 1, 0, depths(1, 1L), inputs(Map.of("0", Map.of("face", 1L)))));
    assertThat(network.get("face")).isEqualTo(new NetworkEntry("face", 2, 1, 1, 0, depths(2, 1L), inputs(Map.of())));
    assertThat(network.get("bicycle")).isEqualTo(
        new NetworkEntry("bicycle", 1, 1, 1, 0, depths(1, 1L), inputs(Map.of())));
    assertThat(count()).isZero();
  }

  /**
   * The network is written at the commit inside a write of {@link dev.rsk.stats.StoreChanges}, as the aggregates
   * are: answer caches (whole stats answers hold a sum estimate over the network) never keep an answer read
   * while it was written. A commit of a learned record moves the version twice per writer (begin, end): 2 for
   * the aggregates, 2 for the network; a record the network does not learn, only the aggregates' 2.
   */
  @Test
  void theNetworkIsWrittenInsideAWriteOfTheStoresVersion() {
    final long v0 = config.changes().stable();
    send(scenes.scene("a", T0, 1, 0, 0)); // the test driver commits after each record
    final long v1 = config.changes().stable();
    assertThat(v1 - v0).isEqualTo(4);
    send(scenes.sceneWithoutStructure("old", T0 + 1000, 1, 1, 1));
    assertThat(config.changes().stable() - v1).isEqualTo(2);
  }

  @Test
  void aNewModuleAndANewEdgeAreLearnedFromTheNextRecord() {
    send(scenes.scene("a", T0, 1, 0, 0));
    final KeyValueStore<String, NetworkEntry> network = driver.getKeyValueStore(StatsStores.NETWORK);
    assertThat(network.get("person")).isNull();
    assertThat(network.get("street").inputs()).isEqualTo(inputs(Map.of("0", Map.of("car", 1L))));

    send(scenes.scene("b", T0 + 1000, 0, 1, 0));

    assertThat(network.get("person").inputs()).isEqualTo(inputs(Map.of("0", Map.of("face", 1L))));
    assertThat(network.get("street").inputs()).isEqualTo(inputs(Map.of("0", Map.of("car", 1L, "person", 1L))));
  }

  @Test
  void aStructureThatContradictsItsCountsIsSkippedAndCountedAndTheRestStillLearned() {
    final InferenceSketch good = scenes.scene("a", T0, 1, 0, 0);
    final List<ModuleEdge> edges = new ArrayList<>(good.getEdges());
    edges.add(new ModuleEdge("street", "9", "truck", 1)); // truck is no counted module
    send(InferenceSketch.newBuilder(good).setInferenceId("bad").setEdges(edges).build());
    send(InferenceSketch.newBuilder(good).setInferenceId("bad-root").setRootModule("tree").build());
    send(good);

    assertThat(count()).isEqualTo(2);
    final KeyValueStore<String, NetworkEntry> network = driver.getKeyValueStore(StatsStores.NETWORK);
    assertThat(network.get("street").inferences()).isEqualTo(1);
    assertThat(network.get("street").inputs()).isEqualTo(inputs(Map.of("0", Map.of("car", 1L))));
  }

  @Test
  void theSerdeRoundTripsAndRejectsAnUnknownFormatAndTruncatedBytes() {
    final NetworkEntry e = new NetworkEntry("car", 2, 5, 7, 1, depths(1, 7L),
        inputs(Map.of("wheel0", Map.of("wheel", 7L), "x", Map.of("a", 1L, "b", 2L))));
    final byte[] bytes = NetworkEntrySerde.serde().serializer().serialize("t", e);
    assertThat(bytes[0]).isEqualTo((byte) 1);
    assertThat(NetworkEntrySerde.serde().deserializer().deserialize("t", bytes)).isEqualTo(e);

    final byte[] future = bytes.clone();
    future[0] = 2;
    assertThatThrownBy(() -> NetworkEntrySerde.serde().deserializer().deserialize("t", future))
        .isInstanceOf(SerializationException.class).hasMessageContaining("format 2");
    final byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
    assertThatThrownBy(() -> NetworkEntrySerde.serde().deserializer().deserialize("t", cut))
        .isInstanceOf(SerializationException.class);
  }

  private double count() {
    return meters.get(StatsMetrics.NETWORK_SKIPPED).counter().count();
  }

  private static SortedMap<Integer, Long> depths(final int depth, final long n) {
    return new TreeMap<>(Map.of(depth, n));
  }

  private static SortedMap<String, SortedMap<String, Long>> inputs(final Map<String, Map<String, Long>> m) {
    final TreeMap<String, SortedMap<String, Long>> out = new TreeMap<>();
    m.forEach((slot, in) -> out.put(slot, new TreeMap<>(in)));
    return out;
  }
}
