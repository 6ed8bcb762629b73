package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;
import java.util.Arrays;
import java.util.Objects;

/**
 * A recursive sketch: the vector {@code s(root)} and the spec that made it.
 *
 * <p>{@code vector.length == spec.d()} for a full sketch; a shorter vector is a truncated prefix of
 * {@code m} coordinates (graceful erasure, see {@link Sketches#truncate}); decoders rescale by
 * {@code d / m}. The array is not copied: treat it as immutable.
 */
public record Sketch(SketchSpec spec, float[] vector) {
  public Sketch {
    if (spec == null || vector == null) {
      throw new SketchException(Reason.INVALID_OBJECT, "sketch spec and vector must not be null");
    }
    if (vector.length < 1 || vector.length > spec.d()) {
      throw new SketchException(
          Reason.INVALID_OBJECT,
          "sketch vector length must be in [1, d=" + spec.d() + "], got " + vector.length);
    }
  }

  /** Number of stored coordinates ({@code d} unless truncated). */
  public int length() {
    return vector.length;
  }

  /** Whether this is a truncated prefix. */
  public boolean truncated() {
    return vector.length < spec.d();
  }

  /** Euclidean norm of the stored coordinates, accumulated in double. */
  public double norm() {
    double s = 0;
    for (final float v : vector) {
      s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Sketch other && spec.equals(other.spec) && Arrays.equals(vector, other.vector);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, Arrays.hashCode(vector));
  }

  @Override
  public String toString() {
    return "Sketch[" + spec + ", length=" + vector.length + ", norm=" + (float) norm() + "]";
  }
}
