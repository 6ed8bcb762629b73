package dev.rsk.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.sketch.ModuleEdge;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The structure fields filled from a DAG; expected values written by hand. */
class NetworkStructureTest {

  @Test
  void fillsRootEdgesAndDepthsOfAStreetWithACarOnFourWheels() {
    final InferenceSketch.Builder b = NetworkStructure.fill(InferenceSketch.newBuilder(), streetDag());

    assertThat(b.getStructureVersion()).isEqualTo(1);
    assertThat(b.getRootModule()).isEqualTo("street");
    assertThat(b.getEdges()).containsExactly(
        edge("car", "wheel0", "wheel", 1), edge("car", "wheel1", "wheel", 1),
        edge("car", "wheel2", "wheel", 1), edge("car", "wheel3", "wheel", 1),
        edge("street", "0", "car", 1));
    assertThat(b.getModuleDepths()).isEqualTo(Map.of(
        "street", List.of(1), "car", List.of(0, 1), "wheel", List.of(0, 0, 4)));
  }

  @Test
  void onlyTheVersionThisBuildKnowsIsReadAsStructure() {
    assertThat(InferenceSketch.newBuilder().getStructureVersion()).isEqualTo(NetworkStructure.NONE);
    final InferenceSketch withEdge = recordWith(1, List.of(edge("a", "0", "b", 3)));
    assertThat(NetworkStructure.carries(withEdge)).isTrue();
    assertThat(NetworkStructure.edges(withEdge)).containsExactly(new ModuleEdge("a", "0", "b", 3));
    assertThat(NetworkStructure.carries(recordWith(0, List.of()))).isFalse();
    assertThat(NetworkStructure.carries(recordWith(2, List.of()))).as("a future version").isFalse();
  }

  /**
   * A street over a car on four wheels, as the processor writes it: its edges reach every object. Counting one
   * object more than the edges reach, in any module but the root's, makes them untrusted; the root's module may
   * hold one object that is nobody's input.
   */
  @Test
  void edgesAreTrustedWhenTheyReachEveryObjectButTheRoot() {
    final InferenceSketch street = street(Map.of("street", 1, "car", 1, "wheel", 4));
    assertThat(NetworkStructure.invalid(street)).isNull();
    assertThat(NetworkStructure.trustedEdges(street)).isTrue();
    assertThat(NetworkStructure.untrusted(street)).isNull();
    assertThat(NetworkStructure.trustedEdges(street(Map.of("street", 1, "car", 1, "wheel", 5)))).isFalse();
    assertThat(NetworkStructure.untrusted(street(Map.of("street", 1, "car", 1, "wheel", 5))))
        .isEqualTo("module 'wheel' has 5 objects but 4 incoming edges");
    assertThat(NetworkStructure.trustedEdges(street(Map.of("street", 1, "car", 2, "wheel", 4)))).isFalse();
    assertThat(NetworkStructure.trustedEdges(street(Map.of("street", 2, "car", 1, "wheel", 4)))).isFalse();
    assertThat(NetworkStructure.untrusted(street(Map.of("street", 2, "car", 1, "wheel", 4))))
        .isEqualTo("module 'street' has 2 objects but 0 incoming edges (root module)");
    assertThat(NetworkStructure.trustedEdges(street(Map.of("street", 1, "car", 1, "wheel", 4, "ghost", 0))))
        .as("a module counted zero times needs no edge").isTrue();
    // a second street fed by the first: one street is the root, the other an input
    final List<dev.rsk.avro.ModuleEdge> fed = new ArrayList<>(street.getEdges());
    fed.add(edge("street", "1", "street", 1));
    assertThat(NetworkStructure.trustedEdges(InferenceSketch.newBuilder(street(Map.of("street", 2, "car", 1,
        "wheel", 4))).setEdges(fed).build())).isTrue();
  }

  @Test
  void edgesAreNotTrustedWithoutCompleteValidStructure() {
    final InferenceSketch street = street(Map.of("street", 1, "car", 1, "wheel", 4));
    assertThat(NetworkStructure.trustedEdges(InferenceSketch.newBuilder(street).setComplete(false).build()))
        .isFalse();
    assertThat(NetworkStructure.untrusted(InferenceSketch.newBuilder(street).setComplete(false).build()))
        .isEqualTo("structure on a record that is not complete");
    assertThat(NetworkStructure.trustedEdges(InferenceSketch.newBuilder(street).setStructureVersion(0).build()))
        .isFalse();
    final InferenceSketch wrongRoot = InferenceSketch.newBuilder(street).setRootModule("car").build();
    assertThat(NetworkStructure.invalid(wrongRoot)).isNull();
    assertThat(NetworkStructure.trustedEdges(wrongRoot)).as("street has no incoming edge").isFalse();
    final InferenceSketch ghostEdge = InferenceSketch.newBuilder(street)
        .setEdges(List.of(edge("car", "x", "truck", 1))).build();
    assertThat(NetworkStructure.invalid(ghostEdge))
        .isEqualTo("edge car[x] <- truck x1 names an uncounted module or has a count below 1");
    assertThat(NetworkStructure.trustedEdges(ghostEdge)).isFalse();
    assertThat(NetworkStructure.untrusted(ghostEdge)).isEqualTo(NetworkStructure.invalid(ghostEdge));
  }

  /** The street of the first test, filled from its DAG, with the module counts given. */
  private static InferenceSketch street(final Map<String, Integer> counts) {
    return NetworkStructure.fill(InferenceSketch.newBuilder(recordWith(1, List.of())), streetDag())
        .setModuleCounts(counts).build();
  }

  /** A street over a car on four wheels. */
  private static ObjectDag streetDag() {
    final List<SketchObject> objects = new ArrayList<>();
    final List<SketchInput> wheels = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      objects.add(SketchObject.leaf("w" + w, "wheel", 0.5f));
      wheels.add(new SketchInput("w" + w, "wheel" + w, 1f));
    }
    objects.add(new SketchObject("car", "car", new float[] {1f, 2f}, wheels));
    objects.add(new SketchObject("street", "street", new float[0], List.of(new SketchInput("car", null, 1f))));
    return ObjectDag.of(objects, "street");
  }

  private static dev.rsk.avro.ModuleEdge edge(final String m, final String slot, final String in, final int n) {
    return new dev.rsk.avro.ModuleEdge(m, slot, in, n);
  }

  private static InferenceSketch recordWith(final int version, final List<dev.rsk.avro.ModuleEdge> edges) {
    return InferenceSketch.newBuilder().setInferenceId("i").setEventTime(java.time.Instant.EPOCH)
        .setParams(SketchMapper.params(dev.rsk.sketch.SketchSpec.of(16, 1L, 0.5, 0.5)))
        .setVector(List.of(1f)).setObjectCount(1).setComplete(true)
        .setStructureVersion(version).setRootModule("a").setEdges(edges).build();
  }
}
