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
    return Sketches.norm(vector);
  }

  /**
   * Standard error of one presence readout {@code sqrt(2) (E_M^T s)[0]} of this sketch: {@code sqrt(2)
   * ||s|| / sqrt(d)} for a full sketch, {@code sqrt(2) ||v|| sqrt(d) / m} for a prefix of {@code m}
   * coordinates (the decoder rescales the prefix by {@code d / m}, which scales the noise too). The
   * readout errs by a sum of {@code d} terms with random signs, so the error is close to normal with
   * this deviation when no module dominates; it is the error of a single readout, not of a fit.
   */
  public double readoutStdError() {
    return Math.sqrt(2.0) * expandedNorm() / Math.sqrt(spec.d());
  }

  /**
   * The presence a module must reach to be called present: {@code tauFactor ||s|| / sqrt(d)} (prefix
   * rescaled as in {@link #readoutStdError()}), that is {@code tauFactor / sqrt(2)} standard errors.
   *
   * @throws SketchException {@link Reason#INVALID_OBJECT} for a non-positive or non-finite tauFactor
   */
  public double significanceThreshold(final double tauFactor) {
    if (!(tauFactor > 0) || Double.isInfinite(tauFactor)) {
      throw new SketchException(Reason.INVALID_OBJECT, "tauFactor must be positive and finite, got " + tauFactor);
    }
    return tauFactor * expandedNorm() / Math.sqrt(spec.d());
  }

  /**
   * {@link #significanceThreshold(double)} with {@link SketchDecoder#DEFAULT_TAU_FACTOR} (4, about 2.8
   * standard errors: a false positive per absent module with probability about 0.2% under the normal
   * approximation).
   */
  public double significanceThreshold() {
    return significanceThreshold(SketchDecoder.DEFAULT_TAU_FACTOR);
  }

  /** Norm of the vector rescaled to full length ({@code d / m} times the prefix's norm). */
  private double expandedNorm() {
    return norm() * spec.d() / vector.length;
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
