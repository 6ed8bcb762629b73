package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.SketchException.Reason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SketchesTest {
  private static final SketchSpec SPEC = SketchSpec.of(512, 9, 0.5, 0.5);
  private final RecursiveSketcher sketcher = new RecursiveSketcher(SPEC);

  private Sketch leaf(final String module, final float... x) {
    return sketcher.sketch(ObjectDag.of(List.of(SketchObject.leaf("o", module, x)), "o"));
  }

  @Test
  void sumIsTheSketchOfTheUnionAndDecodesBothParts() {
    final Sketch a = leaf("cat", 1f, 2f);
    final Sketch b = leaf("dog", 3f);
    final Sketch sum = Sketches.sum(a, b);
    for (int i = 0; i < SPEC.d(); i++) {
      assertThat(sum.vector()[i]).isEqualTo(a.vector()[i] + b.vector()[i]);
    }
    final SketchDecoder dec = new SketchDecoder(SPEC);
    final Sketch twoCats = Sketches.sum(a, a);
    // presence noise is about sqrt(2) ||s|| / sqrt(d); allow 4 of those
    assertThat(dec.presence(twoCats, "cat")).isCloseTo(2, within(tolerance(twoCats)));
    assertThat(dec.presence(sum, "cat")).isCloseTo(1, within(tolerance(sum)));
    assertThat(dec.presence(sum, "dog")).isCloseTo(1, within(tolerance(sum)));
  }

  private static double tolerance(final Sketch s) {
    return 4 * Math.sqrt(2) * s.norm() / Math.sqrt(s.length());
  }

  @Test
  void cosineOfASketchWithItselfIsOneAndOfUnrelatedLeavesIsSmall() {
    final Sketch a = leaf("cat", 1f, 2f);
    assertThat(Sketches.cosine(a, a)).isCloseTo(1, within(1e-9));
    assertThat(Sketches.cosine(a, Sketches.scale(a, -2f))).isCloseTo(-1, within(1e-9));
    assertThat(Math.abs(Sketches.cosine(a, leaf("dog", 1f, 2f)))).isLessThan(3 / Math.sqrt(SPEC.d()));
  }

  @Test
  void truncateKeepsAPrefixAndDecodesWithRescaling() {
    final Sketch a = leaf("cat", 1f, 2f);
    final Sketch half = Sketches.truncate(a, 0.5);
    assertThat(half.length()).isEqualTo(256);
    assertThat(half.truncated()).isTrue();
    for (int i = 0; i < 256; i++) {
      assertThat(half.vector()[i]).isEqualTo(a.vector()[i]);
    }
    assertThat(Sketches.truncate(half, 1.0)).isSameAs(half);
    assertThat(new SketchDecoder(SPEC).presence(half, "cat")).isCloseTo(1, within(tolerance(half)));
    assertThatThrownBy(() -> Sketches.truncate(a, 0))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_OBJECT));
    assertThat(Sketches.sum(a, half).length()).isEqualTo(256);
  }

  @Test
  void int8RoundTripErrorIsBoundedByHalfAStep() {
    final Sketch a = leaf("cat", 1f, -2f, 0.5f);
    final byte[] bytes = Sketches.toInt8(a);
    assertThat(bytes).hasSize(Sketches.INT8_HEADER_BYTES + SPEC.d());
    final Sketch back = Sketches.fromInt8(SPEC, bytes);
    float max = 0;
    for (final float v : a.vector()) {
      max = Math.max(max, Math.abs(v));
    }
    final float step = max / 127f;
    for (int i = 0; i < SPEC.d(); i++) {
      assertThat(back.vector()[i]).isCloseTo(a.vector()[i], within(step * 0.5001f));
    }
    final Sketch truncated = Sketches.fromInt8(SPEC, Sketches.toInt8(Sketches.truncate(a, 0.25)));
    assertThat(truncated.length()).isEqualTo(128);
    final byte[] bad = bytes.clone();
    bad[0] = 7;
    assertThatThrownBy(() -> Sketches.fromInt8(SPEC, bad)).isInstanceOf(SketchException.class)
        .hasMessageContaining("unknown int8 sketch format 7");
    assertThatThrownBy(() -> Sketches.fromInt8(SketchSpec.of(256, 9, 0.5, 0.5), bytes))
        .hasMessageContaining("more than d=256");
  }

  @Test
  void cosineOfRawVectorsAgainstHandValues() {
    // 32 / sqrt(14 * 77)
    assertThat(Sketches.cosine(new float[] {1, 2, 3}, new float[] {4, 5, 6}))
        .isCloseTo(0.9746318461970762, within(1e-12));
    assertThat(Sketches.cosine(new float[] {1, 2, 3}, new float[] {-2, -4, -6})).isCloseTo(-1, within(1e-12));
    assertThat(Sketches.cosine(new float[] {1, 0}, new float[] {0, 3})).isZero();
    // over the common prefix only: 14 / sqrt(5 * 41), whichever side is shorter
    assertThat(Sketches.cosine(new float[] {1, 2, 3}, new float[] {4, 5})).isCloseTo(0.9778024140774094, within(1e-12));
    assertThat(Sketches.cosine(new float[] {4, 5}, new float[] {1, 2, 3})).isCloseTo(0.9778024140774094, within(1e-12));
    // a zero vector, or one that is zero on the common prefix, has cosine 0 (not NaN)
    assertThat(Sketches.cosine(new float[3], new float[] {4, 5, 6})).isZero();
    assertThat(Sketches.cosine(new float[] {0, 0, 7}, new float[] {4, 5})).isZero();
    // the sketch form reads the same common prefix
    final SketchSpec spec = SketchSpec.of(16, 1, 0.5, 0.5);
    final float[] full = new float[16];
    Arrays.fill(full, 5f);
    full[0] = 1;
    full[1] = 2;
    assertThat(Sketches.cosine(new Sketch(spec, full), new Sketch(spec, new float[] {4, 5})))
        .isCloseTo(0.9778024140774094, within(1e-12));
  }

  @Test
  void normAgainstHandValues() {
    assertThat(Sketches.norm(new float[] {3, 4})).isEqualTo(5);
    assertThat(Sketches.norm(new float[] {1, -2, 2})).isEqualTo(3);
    assertThat(Sketches.norm(new float[0])).isZero();
    final float[] v = new float[16];
    v[3] = -3;
    v[9] = 4;
    assertThat(new Sketch(SketchSpec.of(16, 1, 0.5, 0.5), v).norm()).isEqualTo(5);
  }
}
