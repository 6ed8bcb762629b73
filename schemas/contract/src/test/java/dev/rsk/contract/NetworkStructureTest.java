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
    final List<SketchObject> objects = new ArrayList<>();
    final List<SketchInput> wheels = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      objects.add(SketchObject.leaf("w" + w, "wheel", 0.5f));
      wheels.add(new SketchInput("w" + w, "wheel" + w, 1f));
    }
    objects.add(new SketchObject("car", "car", new float[] {1f, 2f}, wheels));
    objects.add(new SketchObject("street", "street", new float[0], List.of(new SketchInput("car", null, 1f))));
    final ObjectDag dag = ObjectDag.of(objects, "street");

    final InferenceSketch.Builder b = NetworkStructure.fill(InferenceSketch.newBuilder(), dag);

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
