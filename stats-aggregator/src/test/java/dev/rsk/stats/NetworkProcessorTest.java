package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleEdge;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.NetworkEntry;
import dev.rsk.stats.serde.NetworkEntrySerde;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.NetworkStreetScenes;
import dev.rsk.streams.CommitHookStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link NetworkProcessor} alone on a real in-memory network store: which records and modules it learns from,
 * how one commit interval's records add up per module, the memory bound past which it writes before the commit,
 * and each rule of {@link NetworkStructure#invalid} at its edge. No commit happens here (the commit hook
 * is not driven), so only the memory bound writes; every expected entry is worked out by hand.
 *
 * <p>The base record is a street scene with one car (4 wheels on slots wheel0..wheel3) and one person (a face on
 * slot 0): street is the root at depth 0 with inputs car on slot "0" and person on slot "1".
 */
class NetworkProcessorTest {

  private static final long T0 = 1_772_000_000_000L;
  private static final SketchSpec SPEC = SketchSpec.of(64, 42L, 0.5, 0.5);

  private final NetworkStreetScenes scenes = new NetworkStreetScenes(SPEC, 3);
  private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final StoreChanges changes = new StoreChanges();
  private KeyValueStore<String, NetworkEntry> network;
  private NetworkProcessor processor;

  @BeforeEach
  void setUp() {
    network = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StatsStores.NETWORK), Serdes.String(),
        NetworkEntrySerde.serde()).withLoggingDisabled().build();
    network.init(context.getStateStoreContext(), network);
    context.addStateStore(network);
    context.addStateStore(new CommitHookStore(StatsTopology.NETWORK_COMMIT_HOOK));
    processor = new NetworkProcessor(new StatsMetrics(meters), changes);
    processor.init(context);
  }

  @AfterEach
  void tearDown() {
    processor.close();
    network.close();
  }

  private void process(final InferenceSketch s) {
    processor.process(new Record<>(s.getInferenceId(), CheckedSketch.of(s), s.getEventTime().toEpochMilli()));
  }

  /** {@code modules} extra modules m0..m(n-1), each counted once, without attributes; the root is m0. */
  private InferenceSketch wide(final String id, final int modules, final Map<String, Integer> moreCounts,
      final Map<String, Integer> moreLengths, final List<ModuleEdge> edges, final Map<String, List<Integer>> depths) {
    final InferenceSketch base = scenes.scene(id, T0, 0, 0, 1);
    final Map<String, Integer> counts = new HashMap<>(moreCounts);
    final Map<String, Integer> lengths = new HashMap<>(moreLengths);
    for (int i = 0; i < modules; i++) {
      counts.put("m" + i, 1);
      lengths.put("m" + i, 0);
    }
    return InferenceSketch.newBuilder(base).setModuleCounts(counts).setAttributeLengths(lengths)
        .setAttributeSums(Map.of()).setAttributeSquares(Map.of()).setRootModule("m0").setEdges(edges)
        .setModuleDepths(depths).setStructureVersion(NetworkStructure.VERSION).build();
  }

  private static SortedMap<String, SortedMap<String, Long>> inputs(final Map<String, Map<String, Long>> m) {
    final TreeMap<String, SortedMap<String, Long>> out = new TreeMap<>();
    m.forEach((slot, in) -> out.put(slot, new TreeMap<>(in)));
    return out;
  }

  /**
   * A street scene (5 modules) then a record of 9,995 new modules plus car make 10,000 pending modules: not more
   * than the bound, nothing written. One more new module makes 10,001: everything pending is written, inside a
   * write of the stores' version, and forgotten.
   */
  @Test
  void oneIntervalsRecordsAddUpPerModuleAndAreWrittenOnlyPastTheMemoryBound() {
    process(scenes.scene("a", T0, 1, 1, 0));
    final Map<String, List<Integer>> depths = new HashMap<>();
    depths.put("m0", List.of(1));
    depths.put("car", List.of(0, 0, 2, 0)); // two cars at depth 2; zero counts are not depths
    process(wide("b", 9_995, Map.of("car", 2), Map.of("car", 5),
        List.of(new ModuleEdge("car", "x", "m1", 3), new ModuleEdge("car", "wheel0", "m2", 1)), depths));
    assertThat(network.approximateNumEntries()).isZero();
    final long before = changes.stable();

    process(wide("c", 1, Map.of("late", 1), Map.of("late", 4), List.of(), Map.of()));
    assertThat(changes.stable() - before).isEqualTo(2); // one write: begin and end
    // car: k = 5 (the later record's), 2 inferences, 1 + 2 objects, depth 1 once (a) and 2 twice (b)
    assertThat(network.get("car")).isEqualTo(new NetworkEntry("car", 5, 2, 3, 0,
        new TreeMap<>(Map.of(1, 1L, 2, 2L)), inputs(Map.of("wheel0", Map.of("wheel", 1L, "m2", 1L),
            "wheel1", Map.of("wheel", 1L), "wheel2", Map.of("wheel", 1L), "wheel3", Map.of("wheel", 1L),
            "x", Map.of("m1", 3L)))));
    assertThat(network.get("street")).isEqualTo(new NetworkEntry("street", 1, 1, 1, 1,
        new TreeMap<>(Map.of(0, 1L)), inputs(Map.of("0", Map.of("car", 1L), "1", Map.of("person", 1L)))));
    // m0 was the root of both wide records (b and c): 2 inferences, 2 roots; b gave it 1 object at depth 0
    assertThat(network.get("m0")).isEqualTo(new NetworkEntry("m0", 0, 2, 2, 2, new TreeMap<>(Map.of(0, 1L)),
        inputs(Map.of())));
    assertThat(network.get("m9994"))
        .isEqualTo(new NetworkEntry("m9994", 0, 1, 1, 0, new TreeMap<>(), inputs(Map.of())));
    assertThat(network.get("late").attributeLength()).isEqualTo(4);
    // person and face only in "a"
    assertThat(network.get("person")).isEqualTo(new NetworkEntry("person", 3, 1, 1, 0,
        new TreeMap<>(Map.of(1, 1L)), inputs(Map.of("0", Map.of("face", 1L)))));
    assertThat(network.approximateNumEntries()).isEqualTo(5 + 9_995 + 1);

    // written and forgotten: the next record waits for the commit again, and merges with the stored entry then
    process(scenes.scene("d", T0, 1, 0, 0));
    assertThat(network.get("street").inferences()).isEqualTo(1);
    assertThat(changes.stable()).isEqualTo(before + 2);
  }

  @Test
  void invalidRecordsTombstonesRecordsWithoutStructureAndModulesCountedZeroAreNotLearned() {
    final InferenceSketch good = scenes.scene("a", T0, 1, 0, 0);
    final List<Float> nan = new ArrayList<>(good.getVector());
    nan.set(0, Float.NaN);
    process(InferenceSketch.newBuilder(good).setInferenceId("nan").setVector(nan).build());
    processor.process(new Record<>("gone", null, T0));
    process(InferenceSketch.newBuilder(good).setInferenceId("future").setStructureVersion(2).build());
    process(InferenceSketch.newBuilder(good).setInferenceId("none").setStructureVersion(0).build());
    final Map<String, Integer> counts = new HashMap<>(good.getModuleCounts());
    final Map<String, Integer> lengths = new HashMap<>(good.getAttributeLengths());
    counts.put("ghost", 0);
    lengths.put("ghost", 3);
    final InferenceSketch withGhost = InferenceSketch.newBuilder(good).setModuleCounts(counts)
        .setAttributeLengths(lengths).build();
    assertThat(NetworkStructure.invalid(withGhost)).isNull();
    process(withGhost);
    // 3 modules (street, car, wheel) pending: push them out with 9,998 more
    process(wide("w", 9_998, Map.of(), Map.of(), List.of(), Map.of()));
    assertThat(network.get("ghost")).isNull();
    assertThat(network.get("street").inferences()).isEqualTo(1); // only withGhost taught it
    assertThat(network.get("car").inferences()).isEqualTo(1);
    assertThat(meters.get(StatsMetrics.NETWORK_SKIPPED).counter().count()).isZero();
  }

  @Test
  void eachStructureRuleAtItsEdge() {
    final InferenceSketch good = scenes.scene("a", T0, 1, 1, 0);
    assertThat(NetworkStructure.invalid(good)).isNull();

    // the root must be counted: once is enough, zero is not
    assertThat(NetworkStructure.invalid(withCount(good, "street", 0)))
        .isEqualTo("root module 'street' is not a counted module");
    assertThat(NetworkStructure.invalid(InferenceSketch.newBuilder(good).setRootModule("nobody").build()))
        .isEqualTo("root module 'nobody' is not a counted module");

    // an edge's count must be at least 1; its module and its input counted
    assertThat(NetworkStructure.invalid(withEdge(good, new ModuleEdge("car", "x", "person", 1)))).isNull();
    assertThat(NetworkStructure.invalid(withEdge(good, new ModuleEdge("car", "x", "person", 0))))
        .isEqualTo("edge car[x] <- person x0 names an uncounted module or has a count below 1");
    assertThat(NetworkStructure.invalid(withEdge(good, new ModuleEdge("truck", "x", "person", 1))))
        .isEqualTo("edge truck[x] <- person x1 names an uncounted module or has a count below 1");
    assertThat(NetworkStructure.invalid(withEdge(good, new ModuleEdge("car", "x", "truck", 2))))
        .isEqualTo("edge car[x] <- truck x2 names an uncounted module or has a count below 1");
    // counted zero times is not counted (face appears in an edge of person)
    assertThat(NetworkStructure.invalid(withCount(good, "face", 0)))
        .isEqualTo("edge person[0] <- face x1 names an uncounted module or has a count below 1");

    // depths: zero counts are fine, a negative or missing one is not, nor depths of an uncounted module
    assertThat(NetworkStructure.invalid(withDepths(good, "car", Arrays.asList(0, 0, 0)))).isNull();
    assertThat(NetworkStructure.invalid(withDepths(good, "car", Arrays.asList(0, -1))))
        .isEqualTo("depths of 'car' name an uncounted module or a negative count");
    assertThat(NetworkStructure.invalid(withDepths(good, "car", Arrays.asList(1, null))))
        .isEqualTo("depths of 'car' name an uncounted module or a negative count");
    assertThat(NetworkStructure.invalid(withDepths(good, "truck", List.of(1))))
        .isEqualTo("depths of 'truck' name an uncounted module or a negative count");
  }

  @Test
  void aRecordWithAContradictingStructureIsCountedAndNotLearned() {
    final InferenceSketch good = scenes.scene("a", T0, 1, 0, 0);
    process(withEdge(good, new ModuleEdge("car", "x", "truck", 1)));
    assertThat(meters.get(StatsMetrics.NETWORK_SKIPPED).counter().count()).isEqualTo(1.0);
    // push anything pending out: only the wide record's modules are stored
    process(wide("w", 10_001, Map.of(), Map.of(), List.of(), Map.of()));
    assertThat(network.get("car")).isNull();
    assertThat(network.get("street")).isNull();
    assertThat(network.approximateNumEntries()).isEqualTo(10_001);
  }

  private static InferenceSketch withCount(final InferenceSketch s, final String module, final int n) {
    final Map<String, Integer> counts = new HashMap<>(s.getModuleCounts());
    counts.put(module, n);
    return InferenceSketch.newBuilder(s).setModuleCounts(counts).build();
  }

  private static InferenceSketch withEdge(final InferenceSketch s, final ModuleEdge e) {
    final List<ModuleEdge> edges = new ArrayList<>(s.getEdges());
    edges.add(e);
    return InferenceSketch.newBuilder(s).setEdges(edges).build();
  }

  private static InferenceSketch withDepths(final InferenceSketch s, final String module, final List<Integer> d) {
    final Map<String, List<Integer>> depths = new HashMap<>(s.getModuleDepths());
    depths.put(module, d);
    return InferenceSketch.newBuilder(s).setModuleDepths(depths).build();
  }
}
