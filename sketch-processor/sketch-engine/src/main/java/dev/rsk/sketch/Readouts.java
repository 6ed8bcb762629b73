package dev.rsk.sketch;

import java.util.List;

/**
 * The decoder's inner steps on full-length vectors ({@code d} coordinates, prefixes already expanded),
 * shared by {@link SketchDecoder}, {@link StructureRecovery} and {@link JointReadouts}. No checks:
 * callers have validated the sketch, its spec and {@code k}.
 */
final class Readouts {
  private Readouts() {}

  /** {@code sqrt(2) (E_M^T u)[0]}; noise about {@code sqrt(2) ||u|| / sqrt(d)}. */
  static double presence(final MatrixCache cache, final float[] full, final String module) {
    return Math.sqrt(2.0) * VectorOps.dot(cache.columns(module, 0)[0], full, full.length);
  }

  /** {@code E_M^T u} (length {@code k + 1}). */
  static double[] readout(final MatrixCache cache, final float[] full, final String module, final int k) {
    final float[][] cols = cache.columns(module, k);
    final double[] r = new double[k + 1];
    for (int c = 0; c <= k; c++) {
      r[c] = VectorOps.dot(cols[c], full, full.length);
    }
    return r;
  }

  /** {@code R_{module,slot}^T u}, into a new array. */
  static float[] unroll(final MatrixCache cache, final float[] u, final String module, final String slot) {
    final float[] out = new float[u.length];
    cache.rotation(module, slot).applyTranspose(u, out);
    return out;
  }

  /** Unrolls along a tag path, root first; an empty path returns {@code u} itself. */
  static float[] unroll(final MatrixCache cache, final float[] u, final List<TagStep> path) {
    float[] v = u;
    for (final TagStep step : path) {
      v = unroll(cache, v, step.module(), step.slot());
    }
    return v;
  }

  /** {@code r[1:] / r[0]}: NaN or infinite when {@code r[0]} is 0. */
  static double[] ratio(final double[] r) {
    final double[] x = new double[r.length - 1];
    for (int i = 0; i < x.length; i++) {
      x[i] = r[i + 1] / r[0];
    }
    return x;
  }
}
