package dev.rsk.sketch;

import dev.rsk.sketch.SketchException.Reason;

/**
 * The parameters of a recursive sketch. Two sketches can be compared, summed or decoded together only
 * if their specs are equal; every operation that mixes specs throws {@link Reason#SPEC_MISMATCH}.
 *
 * @param d dimension of the sketch, in [{@value #MIN_D}, {@value #MAX_D}]. Readout noise is about
 *     {@code ||s|| * sqrt((k + 1) / d)}: quadrupling {@code d} halves it.
 * @param seed the 64-bit seed every matrix derives from
 * @param alpha weight of the identity copy of each input (finite, {@code >= 0})
 * @param beta weight of the tagged (signed-permutation) copy of each input (finite, {@code >= 0});
 *     {@code alpha^2 + beta^2 <= 1} so sketch norms do not grow with depth
 * @param schemeVersion version of the construction (generator, matrix layout); only {@link
 *     #CURRENT_SCHEME} is supported
 */
public record SketchSpec(int d, long seed, double alpha, double beta, int schemeVersion) {
  /** The construction implemented by this library. */
  public static final int CURRENT_SCHEME = 1;
  /** Smallest supported dimension. */
  public static final int MIN_D = 16;
  /** Largest supported dimension. */
  public static final int MAX_D = 65_536;
  /** Default dimension: readout noise about 3% of the sketch norm per attribute coordinate. */
  public static final int DEFAULT_D = 1024;
  /** Default seed: the ASCII bytes of "rsk_SEED". */
  public static final long DEFAULT_SEED = 0x72736B5F53454544L;
  /** Default alpha and beta. */
  public static final double DEFAULT_ALPHA = 0.5;

  public static final double DEFAULT_BETA = 0.5;

  /** Tolerance on {@code alpha^2 + beta^2 <= 1}, so that e.g. (0.6, 0.8) is accepted. */
  private static final double NORM_TOLERANCE = 1e-9;

  public SketchSpec {
    if (d < MIN_D || d > MAX_D) {
      throw new SketchException(
          Reason.INVALID_SPEC, "d must be in [" + MIN_D + ", " + MAX_D + "], got " + d);
    }
    if (!Double.isFinite(alpha) || alpha < 0) {
      throw new SketchException(Reason.INVALID_SPEC, "alpha must be finite and >= 0, got " + alpha);
    }
    if (!Double.isFinite(beta) || beta < 0) {
      throw new SketchException(Reason.INVALID_SPEC, "beta must be finite and >= 0, got " + beta);
    }
    if (alpha * alpha + beta * beta > 1 + NORM_TOLERANCE) {
      throw new SketchException(
          Reason.INVALID_SPEC,
          "alpha^2 + beta^2 must be <= 1, got " + (alpha * alpha + beta * beta)
              + " (alpha=" + alpha + ", beta=" + beta + ")");
    }
    if (schemeVersion != CURRENT_SCHEME) {
      throw new SketchException(
          Reason.INVALID_SPEC,
          "unsupported scheme version " + schemeVersion + " (this library implements "
              + CURRENT_SCHEME + ")");
    }
  }

  /** A validated spec with the current scheme version. */
  public static SketchSpec of(final int d, final long seed, final double alpha, final double beta) {
    return new SketchSpec(d, seed, alpha, beta, CURRENT_SCHEME);
  }

  /** {@code d = 1024}, seed {@link #DEFAULT_SEED}, {@code alpha = beta = 1/2}. */
  public static SketchSpec defaults() {
    return of(DEFAULT_D, DEFAULT_SEED, DEFAULT_ALPHA, DEFAULT_BETA);
  }

  /** This spec with another dimension. */
  public SketchSpec withD(final int newD) {
    return new SketchSpec(newD, seed, alpha, beta, schemeVersion);
  }

  /** This spec with another seed. */
  public SketchSpec withSeed(final long newSeed) {
    return new SketchSpec(d, newSeed, alpha, beta, schemeVersion);
  }
}
