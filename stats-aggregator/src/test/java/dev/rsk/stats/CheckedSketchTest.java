package dev.rsk.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.SketchParams;
import dev.rsk.sketch.SketchSpec;
import dev.rsk.stats.serde.StatsSerdes;
import dev.rsk.stats.testing.Scenes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The stats topology's source value: read and checked once, the same verdicts as {@link SketchRecords}. */
class CheckedSketchTest {

  private static final SketchSpec SPEC = SketchSpec.of(1024, 42L, 0.5, 0.5);
  private static final long T0 = 1_772_323_200_000L; // 2026-03-01T00:00:00Z
  private final Scenes scenes = new Scenes(SPEC, 7);
  private final Serde<CheckedSketch> serde = CheckedSketch.serde(StatsSerdes.inferenceSketchBinary());

  @Test
  void aValidRecordCarriesItsSketchAsPrimitiveFloats() {
    final InferenceSketch s = scenes.scene("a", T0, 1, 1, 0);
    final CheckedSketch c = serde.deserializer().deserialize("sketches",
        StatsSerdes.inferenceSketchBinary().serializer().serialize("sketches", s));
    assertThat(c.valid()).isTrue();
    assertThat(c.invalidReason()).isNull();
    assertThat(c.record()).isEqualTo(s);
    assertThat(c.sketch().spec()).isEqualTo(SPEC);
    assertThat(c.sketch().vector()).hasSize(s.getVector().size());
    for (int i = 0; i < s.getVector().size(); i++) {
      assertThat(c.sketch().vector()[i]).isEqualTo(s.getVector().get(i));
    }
  }

  @Test
  void aTombstoneStaysNull() {
    assertThat(serde.deserializer().deserialize("sketches", null)).isNull();
  }

  @Test
  void anInvalidRecordIsNotThrownButCarriesTheSameReasonAsTheChecks() {
    final InferenceSketch good = scenes.scene("b", T0, 1, 0, 0);
    final List<Float> nan = new ArrayList<>(good.getVector());
    nan.set(3, Float.NaN);
    final InferenceSketch bad = InferenceSketch.newBuilder(good).setVector(nan).build();
    final CheckedSketch c = CheckedSketch.of(bad);
    assertThat(c.valid()).isFalse();
    assertThat(c.sketch()).isNull();
    assertThat(c.invalidReason()).isEqualTo("vector has a non-finite coordinate")
        .isEqualTo(SketchRecords.invalidReason(bad));
    // parameters are checked before the vector, as before
    final InferenceSketch both = InferenceSketch.newBuilder(bad)
        .setParams(SketchParams.newBuilder(good.getParams()).setD(0).build()).build();
    assertThat(CheckedSketch.of(both).invalidReason()).startsWith("invalid sketch parameters")
        .isEqualTo(SketchRecords.invalidReason(both));
  }
}
