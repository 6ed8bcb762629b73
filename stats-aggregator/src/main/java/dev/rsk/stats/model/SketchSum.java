package dev.rsk.stats.model;

import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchSpec;

/**
 * The sum of the sketch vectors of {@code count} inferences made with one {@link SketchSpec}. Sketches
 * are linear, so the sum answers "how much mass of module M" for any module, also one nobody asked
 * about when the sums were recorded. Summed in float32: its rounding (about 1e-7 relative per add) is
 * far below the sketch noise floor of about 1/sqrt(d).
 *
 * @param spec the parameters all summed sketches share
 * @param count number of sketches summed
 * @param sum the coordinate-wise sum, length = the summed vectors' length
 */
public record SketchSum(SketchSpec spec, long count, float[] sum) {

  public static SketchSum of(final SketchSpec spec, final float[] vector) {
    return new SketchSum(spec, 1, vector.clone());
  }

  /** Adds {@code sign * vector} in place and returns the updated sum (count changes by sign). */
  public SketchSum add(final float[] vector, final int sign) {
    if (vector.length != sum.length) {
      throw new IllegalArgumentException(
          "vector length " + vector.length + " differs from summed length " + sum.length);
    }
    final float[] out = sum;
    for (int i = 0; i < out.length; i++) {
      out[i] += sign * vector[i];
    }
    return new SketchSum(spec, count + sign, out);
  }

  /** A new sum of this and {@code other} (same spec and length required). */
  public SketchSum merge(final SketchSum other) {
    if (!spec.equals(other.spec) || sum.length != other.sum.length) {
      throw new IllegalArgumentException("cannot merge sums of different sketch parameters");
    }
    final float[] out = sum.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += other.sum[i];
    }
    return new SketchSum(spec, count + other.count, out);
  }

  /** The sum as a sketch of its spec, for readout. */
  public Sketch asSketch() {
    return new Sketch(spec, sum);
  }

  /** The store key of sums made with {@code spec} over vectors of {@code length} coordinates. */
  public static String key(final SketchSpec spec, final int length) {
    return "d=" + spec.d() + ";len=" + length + ";seed=" + spec.seed() + ";alpha=" + spec.alpha()
        + ";beta=" + spec.beta() + ";v=" + spec.schemeVersion();
  }
}
