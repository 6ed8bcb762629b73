package dev.rsk.serde;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleEdge;
import dev.rsk.avro.ModuleInput;
import dev.rsk.avro.SketchParams;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Fixed sample records shared by the serde tests. */
final class Records {
  private Records() {}

  static ModuleActivation activation() {
    return ModuleActivation.newBuilder()
        .setInferenceId("inf-1").setObjectId("o1").setModule("cat")
        .setAttributes(List.of(0.5f, -2.0f))
        .setInputs(List.of(ModuleInput.newBuilder().setObjectId("o2").setSlot("left").setWeight(0.25f).build()))
        .setRoot(true).setEventTime(Instant.ofEpochMilli(1000)).setSource("cam-1")
        .build();
  }

  static InferenceSketch sketch() {
    return InferenceSketch.newBuilder()
        .setInferenceId("inf-1").setSource("cam-1").setEventTime(Instant.ofEpochMilli(1000))
        .setParams(
            SketchParams.newBuilder().setD(4).setSeed(42L).setAlpha(0.5).setBeta(0.5).setSchemeVersion(1).build())
        .setVector(List.of(1.0f, 0.0f, -0.5f, 0.25f))
        .setObjectCount(3).setComplete(true).setMissingInputs(0)
        .setModuleCounts(Map.of("cat", 1)).setAttributeLengths(Map.of("cat", 2))
        .setSketchedAt(Instant.ofEpochMilli(2000))
        .setAttributeSums(Map.of("cat", List.of(0.5, -2.0))).setAttributeSquares(Map.of("cat", List.of(0.25, 4.0)))
        .setStructureVersion(1).setRootModule("cat")
        .setEdges(List.of(new ModuleEdge("cat", "0", "eye", 2))).setModuleDepths(Map.of("cat", List.of(1)))
        .build();
  }

  static byte[] hex(final String... parts) {
    return HexFormat.of().parseHex(String.join("", parts).replace(" ", ""));
  }
}
