package dev.rsk.stats.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.ModuleEdge;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.RepositoryRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RepositoryCodecTest {

  private static final SketchSpec SPEC = SketchSpec.of(64, 5L, 0.5, 0.5);

  private static InferenceSketch record(final boolean withSums, final boolean withEdges) {
    final List<Float> v = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      v.add((float) Math.sin(i));
    }
    return InferenceSketch.newBuilder().setInferenceId("x").setSource("cam-é").setEventTime(Instant.ofEpochMilli(1000))
        .setSketchedAt(Instant.ofEpochMilli(2000)).setParams(SketchMapper.params(SPEC)).setVector(v).setObjectCount(4)
        .setComplete(true).setMissingInputs(0)
        .setModuleCounts(Map.of("street", 1, "car", 2, "wheel", 1)).setAttributeLengths(Map.of("street", 0, "car", 2, "wheel", 1))
        .setAttributeSums(withSums ? Map.of("car", List.of(1.5, -2.25), "wheel", List.of(0.125)) : Map.of())
        .setAttributeSquares(withSums ? Map.of("car", List.of(3.0, 5.0), "wheel", List.of(0.5)) : Map.of())
        .setStructureVersion(withEdges ? NetworkStructure.VERSION : NetworkStructure.NONE)
        .setRootModule(withEdges ? "street" : "")
        .setEdges(withEdges ? List.of(new dev.rsk.avro.ModuleEdge("street", "0", "car", 2),
            new dev.rsk.avro.ModuleEdge("car", "wheel0", "wheel", 1)) : List.of())
        .build();
  }

  @Test
  void sumsAndEdgesRoundTripAndSurviveAgeing() {
    final InferenceSketch s = record(true, true);
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    assertThat(bytes[0]).isEqualTo((byte) 3);
    final RepositoryRecord r = RepositoryCodec.decode(bytes);
    assertThat(r.source()).isEqualTo("cam-é");
    assertThat(r.moduleCounts()).containsEntry("car", 2).containsEntry("wheel", 1);
    assertThat(r.attributeSums().get("car")).containsExactly(1.5, -2.25);
    assertThat(r.attributeSums().get("wheel")).containsExactly(0.125);
    assertThat(r.attributeSums()).doesNotContainKey("street");
    assertThat(r.edges()).containsExactly(new ModuleEdge("street", "0", "car", 2),
        new ModuleEdge("car", "wheel0", "wheel", 1));
    assertThat(RepositoryCodec.vectorLength(bytes)).isEqualTo(64);
    final byte[] aged = RepositoryCodec.age(bytes, 16);
    final RepositoryRecord a = RepositoryCodec.decode(aged);
    assertThat(a.sketch().length()).isEqualTo(16);
    assertThat(a.aged()).isTrue();
    assertThat(a.edges()).isEqualTo(r.edges());
    assertThat(a.attributeSums().get("car")).containsExactly(1.5, -2.25);
    final Sketch onlySketch = RepositoryCodec.sketch(aged);
    assertThat(onlySketch.vector()).containsExactly(a.sketch().vector());
  }

  @Test
  void recordsWithoutSumsOrStructureKeepNeither() {
    final InferenceSketch s = record(false, false);
    final RepositoryRecord r = RepositoryCodec.decode(RepositoryCodec.encode(s, SketchMapper.sketch(s)));
    assertThat(r.attributeSums()).isEmpty();
    assertThat(r.edges()).isEmpty();
    assertThat(r.moduleCounts()).hasSize(3);
  }

  @Test
  void anotherFormatIsRefusedWithTheMigrationHint() {
    final InferenceSketch s = record(true, true);
    final byte[] bytes = RepositoryCodec.encode(s, SketchMapper.sketch(s));
    bytes[0] = 2;
    assertThatThrownBy(() -> RepositoryCodec.decode(bytes)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("replay");
  }
}
