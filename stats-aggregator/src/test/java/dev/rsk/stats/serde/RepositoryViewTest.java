package dev.rsk.stats.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.model.RepositoryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The scan's view reads what the codec wrote, field by field, reused across records of other shapes. */
class RepositoryViewTest {

  private static final SketchSpec SPEC = SketchSpec.of(64, 5L, 0.5, 0.5);

  private static byte[] encoded(final String source, final boolean withSums, final boolean withEdges, final int seed) {
    final List<Float> v = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      v.add((float) Math.sin(i * seed));
    }
    final InferenceSketch s = InferenceSketch.newBuilder().setInferenceId("x").setSource(source)
        .setEventTime(Instant.ofEpochMilli(1000L * seed)).setSketchedAt(Instant.ofEpochMilli(2000))
        .setParams(SketchMapper.params(SPEC)).setVector(v).setObjectCount(4).setComplete(true).setMissingInputs(0)
        .setModuleCounts(Map.of("street", 1, "car", 2, "wheel", 1))
        .setAttributeLengths(Map.of("street", 0, "car", 2, "wheel", 1))
        .setAttributeSums(withSums ? Map.of("car", List.of(1.5, -2.25), "wheel", List.of(0.125)) : Map.of())
        .setAttributeSquares(withSums ? Map.of("car", List.of(3.0, 5.0), "wheel", List.of(0.5)) : Map.of())
        .setStructureVersion(withEdges ? NetworkStructure.VERSION : NetworkStructure.NONE)
        .setRootModule(withEdges ? "street" : "")
        .setEdges(withEdges ? List.of(new dev.rsk.avro.ModuleEdge("street", "0", "car", 2),
            new dev.rsk.avro.ModuleEdge("car", "wheel0", "wheel", 1), new dev.rsk.avro.ModuleEdge("car", "wheel1",
            "wheel", 1)) : List.of())
        .build();
    return RepositoryCodec.encode(s, SketchMapper.sketch(s));
  }

  private static byte[] utf8(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsEveryFieldTheCodecWroteWithoutDecodingTheRest() {
    final RepositoryView view = new RepositoryView();
    final byte[] full = encoded("cam-é", true, true, 3);
    final RepositoryRecord r = RepositoryCodec.decode(full);
    view.reset(full);
    assertThat(view.eventTime()).isEqualTo(3000L);
    assertThat(view.source()).isEqualTo("cam-é");
    assertThat(view.sourceIs(utf8("cam-é"))).isTrue();
    assertThat(view.sourceIs(utf8("cam-e"))).isFalse();
    assertThat(view.count(utf8("car"))).isEqualTo(2);
    assertThat(view.count(utf8("street"))).isEqualTo(1);
    assertThat(view.count(utf8("bicycle"))).isZero();
    assertThat(view.attributeSum(utf8("car"), 1)).isEqualTo(-2.25);
    assertThat(view.attributeSum(utf8("wheel"), 0)).isEqualTo(0.125);
    assertThat(view.attributeSum(utf8("street"), 0)).isNaN();
    assertThat(view.attributeSum(utf8("car"), 2)).isNaN();
    assertThat(view.attributeLength(utf8("car"))).isEqualTo(2);
    assertThat(view.attributeLength(utf8("street"))).isZero();
    assertThat(view.attributeLength(utf8("bicycle"))).isEqualTo(-1);
    assertThat(view.statsPinned()).isFalse();
    assertThat(view.hasEdges()).isTrue();
    assertThat(view.edge(utf8("street"), utf8("car"))).isTrue();
    assertThat(view.edge(utf8("car"), utf8("wheel"))).isTrue();
    assertThat(view.edge(utf8("car"), utf8("street"))).isFalse();
    assertThat(view.edge(utf8("street"), utf8("wheel"))).isFalse();
    // parents: one name per module, over its slots
    assertThat(view.parents(utf8("wheel"))).containsExactly("car");
    assertThat(view.parents(utf8("car"))).containsExactly("street");
    assertThat(view.parents(utf8("street"))).isEmpty();
    assertThat(view.parents(utf8("bicycle"))).isEmpty();
    assertThat(view.spec()).isEqualTo(SPEC);
    assertThat(view.vectorLength()).isEqualTo(64);
    assertThat(view.sketch().vector()).containsExactly(r.sketch().vector());
    final float[] acc = new float[64];
    acc[0] = 1f;
    view.addVectorTo(acc);
    assertThat(acc[0]).isEqualTo(1f + r.sketch().vector()[0]);
    assertThat(acc[63]).isEqualTo(r.sketch().vector()[63]);

    // the same view, now an aged record without sums nor edges
    final byte[] aged = RepositoryCodec.age(encoded("", false, false, 5), 16);
    final RepositoryRecord a = RepositoryCodec.decode(aged);
    view.reset(aged);
    assertThat(view.eventTime()).isEqualTo(5000L);
    assertThat(view.source()).isEmpty();
    assertThat(view.attributeSum(utf8("car"), 0)).isNaN();
    assertThat(view.count(utf8("wheel"))).isEqualTo(1);
    assertThat(view.attributeLength(utf8("wheel"))).isEqualTo(1);
    view.reset(RepositoryCodec.withStatsPinned(full));
    assertThat(view.statsPinned()).isTrue();
    assertThat(view.attributeLength(utf8("car"))).isEqualTo(2);
    view.reset(aged);
    assertThat(view.hasEdges()).isFalse();
    assertThat(view.vectorLength()).isEqualTo(16);
    assertThat(view.sketch().vector()).containsExactly(a.sketch().vector());
  }

  /**
   * Whichever reader comes first after a reset finds the sections of the record it now points at, not of the one
   * before: here the records differ in source length, sums and edges, so every offset moves.
   */
  @Test
  void theFirstReaderAfterAResetReadsTheNewRecord() {
    final byte[] before = encoded("a-camera-with-a-long-name", true, true, 3);
    final byte[] edged = encoded("c", false, true, 7);
    final byte[] aged = RepositoryCodec.age(encoded("c", false, false, 5), 16);
    final float[] agedVector = RepositoryCodec.decode(aged).sketch().vector();
    final RepositoryView view = new RepositoryView();
    view.reset(before).hasEdges();
    assertThat(view.reset(aged).vectorLength()).isEqualTo(16);
    view.reset(before).hasEdges();
    assertThat(view.reset(aged).sketch().vector()).containsExactly(agedVector);
    view.reset(before).hasEdges();
    final float[] acc = new float[16];
    view.reset(aged).addVectorTo(acc);
    assertThat(acc).containsExactly(agedVector);
    view.reset(aged).hasEdges();                                     // parsed: no edges
    assertThat(view.reset(edged).edge(utf8("street"), utf8("car"))).isTrue();
  }

  /** A record of more modules than the view first makes room for (16) is read whole. */
  @Test
  void aRecordOfManyModulesIsReadWhole() {
    final Map<String, Integer> counts = new java.util.TreeMap<>();
    final Map<String, Integer> lengths = new java.util.TreeMap<>();
    for (int i = 0; i < 20; i++) {
      counts.put("m" + i, i + 1);
      lengths.put("m" + i, 0);
    }
    final InferenceSketch s = InferenceSketch.newBuilder().setInferenceId("x").setSource("s")
        .setEventTime(Instant.ofEpochMilli(1000)).setSketchedAt(Instant.ofEpochMilli(2000))
        .setParams(SketchMapper.params(SPEC)).setVector(List.of(0.5f, -0.25f)).setObjectCount(210)
        .setComplete(true).setMissingInputs(0).setModuleCounts(counts).setAttributeLengths(lengths)
        .setAttributeSums(Map.of()).setAttributeSquares(Map.of()).setStructureVersion(NetworkStructure.NONE)
        .setRootModule("").setEdges(List.of()).build();
    final RepositoryView view = new RepositoryView().reset(RepositoryCodec.encode(s, SketchMapper.sketch(s)));
    assertThat(view.count(utf8("m0"))).isEqualTo(1);
    assertThat(view.count(utf8("m19"))).isEqualTo(20);
    assertThat(view.vectorLength()).isEqualTo(2);
  }

  /** An aged record of one coordinate is the shortest whole record; one cut inside its sketch is corrupt. */
  @Test
  void aOneCoordinateRecordIsWholeAndOneWithoutCoordinatesIsCorrupt() {
    final byte[] one = RepositoryCodec.age(encoded("c", false, false, 5), 1);
    final RepositoryView view = new RepositoryView().reset(one);
    assertThat(view.vectorLength()).isEqualTo(1);
    assertThat(view.sketch().vector()).containsExactly(RepositoryCodec.decode(one).sketch().vector());
    final RepositoryView none = new RepositoryView().reset(java.util.Arrays.copyOf(one, one.length - 1));
    assertThatThrownBy(none::vectorLength).isInstanceOf(SerializationException.class)
        .hasMessageContaining("no int8 sketch");
  }

  @Test
  void aForeignOrCutRecordIsASerializationError() {
    final byte[] bytes = encoded("cam", true, true, 1);
    final byte[] foreign = bytes.clone();
    foreign[0] = 2;
    assertThatThrownBy(() -> new RepositoryView().reset(foreign)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("format 2");
    final RepositoryView cut = new RepositoryView().reset(java.util.Arrays.copyOf(bytes, 80));
    assertThatThrownBy(() -> cut.count(utf8("car"))).isInstanceOf(SerializationException.class)
        .hasMessageContaining("corrupt");
  }
}
